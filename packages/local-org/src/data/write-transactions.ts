/**
 * The record store's write transactions: who may write when (one process's slots, the database's
 * advisory lock across processes), the change log appended inside the transaction, listeners told
 * after the commit, and fresh planner statistics for tables that grew.
 */
import { randomUUID } from 'node:crypto';
import type { Schema } from '../schema/schema.js';
import type { Database } from '../storage/database.js';
import { ident } from '../storage/ddl.js';
import { appendChanges, type RecordChange } from './change-log.js';
import type { Actor, WriteTx } from './store-types.js';
import { WriteSlots } from './write-slots.js';

/**
 * Taken first by every write transaction on PostgreSQL (shared ones take it shared, see
 * `TransactionOptions.shared`), so that an org's other write transactions run one at a time there
 * as they do on PGlite (one connection), across processes too. The store's checks read, then write:
 * unique values, upsert matching, auto-numbers, roll-ups. Interleaved on pooled connections, two
 * creates of one VIN both passed the unique check, ten upserts of one external id inserted ten
 * records, and graphs taking the auto-numbers of two objects in opposite orders deadlocked (500
 * UNKNOWN_EXCEPTION). Keyed by schema, so orgs sharing one database do not wait for each other.
 */
const WRITE_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('local-org:writes:' || current_schema()))`;
/** The same lock taken shared: shared write transactions run beside each other, never beside an exclusive one. */
const SHARED_WRITE_LOCK_SQL = `SELECT pg_advisory_xact_lock_shared(hashtext('local-org:writes:' || current_schema()))`;

/**
 * Shared write transactions that may run at once on PostgreSQL (PGlite has one connection, so
 * there everything runs alone). Two keep the database busy while the org's JavaScript prepares
 * the next; more only queue on the two cores of a small machine.
 */
const MAX_SHARED_WRITES = 2;

/** Options of `RecordStore.transaction`. */
export interface TransactionOptions {
  /**
   * Run beside other shared transactions instead of alone. Only for work whose rules hold under
   * concurrency: creates of objects without check-then-write rules (unique values are enforced by
   * the database's own unique indexes, auto-numbers come from sequences) and without change
   * events (the change log's order is commit order). A shared transaction can fail where it would
   * not alone (a unique index meeting a racing insert, a deadlock between roll-ups): the caller
   * must then run the work again as an exclusive transaction, which decides.
   * @defaultValue false
   */
  shared?: boolean;
}

/** Hears the changes of one committed transaction. */
export type CommitListener = (changes: RecordChange[], meta: { transactionKey: string }) => void;

export class WriteTransactions {
  readonly #listeners = new Set<CommitListener>();
  /** This process's write transactions: exclusive ones alone, shared ones a few at a time. */
  readonly #slots: WriteSlots;
  /** Rows inserted per table since its statistics were last taken, and its size then. */
  readonly #growth = new Map<string, { inserted: number; analyzedAt: number }>();

  /**
   * @param schema - The org's data model (which entities have change events).
   * @param db - Its storage.
   * @param actor - The commit user of change events.
   * @param clock - Time source of each transaction's `now`.
   */
  constructor(
    readonly schema: Schema,
    readonly db: Database,
    readonly actor: Actor,
    readonly clock: () => Date,
  ) {
    this.#slots = new WriteSlots(db.kind === 'postgres' ? MAX_SHARED_WRITES : 1);
  }

  /**
   * Runs `fn` in one database transaction. Changes of CDC-enabled entities are appended to the
   * change log inside it; listeners (`onCommit`) hear about them only after the commit.
   */
  async run<T>(fn: (tx: WriteTx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    let committed: RecordChange[] = [];
    let afterCommit: (() => void)[] = [];
    const transactionKey = randomUUID().replace(/-/g, '').slice(0, 20);
    const shared = options.shared === true;
    const release = await this.#slots.acquire(shared);
    const now = this.clock().toISOString();
    const result = await this.db.transaction(async (sql) => {
      if (this.db.kind === 'postgres') await sql.query(shared ? SHARED_WRITE_LOCK_SQL : WRITE_LOCK_SQL);
      const tx: WriteTx = { sql, transactionKey, now, changes: [], created: new Set(), beforeCommit: [], afterCommit: [] };
      const value = await fn(tx);
      for (const work of tx.beforeCommit) await work(sql);
      const cdc = tx.changes.filter((c) => this.schema.object(c.entityName)?.cdcEnabled);
      await appendChanges(sql, cdc, {
        transactionKey,
        firstSequence: 1,
        commitTimestamp: Date.parse(now),
        commitUser: this.actor.userId,
      });
      committed = tx.changes;
      afterCommit = tx.afterCommit;
      return value;
    })
      .then(async (value) => {
        await this.#refreshStatistics();
        return value;
      })
      .finally(release);
    if (committed.length > 0) for (const l of this.#listeners) l(committed, { transactionKey });
    for (const callback of afterCommit) callback();
    return result;
  }

  /** Counts rows inserted into `table`, for `#refreshStatistics`. */
  noteInserted(table: string, rows: number): void {
    const g = this.#growth.get(table) ?? { inserted: 0, analyzedAt: 0 };
    g.inserted += rows;
    this.#growth.set(table, g);
  }

  /**
   * Takes fresh statistics (`ANALYZE`) of the tables that grew by more than a fifth (at least 500
   * rows) since the last time, as PostgreSQL's autovacuum would, but at once and on PGlite too
   * (which has no autovacuum). Without them the planner keeps the estimates of an empty table: a
   * batch's child query scanned all 100,000 line items (17 ms instead of 1.3) and the unique-key
   * check all quotes (6.8 ms instead of 0.1). Runs after the commit, in the write queue. Counts
   * are per process and start at zero, so a restarted org analyzes its tables once more.
   */
  async #refreshStatistics(): Promise<void> {
    for (const [table, g] of this.#growth) {
      if (g.inserted < Math.max(500, g.analyzedAt / 5)) continue;
      g.analyzedAt += g.inserted;
      g.inserted = 0;
      await this.db.query(`ANALYZE ${ident(table)}`);
    }
  }

  /** Hears every committed change (all entities, CDC-enabled or not). Returns an unsubscribe function. */
  onCommit(listener: CommitListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
