/**
 * Relationship columns of an upload header (`Account.AccountNumber`, `Vehicle__r.VIN__c`): the
 * lookup is set by the parent's external id instead of its record id, as Salesforce documents
 * under "Relationship Fields in a Header Row". Values are resolved per internal batch, inside its
 * transaction, with one query per relationship column; a value no live parent has fails its row
 * with Salesforce's `Foreign key external ID` error.
 *
 * Not supported: the polymorphic form (`Owner:User.Username`) and lookups with several targets.
 */
import type { Row } from '../data/store-types.js';
import { SalesforceError } from '../errors.js';
import { isValidId, to18 } from '../ids.js';
import type { Schema } from '../schema/schema.js';
import type { FieldDef } from '../schema/types.js';
import type { Sql } from '../storage/database.js';
import { ident } from '../storage/ddl.js';

/** A header column `<relationship>.<external id field>`. */
export interface RelationshipColumn {
  /** Position in the header. */
  index: number;
  /** The lookup field set on the record (`AccountId`). */
  referenceField: string;
  /** The parent object (`Account`). */
  target: string;
  /** The parent's field matched against the value (external id, or Id). */
  key: FieldDef;
}

/** The relationship column `header` stands for on `object`, or undefined when it is none. */
export function relationshipColumn(schema: Schema, object: string, header: string, index: number): RelationshipColumn | undefined {
  const dot = header.indexOf('.');
  if (dot <= 0) return undefined;
  const lookup = schema.parentRelationship(object, header.slice(0, dot).trim());
  if (!lookup || lookup.referenceTo.length !== 1) return undefined;
  const target = schema.object(lookup.referenceTo[0]!);
  const key = target ? schema.field(target.name, header.slice(dot + 1).trim()) : undefined;
  if (!target || !key || !(key.externalId || key.name === 'Id')) return undefined;
  return { index, referenceField: lookup.name, target: target.name, key };
}

const notFound = (value: string, c: RelationshipColumn) =>
  new SalesforceError('INVALID_FIELD', `Foreign key external ID: ${value} not found for field ${c.key.name} in entity ${c.target}`, 400);
const ambiguous = (value: string, c: RelationshipColumn) =>
  new SalesforceError('INVALID_FIELD', `Foreign key external ID: ${value} matches more than one record for field ${c.key.name} in entity ${c.target}`, 400);

/**
 * Sets each row's lookup from its relationship columns. `#N/A` clears the lookup, an empty value
 * leaves it alone. Returns the error of every row whose value matched no (or several) parents.
 */
export async function resolveRelationshipColumns(
  sql: Sql,
  columns: RelationshipColumn[],
  fields: string[][],
  bodies: Row[],
  nullValue: string,
): Promise<Map<number, SalesforceError>> {
  const errors = new Map<number, SalesforceError>();
  for (const c of columns) {
    // Ids match in their 18-character form; external ids as their field compares them.
    const fold = (v: string) => (c.key.name === 'Id' ? (isValidId(v) ? to18(v) : v) : c.key.caseSensitive ? v : v.toLowerCase());
    const wanted = new Set<string>();
    for (const row of fields) {
      const v = row[c.index] ?? '';
      if (v !== '' && v !== nullValue) wanted.add(fold(v));
    }
    const found = new Map<string, string[]>();
    if (wanted.size > 0) {
      const col = c.key.caseSensitive || c.key.name === 'Id' ? ident(c.key.name) : `lower(${ident(c.key.name)})`;
      const r = await sql.query<{ Id: string; k: string }>(
        `SELECT "Id", ${col} AS k FROM ${ident(c.target)} WHERE ${col} = ANY($1) AND NOT "IsDeleted"`,
        [[...wanted]],
      );
      for (const { Id, k } of r.rows) found.set(k, [...(found.get(k) ?? []), Id]);
    }
    for (const [i, row] of fields.entries()) {
      const v = row[c.index] ?? '';
      if (v === '' || errors.has(i)) continue;
      if (v === nullValue) {
        bodies[i]![c.referenceField] = null;
        continue;
      }
      const ids = found.get(fold(v)) ?? [];
      if (ids.length === 1) bodies[i]![c.referenceField] = ids[0];
      else errors.set(i, ids.length === 0 ? notFound(v, c) : ambiguous(v, c));
    }
  }
  return errors;
}
