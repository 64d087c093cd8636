/**
 * The sObject row operations (create, retrieve, update, delete, upsert by external id) as plain
 * functions over a write transaction, answering with the status and body the REST API gives.
 * The `/sobjects` routes and the composite resources (whose subrequests share one transaction)
 * both call these, so a node of a composite graph behaves exactly like the single request.
 */
import { SalesforceError } from '../errors.js';
import { MultipleMatchesError } from '../data/store-errors.js';
import type { Row, WriteResult, WriteTx } from '../data/store-types.js';
import type { OrgRuntime } from '../org-runtime.js';
import { isPlatformEvent, publishPlatformEvent } from '../streaming/index.js';

/** A REST answer before serialisation. */
export interface RestResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Record as the REST API returns it: `attributes` first, then every field. */
export function recordBody(org: OrgRuntime, type: string, row: Row, version: string, fields?: string[]): Row {
  const o = org.schema.object(type);
  const name = o?.name ?? type;
  const out: Row = { attributes: { type: name, url: `/services/data/v${version}/sobjects/${name}/${row['Id']}` } };
  const wanted = fields ?? o?.fields.map((f) => f.name) ?? Object.keys(row);
  for (const n of wanted) {
    const f = org.schema.field(name, n);
    if (!f) throw new SalesforceError('INVALID_FIELD', `No such column '${n}' on sobject of type ${name}`, 400);
    out[f.name] = row[f.name] ?? null;
  }
  return out;
}

/** Throws the result's error, or returns its id. */
export function unwrap(result: WriteResult | undefined): { id: string; created: boolean } {
  if (!result) throw new Error('missing write result');
  if (!result.ok) throw result.error;
  return result;
}

/** POST /sobjects/T */
export async function createRecord(org: OrgRuntime, tx: WriteTx, type: string, body: unknown, version: string): Promise<RestResponse> {
  const o = org.store.objectOrThrow(type);
  // A platform event is published (after commit), not stored: 201 with OPERATION_ENQUEUED.
  if (isPlatformEvent(o)) return { status: 201, body: publishPlatformEvent(org, tx, o.name, asObject(body)) };
  const { id } = unwrap((await org.store.create(tx, o.name, [asObject(body)]))[0]);
  return createdResponse(o.name, id, version);
}

/** The answer to a create: 201 `{id, success, errors}` with the new record's Location. */
export function createdResponse(type: string, id: string, version: string): RestResponse {
  return {
    status: 201,
    body: { id, success: true, errors: [] },
    headers: { Location: `/services/data/v${version}/sobjects/${type}/${id}` },
  };
}

/** GET /sobjects/T/Id[?fields=a,b] */
export async function retrieveRecord(
  org: OrgRuntime,
  tx: WriteTx | null,
  type: string,
  id: string,
  version: string,
  fields?: string[],
): Promise<RestResponse> {
  const o = org.store.objectOrThrow(type);
  const row = await org.store.retrieve(o.name, id, tx?.sql);
  if (!row) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404);
  return { status: 200, body: recordBody(org, o.name, row, version, fields) };
}

/** PATCH /sobjects/T/Id → 204 */
export async function updateRecord(org: OrgRuntime, tx: WriteTx, type: string, id: string, body: unknown): Promise<RestResponse> {
  const o = org.store.objectOrThrow(type);
  unwrap((await org.store.update(tx, o.name, [{ ...asObject(body), Id: id }]))[0]);
  return { status: 204, body: null };
}

/** DELETE /sobjects/T/Id → 204 */
export async function deleteRecord(org: OrgRuntime, tx: WriteTx, type: string, id: string): Promise<RestResponse> {
  const o = org.store.objectOrThrow(type);
  unwrap((await org.store.remove(tx, o.name, [id]))[0]);
  return { status: 204, body: null };
}

/**
 * PATCH /sobjects/T/Field/Value: 201 `{id, success, errors, created:true}` when inserted, 200 with
 * `created:false` when an existing record was updated (API 46.0 and later).
 */
