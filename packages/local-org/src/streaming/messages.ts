/**
 * The `data` of a streaming message, as Salesforce's CometD endpoint sends it:
 * `{schema, payload, event: {replayId}}`. A change event's payload is its `ChangeEventHeader`
 * plus the body fields the change log kept (see `changeOf` in `record-store.ts`); a platform
 * event's payload is its fields with `CreatedDate`, `CreatedById` and `EventUuid`. Date-times are
 * ISO-8601 UTC with a `Z` (`2024-01-15T10:30:00.000Z`), as in Salesforce's event JSON, not the
 * REST API's `+0000`.
 */
import { createHash } from 'node:crypto';
import type { Schema } from '../schema/schema.js';
import type { SObjectDef } from '../schema/types.js';
import type { LogRow } from './event-log.js';

/** The `data` of one delivered event. */
export interface StreamingEventData {
  /** Id of the event's schema (a fingerprint of the entity's fields). */
  schema: string;
  payload: Record<string, unknown>;
  event: { replayId: number };
}

/** A Bayeux event message as it rides in a `/meta/connect` response. */
export interface StreamingMessage {
  channel: string;
  data: StreamingEventData;
}

const schemaIds = new WeakMap<SObjectDef, string>();

/**
 * A stable 22-character id for the event schema of `o`, shaped like Salesforce's (base64url of a
 * 128-bit digest): it changes when the object's fields change, as the real one does.
 */
export function schemaIdOf(o: SObjectDef): string {
  let id = schemaIds.get(o);
  if (id === undefined) {
    const shape = `${o.name}(${o.fields.map((f) => `${f.name}:${f.type}`).join(',')})`;
    id = createHash('md5').update(shape).digest('base64url');
    schemaIds.set(o, id);
  }
  return id;
}

/** The message `row` makes on `channel` (the subscribed channel, so the client routes it). */
export function messageOf(schema: Schema, channel: string, row: LogRow): StreamingMessage {
  const name = row.kind === 'change' ? row.entityName : row.eventName;
  const o = schema.object(name);
  const payload: Record<string, unknown> = {};
  if (row.kind === 'change') {
    payload['ChangeEventHeader'] = {
      entityName: row.entityName,
      recordIds: row.recordIds,
      changeType: row.changeType,
      // Salesforce fills this only for API clients that name themselves (Sforce-Call-Options).
      changeOrigin: '',
      transactionKey: row.transactionKey,
      sequenceNumber: row.sequenceNumber,
      commitTimestamp: row.commitTimestamp,
      commitNumber: row.commitNumber,
      commitUser: row.commitUser,
      nulledFields: row.nulledFields,
      diffFields: [],
      changedFields: row.changedFields,
    };
  }
  const values = row.kind === 'change' ? row.values : row.payload;
  for (const [field, value] of Object.entries(values)) {
    const type = o ? schema.field(o.name, field)?.type : undefined;
    payload[field] = type === 'datetime' && typeof value === 'string' ? isoUtc(value) : value;
  }
  return {
    channel,
    data: { schema: o ? schemaIdOf(o) : '', payload, event: { replayId: row.replayId } },
  };
}

/** `2024-01-15T10:30:00.000+0000` (storage) or any ISO date-time → `2024-01-15T10:30:00.000Z`. */
function isoUtc(value: string): string {
  const t = Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}
