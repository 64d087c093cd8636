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
  /** Fields whose value changed (all non-null fields on CREATE). */
  changedFields: string[];
  /** Fields set to null by an UPDATE. */
  nulledFields: string[];
  /** New values of the changed fields. */
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
`;

/** Appends `changes` (already filtered to CDC-enabled entities) inside the writing transaction. */
export async function appendChanges(
  sql: Sql,
  changes: RecordChange[],
  meta: { transactionKey: string; firstSequence: number; commitTimestamp: number; commitUser: string },
): Promise<void> {
  if (changes.length === 0) return;
  const params: unknown[] = [];
  const tuples = changes.map((c, i) => {
    params.push(
      c.entityName,
      c.changeType,
      [c.recordId],
      meta.transactionKey,
      meta.firstSequence + i,
      meta.commitTimestamp,
      meta.commitUser,
      c.changedFields,
      c.nulledFields,
      JSON.stringify(c.values),
    );
    const b = i * 10;
    return `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},$${b + 8},$${b + 9},$${b + 10}::jsonb)`;
  });
  await sql.query(
    `INSERT INTO _change_log (entity, change_type, record_ids, transaction_key, sequence_number, commit_timestamp, commit_user, changed_fields, nulled_fields, payload) VALUES ${tuples.join(',')}`,
    params,
  );
}