export async function upsertRecord(
  org: OrgRuntime,
  tx: WriteTx,
  type: string,
  field: string,
  value: string | undefined,
  body: unknown,
  version: string,
): Promise<RestResponse> {
  const o = org.store.objectOrThrow(type);
  const payload = asObject(body);
  const f = org.schema.field(o.name, field);
  if (value === undefined && f?.name !== 'Id') {
    throw new SalesforceError('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${field}`, 404);
  }
  if (value !== undefined && f && Object.keys(payload).some((k) => k.toLowerCase() === f.name.toLowerCase())) {
    // Salesforce refuses the key in both the URL and the body when they differ.
    const inBody = Object.entries(payload).find(([k]) => k.toLowerCase() === f.name.toLowerCase())?.[1];
    if (String(inBody) !== value) {
      throw new SalesforceError('INVALID_FIELD', `${f.name} in URL and body do not match`, 400, [f.name]);
    }
  }
  const record = f && f.name !== 'Id' ? { ...payload, [f.name]: value } : { ...payload, Id: value ?? null };
  const result = (await org.store.upsert(tx, o.name, field, [record]))[0];
  if (result && !result.ok && result.error instanceof MultipleMatchesError) {
    // Several records hold the key: 300 with their URLs, not an error array.
    return { status: 300, body: multipleChoices(o.name, result.error.ids, version) };
  }
  const { id, created } = unwrap(result);
  return {
    status: created ? 201 : 200,
    body: { id, success: true, errors: [], created },
    ...(created ? { headers: { Location: `/services/data/v${version}/sobjects/${o.name}/${id}` } } : {}),
  };
}

/** The body of a 300 Multiple Choices: the URL of every record that matched. */
export function multipleChoices(type: string, ids: string[], version: string): string[] {
  return ids.map((id) => `/services/data/v${version}/sobjects/${type}/${id}`);
}

function asObject(body: unknown): Row {
  if (body === null || body === undefined || typeof body !== 'object' || Array.isArray(body)) {
    throw new SalesforceError('JSON_PARSER_ERROR', 'The request body must be a JSON object', 400);
  }
  return body as Row;
}

/**
 * Runs one subrequest given as method + URL (composite and composite graph nodes). Supported:
 * the sObject row resources and, for `/composite`, query.
 */
export async function dispatchSObjectRequest(
  org: OrgRuntime,
  tx: WriteTx,
  method: string,
  url: string,
  body: unknown,
): Promise<RestResponse> {
  const m = /^\/services\/data\/v(\d+\.\d)\/sobjects\/([A-Za-z0-9_]+)(?:\/([^/?]+))?(?:\/([^/?]+))?(?:\?(.*))?$/.exec(url);
  if (!m) {
    throw new SalesforceError('NOT_FOUND', `The requested resource does not exist`, 404);
  }
  const [, version = '', type = '', a, b, query] = m;
  const verb = method.toUpperCase();
  if (!org.apiVersions.includes(version)) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404);
  const decode = (s: string) => decodeURIComponent(s);
  if (a === undefined) {
    if (verb === 'POST') return createRecord(org, tx, type, body, version);
  } else if (b === undefined) {
    const fields = new URLSearchParams(query ?? '').get('fields')?.split(',').map((s) => s.trim()).filter(Boolean);
    if (verb === 'GET') return retrieveRecord(org, tx, type, decode(a), version, fields);
    if (verb === 'PATCH') return updateRecord(org, tx, type, decode(a), body);
    if (verb === 'DELETE') return deleteRecord(org, tx, type, decode(a));
    if (verb === 'POST') return upsertRecord(org, tx, type, decode(a), undefined, body, version);
  } else if (verb === 'PATCH' || verb === 'POST') {
    return upsertRecord(org, tx, type, decode(a), decode(b), body, version);
  }
  throw new SalesforceError(
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${verb}' not allowed. Allowed are HEAD,GET,PATCH,DELETE`,
    405,
  );
}
