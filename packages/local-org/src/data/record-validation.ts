/**
 * The checks a write passes before anything is stored: the body's fields (known, writable, values
 * coerced), ids of the right object, lookups to live records of the right type, required fields
 * and unique values. Each check takes the whole batch and marks the records that fail in
 * `results`; lookups are one query per target object, never per record.
 */
import { SalesforceError } from '../errors.js';
import { keyPrefixOf, to18 } from '../ids.js';
import type { Schema } from '../schema/schema.js';
import type { FieldDef, SObjectDef } from '../schema/types.js';
import type { Sql } from '../storage/database.js';
import { ident } from '../storage/ddl.js';
import { failure } from './batch-results.js';
import { coerceValue } from './coerce.js';
import { storeErrors as errs } from './store-errors.js';
import { SYSTEM_FIELDS, type Row, type WriteResult, type WriteTx } from './store-types.js';

/** Body → row: known fields only, writable only, values coerced. */
export function readBody(schema: Schema, o: SObjectDef, body: Row, op: 'create' | 'update'): Row {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SalesforceError('JSON_PARSER_ERROR', `Expected an object for sObject ${o.name}`, 400);
  }
  const row: Row = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'attributes') continue;
    const f = schema.field(o.name, key);
    if (!f) throw errs.noSuchColumn(key, o.name);
    if (op === 'create' ? !f.createable : !f.updateable) throw errs.notWritable(f);
    row[f.name] = coerceValue(f, value);
  }
  return row;
}

/** The 18-character id `raw` of a record of `o`, or MALFORMED_ID. */
export function idOf(o: SObjectDef, raw: string): string {
  let id: string;
  try {
    id = to18(raw);
  } catch {
    throw new SalesforceError('MALFORMED_ID', `${o.label} ID: id value of incorrect type: ${raw}`, 400, ['Id']);
  }
  if (keyPrefixOf(id) !== o.keyPrefix) {
    throw new SalesforceError('MALFORMED_ID', `${o.label} ID: id value of incorrect type: ${raw}`, 400, ['Id']);
  }
  return id;
}

/** The value a create gives a field the body left out: its default, a default picklist value, false. */
export function defaultOf(f: FieldDef): unknown {
  if (f.defaultValue !== undefined && f.defaultValue !== null) return coerceValue(f, f.defaultValue);
  if (f.type === 'picklist') {
    const d = f.picklistValues.find((p) => p.defaultValue);
    if (d) return d.value;
  }
  if (f.type === 'boolean') return false;
  return undefined;
}

/** Loads every referenced record (one query per target object) and checks type and liveness. */
export async function validateReferences(
  schema: Schema,
  tx: WriteTx,
  o: SObjectDef,
  rows: (Row | undefined)[],
  results: (WriteResult | undefined)[],
): Promise<void> {
  const refFields = o.fields.filter((f) => f.type === 'reference');
  const wanted = new Map<string, Set<string>>();
  for (const [i, row] of rows.entries()) {
    if (!row || results[i]) continue;
    for (const f of refFields) {
      const id = row[f.name];
      if (typeof id !== 'string') continue;
      const target = schema.objectByKeyPrefix(keyPrefixOf(id));
      if (!target || (f.referenceTo.length > 0 && !f.referenceTo.some((t) => t.toLowerCase() === target.name.toLowerCase()))) {
        results[i] = failure(errs.crossReference(f));
        break;
      }
      if (tx.created.has(id)) continue;
      const set = wanted.get(target.name) ?? new Set<string>();
      set.add(id);
      wanted.set(target.name, set);
    }
  }
  const found = new Set<string>();
  for (const [target, ids] of wanted) {
    const r = await tx.sql.query<{ Id: string }>(
      `SELECT "Id" FROM ${ident(target)} WHERE "Id" = ANY($1) AND NOT "IsDeleted"`,
      [[...ids]],
    );
    for (const x of r.rows) found.add(x.Id);
  }
  const isLive = (id: string) => found.has(id) || tx.created.has(id);
  for (const [i, row] of rows.entries()) {
    if (!row || results[i]) continue;
    const bad = refFields.find((f) => typeof row[f.name] === 'string' && !isLive(row[f.name] as string));
    if (bad) results[i] = failure(errs.crossReference(bad));
  }
}

/**
 * REQUIRED_FIELD_MISSING for every required createable field that is null. On update only the
 * fields the patch touches are checked (clearing a required field is an error; an old record
 * without a value is not).
 */
export function checkRequired(
  o: SObjectDef,
  rows: (Row | undefined)[],
  results: (WriteResult | undefined)[],
  patches?: (Row | undefined)[],
): void {
  const required = o.fields.filter(
    (f) => !f.nillable && f.type !== 'boolean' && !SYSTEM_FIELDS.has(f.name) && (patches ? f.updateable : f.createable) && !f.defaultedOnCreate,
  );
  for (const [i, row] of rows.entries()) {
    if (!row || results[i]) continue;
    const patch = patches?.[i];
    const missing = required
      .filter((f) => (patch ? f.name in patch : true) && (row[f.name] === null || row[f.name] === undefined))
      .map((f) => f.name);
    if (missing.length > 0) results[i] = failure(errs.required(missing));
  }
}

/** DUPLICATE_VALUE against stored rows and within the batch itself. */
export async function checkUnique(sql: Sql, o: SObjectDef, rows: (Row | undefined)[], results: (WriteResult | undefined)[]): Promise<void> {
  for (const f of o.fields.filter((x) => (x.unique || (x.externalId && x.unique)) && x.name !== 'Id')) {
    const norm = (v: unknown) => (f.caseSensitive ? String(v) : String(v).toLowerCase());
    const seen = new Map<string, string>();
    const values: string[] = [];
    for (const [i, row] of rows.entries()) {
      if (!row || results[i] || row[f.name] == null) continue;
      const key = norm(row[f.name]);
      const self = (row['Id'] as string | undefined) ?? `#${i}`;
      if (seen.has(key) && seen.get(key) !== self) {
        results[i] = failure(errs.duplicate(f, seen.get(key)!.startsWith('#') ? '' : seen.get(key)!));
        continue;
      }
      seen.set(key, self);
      values.push(key);
    }
    if (values.length === 0) continue;
    const cmp = f.caseSensitive ? ident(f.name) : `lower(${ident(f.name)})`;
    const r = await sql.query<{ Id: string; k: string }>(
      `SELECT "Id", ${cmp} AS k FROM ${ident(o.name)} WHERE ${cmp} = ANY($1) AND NOT "IsDeleted"`,
      [values],
    );
    const taken = new Map(r.rows.map((x) => [x.k, x.Id]));
    for (const [i, row] of rows.entries()) {
      if (!row || results[i] || row[f.name] == null) continue;
      const owner = taken.get(norm(row[f.name]));
      if (owner && owner !== row['Id']) results[i] = failure(errs.duplicate(f, owner));
    }
  }
}
