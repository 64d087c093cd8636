/**
 * The offline description of the org's data model that the SOQL builder and
 * `validateWhereClause` check identifiers against: which object has which fields, parent
 * relationships and child relationships. `pnpm codegen` writes the project's map to
 * `src/generated/schema-map.ts` from local-org's schema (standard objects + force-app); callers
 * with a different org can pass their own map.
 */

/** Field types, named as Salesforce's describe names them. */
export type FieldKind =
  | 'id'
  | 'string'
  | 'textarea'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'reference'
  | 'address';

/** One field, with the describe flags the client relies on. */
export interface FieldInfo {
  name: string;
  type: FieldKind;
  /** Can be null (else required on create unless defaulted). */
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  /** Usable in WHERE. */
  filterable: boolean;
  /** Usable in ORDER BY. */
  sortable: boolean;
  /** Unique across the object's rows. */
  unique: boolean;
  /** Usable as an upsert key. */
  externalId: boolean;
  /** Targets of a reference field. */
  referenceTo?: string[];
  /** Name of the parent relationship of a reference field (`Account` for `AccountId`). */
  relationshipName?: string;
  /** Values of a picklist. */
  picklistValues?: string[];
}

/** A child relationship as seen from the parent (`OpportunityLineItems` on Opportunity). */
export interface ChildInfo {
  relationshipName: string;
  childSObject: string;
  /** The lookup field on the child. */
  field: string;
}

/** One sObject type. */
export interface ObjectInfo {
  name: string;
  keyPrefix: string;
  custom: boolean;
  queryable: boolean;
  createable: boolean;
  /** Fields by exact API name. */
  fields: Record<string, FieldInfo>;
  /** Child relationships by exact relationship name. */
  children: Record<string, ChildInfo>;
}

/** Objects by exact API name. */
export type SchemaMap = Record<string, ObjectInfo>;
