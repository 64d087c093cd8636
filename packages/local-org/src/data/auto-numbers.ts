/**
 * Numbers the store hands out: record ids (one sequence for the org, prefixed by each object's key
 * prefix) and auto-number fields (one sequence per field).
 */
import { makeId } from '../ids.js';
import type { SObjectDef } from '../schema/types.js';
import type { Sql } from '../storage/database.js';
import { autoNumberSequence } from '../storage/ddl.js';
import type { Row } from './store-types.js';

/**
 * Tables the store itself needs besides the objects' own. `_autonumber` held the last number of
 * each auto-number field before they had sequences; it is only read, once, to continue from it.
 */
export const STORE_DDL = `
CREATE SEQUENCE IF NOT EXISTS _id_serial START 100000;
CREATE TABLE IF NOT EXISTS _autonumber (object text NOT NULL, field text NOT NULL, last bigint NOT NULL, PRIMARY KEY (object, field));
`;

/** `n` new 18-character ids of object `o`. */
export async function newIds(sql: Sql, o: SObjectDef, n: number): Promise<string[]> {
  const r = await sql.query<{ n: number }>(`SELECT nextval('_id_serial') AS n FROM generate_series(1, $1)`, [n]);
  return r.rows.map((x) => makeId(o.keyPrefix, Number(x.n)));
}

/**
 * Auto-numbers from the field's own sequence (`autoNumberSequence`): numbers taken by a
 * transaction that rolls back are not given again (Salesforce leaves such gaps too), and two
 * transactions numbering the same field never wait for each other.
 */
export async function assignAutoNumbers(sql: Sql, o: SObjectDef, rows: Row[]): Promise<void> {
  for (const f of o.fields.filter((x) => x.autoNumberFormat)) {
    const r = await sql.query<{ n: number }>(
      `SELECT nextval('${autoNumberSequence(o.name, f.name)}') AS n FROM generate_series(1, $1)`,
      [rows.length],
    );
    const format = datedAutoNumberFormat(f.autoNumberFormat!, new Date());
    rows.forEach((row, k) => (row[f.name] = numberedAutoNumber(format, Number(r.rows[k]?.n))));
  }
}

/** `VO-{00000}` + 42 → `VO-00042`; `{YYYY}`/`{MM}`/`{DD}` are filled from today's date. */
export function formatAutoNumber(format: string, n: number, now = new Date()): string {
  return numberedAutoNumber(datedAutoNumberFormat(format, now), n);
}

/** The format with its date parts filled in (once per batch, not per record). */
function datedAutoNumberFormat(format: string, now: Date): string {
  return format
    .replace('{YYYY}', String(now.getUTCFullYear()))
    .replace('{YY}', String(now.getUTCFullYear()).slice(2))
    .replace('{MM}', String(now.getUTCMonth() + 1).padStart(2, '0'))
    .replace('{DD}', String(now.getUTCDate()).padStart(2, '0'));
}

function numberedAutoNumber(datedFormat: string, n: number): string {
  return datedFormat.replace(/\{(0+)\}/, (_m, zeros: string) => String(n).padStart(zeros.length, '0'));
}
