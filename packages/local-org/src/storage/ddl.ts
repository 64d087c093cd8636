/**
 * Tables for a schema, following the layout contract in `schema/types.ts`: one table per sObject,
 * one column per field, exact API names double-quoted.
 */
import type { Schema } from '../schema/schema.js';
import type { FieldDef, SObjectDef } from '../schema/types.js';

/** Double-quotes an identifier that comes from the schema (never from a user value). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
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

/** `CREATE TABLE` for one object, with indexes on lookups (but to users) and unique/external-id fields. */
export function tableDdl(o: SObjectDef): string {
  const cols = o.fields.map((f) => `${ident(f.name)} ${columnType(f)}${f.name === 'Id' ? ' PRIMARY KEY' : ''}`);
  const stmts = [`CREATE TABLE IF NOT EXISTS ${ident(o.name)} (${cols.join(', ')})`];
  for (const f of o.fields) {
    if (f.name === 'Id') continue;
    if ((f.type === 'reference' && !isUserLookup(f)) || f.unique || f.externalId) {
      const index = ident(`${o.name}_${f.name}_idx`.toLowerCase().slice(0, 63));
      const expr = (f.unique || f.externalId) && !f.caseSensitive && columnType(f) === 'text' ? `(lower(${ident(f.name)}))` : `(${ident(f.name)})`;
      stmts.push(`CREATE INDEX IF NOT EXISTS ${index} ON ${ident(o.name)} ${expr}`);
    }
  }
  return stmts.join(';\n');
}

/** DDL for every object of `schema`. */
export function schemaDdl(schema: Schema): string {
  return schema.objects().map(tableDdl).join(';\n') + ';';
}
