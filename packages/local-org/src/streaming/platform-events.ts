/**
 * Publishing platform events (`POST /sobjects/<Name>__e`, the same inside `/composite` and sObject
 * Collections, and `LocalOrg.publish`). Events are validated like records (known, createable
 * fields; values coerced by `coerce.ts`; required fields) and then behave as "Publish After
 * Commit" events: the message is appended to the event log at the tail of the publishing
 * transaction, so it is delivered only if that transaction commits, and subscribers are woken
 * after the commit. The save result is Salesforce's for asynchronous publishing: success with an
 * `OPERATION_ENQUEUED` entry whose message is the event's `EventUuid`.
 */
import { randomUUID } from 'node:crypto';
import { SalesforceError, errors } from '../errors.js';
import type { Row, WriteResult, WriteTx } from '../data/store-types.js';
import { coerceValue } from '../data/coerce.js';
import { makeId } from '../ids.js';
import type { OrgRuntime } from '../org-runtime.js';
import type { FieldDef, SObjectDef } from '../schema/types.js';
import { isPlatformEventName } from './channels.js';
import { platformEventsCommitted } from './commit-signal.js';
import { appendPlatformEvents, type NewPlatformEvent } from './event-log.js';

/** Fields the platform fills on every event. */
const SYSTEM_FIELDS = new Set(['ReplayId', 'CreatedDate', 'CreatedById', 'EventUuid']);

/** The outcome of one event: a `WriteResult` carrying the event's UUID when it was accepted. */
export type PublishResult = WriteResult & { eventUuid?: string };

/** A save result's `errors` entry for an accepted event. */
export interface EnqueuedStatus {
  statusCode: 'OPERATION_ENQUEUED';
  message: string;
  fields: string[];
}

/** True when `o` is a platform event (`__e`). */
export function isPlatformEvent(o: SObjectDef | undefined): boolean {
  return o !== undefined && isPlatformEventName(o.name);
}

/** `errors` of a save result: `[OPERATION_ENQUEUED <uuid>]` for a published event, `[]` for a record. */
export function enqueuedStatus(result: PublishResult): EnqueuedStatus[] {
  return result.ok && result.eventUuid ? [{ statusCode: 'OPERATION_ENQUEUED', message: result.eventUuid, fields: [] }] : [];
}

// Event ids are not meant to identify a message (Salesforce: "it isn't always unique"); a
// process-wide counter keeps them well-formed and distinct.
let eventSerial = 0;

/**
 * Publishes `bodies` as events of `type` in `tx`: one result per body, in order; an invalid body
 * is not published. Throwing out of the transaction (allOrNone) discards the valid ones too.
 */
export function publishPlatformEvents(org: OrgRuntime, tx: WriteTx, type: string, bodies: unknown[]): PublishResult[] {
  const o = org.store.objectOrThrow(type);
  const createdMs = Date.parse(tx.now);
  const pending: NewPlatformEvent[] = [];
  const results = bodies.map((body): PublishResult => {
    try {
      const fields = eventFields(org, o, body);
      const eventUuid = randomUUID();
      const payload = { CreatedDate: tx.now, CreatedById: org.userId, EventUuid: eventUuid, ...fields };
      pending.push({ eventName: o.name, eventUuid, createdMs, payload });
      return { ok: true, id: makeId(o.keyPrefix, ++eventSerial), created: true, eventUuid };
    } catch (e) {
      if (e instanceof SalesforceError) return { ok: false, error: e };
      throw e;
    }
  });
  if (pending.length > 0) {
    tx.beforeCommit.push((sql) => appendPlatformEvents(sql, pending));
    tx.afterCommit.push(() => platformEventsCommitted(org.store));
  }
  return results;
}

/** `POST /sobjects/<Name>__e`: the 201 body, or the body's error thrown. */
export function publishPlatformEvent(org: OrgRuntime, tx: WriteTx, type: string, body: unknown): {
  id: string;
  success: true;
  errors: EnqueuedStatus[];
} {
  const [result] = publishPlatformEvents(org, tx, type, [body]);
  if (!result) throw new Error('missing publish result');
  if (!result.ok) throw result.error;
  return { id: result.id, success: true, errors: enqueuedStatus(result) };
}

/** Every custom field of the event (null when not given), validated and coerced like a record's. */
function eventFields(org: OrgRuntime, o: SObjectDef, body: unknown): Row {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw errors.jsonParser(`Expected an object for sObject ${o.name}`);
  }
  const given = new Map<string, unknown>();
  for (const [key, value] of Object.entries(body as Row)) {
    if (key === 'attributes') continue;
    const f = org.schema.field(o.name, key);
    if (!f) throw new SalesforceError('INVALID_FIELD', `No such column '${key}' on sobject of type ${o.name}`, 400, [key]);
    if (!f.createable || SYSTEM_FIELDS.has(f.name)) throw notWritable(f);
    given.set(f.name, coerceValue(f, value));
  }
  const payload: Row = {};
  const missing: string[] = [];
  for (const f of o.fields) {
    if (SYSTEM_FIELDS.has(f.name)) continue;
    const value = given.has(f.name) ? given.get(f.name) : defaultOf(f);
    if ((value === null || value === undefined) && !f.nillable && f.type !== 'boolean') missing.push(f.name);
    payload[f.name] = value ?? null;
  }
  if (missing.length > 0) throw errors.requiredMissing(missing);
  return payload;
}

function defaultOf(f: FieldDef): unknown {
  if (f.defaultValue !== undefined && f.defaultValue !== null) return coerceValue(f, f.defaultValue);
  return f.type === 'boolean' ? false : null;
}

function notWritable(f: FieldDef): SalesforceError {
  return new SalesforceError(
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Unable to create/update fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    400,
    [f.name],
  );
}
