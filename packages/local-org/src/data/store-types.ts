/**
 * The types every part of the record store shares, with the object rules (`object-rules.ts`) and
 * the HTTP/Bulk callers: a stored row, one record's outcome, an open write transaction, the actor.
 * Kept apart from `record-store.ts` so that the rules and the store's modules import them without
 * importing the store (and without a cycle through it).
 */
import type { SalesforceError } from '../errors.js';
import type { Schema } from '../schema/schema.js';
import type { Sql } from '../storage/database.js';
import type { RecordChange } from './change-log.js';

/** A stored row: field API name → value. */
export type Row = Record<string, unknown>;

/**
 * Outcome of one record of a batch. A failed upsert says too whether the record would have been
 * inserted (`created`), as Salesforce's collection upsert results do on every row.
 */
export type WriteResult =
  | { ok: true; id: string; created: boolean }
  | { ok: false; error: SalesforceError; id?: string; created?: boolean };

/** One open write transaction. */
export interface WriteTx {
  readonly sql: Sql;
  /** Shared by every change event of this transaction. */
  readonly transactionKey: string;
  /** The transaction's clock: every audit timestamp of one transaction is the same. */
  readonly now: string;
  /** Changes recorded so far, flushed to the change log before commit. */
  readonly changes: RecordChange[];
  /**
   * Ids of the records this transaction created and has not deleted: live by construction, so a
   * lookup to one needs no query (the lines of a graph's quotes, a level after the quotes).
   */
  readonly created: Set<string>;
  /**
   * Work run inside the transaction after its body, just before the change log is appended: what
   * must take the event-log lock (platform events published after commit) does it here, so the lock
   * is held only for the transaction's tail.
   */
  readonly beforeCommit: ((sql: Sql) => Promise<void>)[];
  /** Callbacks run once the transaction has committed, never after a rollback (waking subscribers). */
  readonly afterCommit: (() => void)[];
}

/** Who writes: audit fields and OwnerId defaults. */
export interface Actor {
  userId: string;
}

/** What the store's parts need besides a transaction: the data model and who writes. */
export interface StoreContext {
  readonly schema: Schema;
  readonly actor: Actor;
}

/** Fields the store sets itself: never read from a body, never required, never "changed". */
export const SYSTEM_FIELDS: ReadonlySet<string> = new Set([
  'Id',
  'IsDeleted',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
]);
