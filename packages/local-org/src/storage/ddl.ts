/**
 * Tables for a schema, following the layout contract in `schema/types.ts`: one table per sObject,
 * one column per field, exact API names double-quoted.
 */
import { createHash } from 'node:crypto';
import type { Schema } from '../schema/schema.js';
import type { FieldDef, SObjectDef } from '../schema/types.js';

/** Double-quotes an identifier that comes from the schema (never from a user value). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The sequence behind an auto-number field (created with the object's table): `_an_<object>_<field>`, lower case, shortened with a hash when over
 * PostgreSQL's 63 characters. Names come from the schema, never from a request.
 */
export function autoNumberSequence(object: string, field: string): string {
  const name = `_an_${object}_${field}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (name.length <= 63) return name;
  return `${name.slice(0, 54)}_${createHash('sha1').update(name).digest('hex').slice(0, 8)}`;
}

/** A SQL string literal of a schema name. */
function literal(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/** SQL column type of a field. */
export function columnType(f: FieldDef): string {
  switch (f.type) {
    case 'boolean':
      return 'boolean NOT NULL DEFAULT false';
    case 'int':
      return 'bigint';
    case 'double':
    case 'currency':
    case 'percent':
      return 'numeric';
    case 'date':
      return 'date';
    case 'datetime':
      return 'timestamptz';
    default:
      return 'text';
  }
}

/**
 * Lookups to users and queues only (OwnerId, CreatedById, LastModifiedById): not indexed. Users are
 * never deleted, so no cascade looks records up by them, and every record has three of them: on a
 * Quote they were 3 of 9 indexes, and each index is paid on every insert (a third of a batch
 * insert's time). A query that filters on them scans the table, which a local org can afford.
 */
function isUserLookup(f: FieldDef): boolean {
  return f.type === 'reference' && f.referenceTo.length > 0 && f.referenceTo.every((t) => t === 'User' || t === 'Group');
}

/**
 * `CREATE TABLE` for one object, with indexes on lookups (but to users) and external-id fields,
 * unique indexes on unique fields, and a sequence per auto-number field.
 */
export function tableDdl(o: SObjectDef): string {
  const cols = o.fields.map((f) => `${ident(f.name)} ${columnType(f)}${f.name === 'Id' ? ' PRIMARY KEY' : ''}`);
  const stmts = [`CREATE TABLE IF NOT EXISTS ${ident(o.name)} (${cols.join(', ')})`];
  for (const f of o.fields) {
    if (f.name === 'Id') continue;
    const expr = (f.unique || f.externalId) && !f.caseSensitive && columnType(f) === 'text' ? `(lower(${ident(f.name)}))` : `(${ident(f.name)})`;
    if (f.unique) {
      // Enforced by the database too (live records only, as the store checks): the store's own
      // check gives Salesforce's error, this one holds when two transactions insert at once.
      const index = ident(`${o.name}_${f.name}_uniq`.toLowerCase().slice(0, 63));
      stmts.push(`CREATE UNIQUE INDEX IF NOT EXISTS ${index} ON ${ident(o.name)} ${expr} WHERE NOT "IsDeleted"`);
    } else if ((f.type === 'reference' && !isUserLookup(f)) || f.externalId) {
      const index = ident(`${o.name}_${f.name}_idx`.toLowerCase().slice(0, 63));
      stmts.push(`CREATE INDEX IF NOT EXISTS ${index} ON ${ident(o.name)} ${expr}`);
    }
    if (f.autoNumberFormat) stmts.push(`CREATE SEQUENCE IF NOT EXISTS ${autoNumberSequence(o.name, f.name)}`);
  }
  return stmts.join(';\n');
}

/**
 * Continues each auto-number sequence from the `_autonumber` row versions before the sequences
 * kept, when that row is ahead (a data directory or schema from an earlier version). Needs the
 * store's tables (`STORE_DDL`).
 */
export function autoNumberCarryOverSql(schema: Schema): string {
  return schema
    .objects()
    .flatMap((o) =>
      o.fields
        .filter((f) => f.autoNumberFormat)
        .map((f) => {
          const sequence = autoNumberSequence(o.name, f.name);
          return (
            `SELECT setval('${sequence}', a.last) FROM _autonumber a WHERE a.object = ${literal(o.name)} AND a.field = ${literal(f.name)} ` +
            `AND a.last > (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM ${sequence});`
          );
        }),
    )
    .join('\n');
}

/** DDL for every object of `schema`. */
export function schemaDdl(schema: Schema): string {
  return schema.objects().map(tableDdl).join(';\n') + ';';
}
