/**
 * The durable change log: one row per committed create/update/delete/undelete of a record whose
 * entity has Change Data Capture enabled, written in the same transaction as the change itself
 * (so a rolled-back write leaves no event). `replay_id` is the monotonically increasing replay id
 * CometD subscribers resume from; rows sharing a `transaction_key` came from one transaction.
 */
import type { Sql } from '../storage/database.js';

/** Change types as Salesforce names them in `ChangeEventHeader.changeType`. */
export type ChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';

/** One change of one record, before it is numbered. */
export interface RecordChange {
  entityName: string;
  changeType: ChangeType;
  recordId: string;
  /** `ChangeEventHeader.changedFields`: what an UPDATE changed, `LastModifiedDate` included; empty otherwise. */
  changedFields: string[];
  /** Fields set to null by an UPDATE. */
  nulledFields: string[];
  /** The event body: every non-null field on CREATE, the changed fields on UPDATE, none on DELETE. */
  values: Record<string, unknown>;
}

/** A numbered, committed change event as stored. */
export interface ChangeEventRow {
  replayId: number;
  entityName: string;
  changeType: ChangeType;
  recordIds: string[];
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
  commitNumber: number;
  commitUser: string;
  changedFields: string[];
  nulledFields: string[];
  values: Record<string, unknown>;
}

export const CHANGE_LOG_DDL = `
CREATE TABLE IF NOT EXISTS _change_log (
  replay_id bigserial PRIMARY KEY,
  entity text NOT NULL,
  change_type text NOT NULL,
  record_ids text[] NOT NULL,
  transaction_key text NOT NULL,
  sequence_number int NOT NULL,
  commit_timestamp bigint NOT NULL,
  commit_user text NOT NULL,
  changed_fields text[] NOT NULL,
  nulled_fields text[] NOT NULL,
  payload jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS _change_log_entity_idx ON _change_log (entity, replay_id);
ALTER TABLE _change_log ADD COLUMN IF NOT EXISTS commit_number bigint NOT NULL DEFAULT 0;
CREATE SEQUENCE IF NOT EXISTS _commit_number;
`;

/**
 * Taken (until commit) by every transaction right before it appends to an event log (`_change_log`,
 * the platform events' `_event_log`). Replay ids come from sequences, which hand out numbers in
 * call order, not commit order: without the lock a reader on PostgreSQL could see replay id 7
 * committed while 6 is still in flight, move its cursor past 6 and never deliver it. With it, ids
 * are committed in order, so "everything after my cursor" is a stable question. Keyed by schema,
 * so orgs sharing one PostgreSQL database do not wait for each other.
 */
export const EVENT_LOG_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('local-org:event-log:' || current_schema()))`;

/** Rows per INSERT: 11 parameters each stays under PostgreSQL's 65,535 bind parameters. */
const CHANGES_PER_INSERT = 5000;

/** Appends `changes` (already filtered to CDC-enabled entities) inside the writing transaction. */
export async function appendChanges(
  sql: Sql,
  changes: RecordChange[],
  meta: { transactionKey: string; firstSequence: number; commitTimestamp: number; commitUser: string },
): Promise<void> {
  if (changes.length === 0) return;
  await sql.query(EVENT_LOG_LOCK_SQL);
  // One commit number per transaction, increasing in commit order (the lock is held).
  const commit = await sql.query<{ n: number }>(`SELECT nextval('_commit_number') AS n`);
  const commitNumber = Number(commit.rows[0]?.n ?? 0);
  // A Bulk API batch has up to 10,000 records: insert in chunks.
  for (let start = 0; start < changes.length; start += CHANGES_PER_INSERT) {
    const params: unknown[] = [];
    const tuples = changes.slice(start, start + CHANGES_PER_INSERT).map((c, k) => {
      params.push(
        c.entityName,
        c.changeType,
        [c.recordId],
        meta.transactionKey,
        meta.firstSequence + start + k,
        meta.commitTimestamp,
        meta.commitUser,
        c.changedFields,
        c.nulledFields,
        JSON.stringify(c.values),
        commitNumber,
      );
      const b = k * 11;
      return `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},$${b + 8},$${b + 9},$${b + 10}::jsonb,$${b + 11})`;
    });
    await sql.query(
      `INSERT INTO _change_log (entity, change_type, record_ids, transaction_key, sequence_number, commit_timestamp, commit_user, changed_fields, nulled_fields, payload, commit_number) VALUES ${tuples.join(',')}`,
      params,
    );
  }
}
