/**
 * The durable event logs subscribers replay from: `_change_log` (change events, written by the
 * RecordStore in the writing transaction) and `_event_log` (platform events, written here in the
 * publishing transaction). Delivery always reads these tables by replay id, so what a subscriber
 * gets is exactly what committed, in commit order, whatever it missed while disconnected.
 * Replay ids are one sequence per table: monotonic per channel, with gaps, as on Salesforce.
 */
import { EVENT_LOG_LOCK_SQL, type ChangeEventRow, type ChangeType } from '../data/change-log.js';
import type { Database, Sql } from '../storage/database.js';
import type { ChannelSource } from './channels.js';

export const EVENT_LOG_DDL = `
CREATE TABLE IF NOT EXISTS _event_log (
  replay_id bigserial PRIMARY KEY,
  event_name text NOT NULL,
  event_uuid text NOT NULL,
  created_ms bigint NOT NULL,
  payload jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS _event_log_name_idx ON _event_log (event_name, replay_id);
`;

/** One platform event message before it is numbered. */
export interface NewPlatformEvent {
  eventName: string;
  eventUuid: string;
  createdMs: number;
  /** Every field of the event, system fields (`CreatedDate`, `CreatedById`, `EventUuid`) included. */
  payload: Record<string, unknown>;
}

/** A numbered, committed platform event. */
export interface PlatformEventRow {
  replayId: number;
  eventName: string;
  payload: Record<string, unknown>;
}

/** A committed row of either log. */
export type LogRow = ({ kind: 'change' } & ChangeEventRow) | ({ kind: 'event' } & PlatformEventRow);

/** Appends platform events inside the publishing transaction (call it at the transaction's tail). */
export async function appendPlatformEvents(sql: Sql, events: NewPlatformEvent[]): Promise<void> {
  if (events.length === 0) return;
  await sql.query(EVENT_LOG_LOCK_SQL);
  const params: unknown[] = [];
  const tuples = events.map((e, k) => {
    params.push(e.eventName, e.eventUuid, e.createdMs, JSON.stringify(e.payload));
    return `($${k * 4 + 1},$${k * 4 + 2},$${k * 4 + 3},$${k * 4 + 4}::jsonb)`;
  });
  await sql.query(`INSERT INTO _event_log (event_name, event_uuid, created_ms, payload) VALUES ${tuples.join(',')}`, params);
}

interface ChangeLogRecord {
  replay_id: number;
  entity: string;
  change_type: ChangeType;
  record_ids: string[];
  transaction_key: string;
  sequence_number: number;
  commit_timestamp: number;
  commit_number: number;
  commit_user: string;
  changed_fields: string[];
  nulled_fields: string[];
  payload: Record<string, unknown>;
}

/** Up to `limit` committed rows of `source` with a replay id above `after`, in replay-id order. */
export async function readAfter(db: Sql, source: ChannelSource, after: number, limit: number): Promise<LogRow[]> {
  if (source.kind === 'event') {
    const r = await db.query<{ replay_id: number; event_name: string; payload: Record<string, unknown> }>(
      `SELECT replay_id, event_name, payload FROM _event_log WHERE event_name = $1 AND replay_id > $2 ORDER BY replay_id LIMIT $3`,
      [source.eventName, after, limit],
    );
    return r.rows.map((x) => ({ kind: 'event', replayId: Number(x.replay_id), eventName: x.event_name, payload: x.payload }));
  }
  if (source.entities.length === 0) return [];
  const r = await db.query<ChangeLogRecord>(
    `SELECT * FROM _change_log WHERE entity = ANY($1) AND replay_id > $2 ORDER BY replay_id LIMIT $3`,
    [source.entities, after, limit],
  );
  return r.rows.map((x) => ({
    kind: 'change',
    replayId: Number(x.replay_id),
    entityName: x.entity,
    changeType: x.change_type,
    recordIds: x.record_ids,
    transactionKey: x.transaction_key,
    sequenceNumber: Number(x.sequence_number),
    commitTimestamp: Number(x.commit_timestamp),
    commitNumber: Number(x.commit_number),
    commitUser: x.commit_user,
    changedFields: x.changed_fields,
    nulledFields: x.nulled_fields,
    values: x.payload,
  }));
}

/** What a log holds: replay ids `oldest..newest` are retained; `newest` is the last id handed out. */
export interface LogBounds {
  oldest: number;
  newest: number;
}

/**
 * The retained range of the log behind `source`, read while holding the event-log lock: no
 * writer is then between taking a replay id and committing it, so `newest` (the sequence's last
 * value) is committed and every id up to it is final. An empty log has `oldest = newest + 1`.
 */
export async function readBounds(db: Database, source: ChannelSource, notBeforeMs: number): Promise<LogBounds> {
  const [table, time] = source.kind === 'event' ? ['_event_log', 'created_ms'] : ['_change_log', 'commit_timestamp'];
  return db.transaction(async (sql) => {
    await sql.query(EVENT_LOG_LOCK_SQL);
    const seq = await sql.query<{ last_value: number; is_called: boolean }>(`SELECT last_value, is_called FROM ${table}_replay_id_seq`);
    const newest = seq.rows[0]?.is_called ? Number(seq.rows[0].last_value) : 0;
    const min = await sql.query<{ oldest: number | null }>(`SELECT min(replay_id) AS oldest FROM ${table} WHERE ${time} >= $1`, [notBeforeMs]);
    const oldest = min.rows[0]?.oldest;
    return { oldest: oldest == null ? newest + 1 : Number(oldest), newest };
  });
}

/** Deletes events committed before `beforeMs` from both logs; returns how many of each. */
export async function purgeBefore(db: Sql, beforeMs: number): Promise<{ changeEvents: number; platformEvents: number }> {
  const changes = await db.query(`DELETE FROM _change_log WHERE commit_timestamp < $1`, [beforeMs]);
  const events = await db.query(`DELETE FROM _event_log WHERE created_ms < $1`, [beforeMs]);
  return { changeEvents: changes.affectedRows, platformEvents: events.affectedRows };
}

/** Empties the platform event log and restarts its replay ids (the org's `reset()`). */
export async function truncateEventLog(db: Sql): Promise<void> {
  await db.exec(`TRUNCATE _event_log RESTART IDENTITY`);
}
