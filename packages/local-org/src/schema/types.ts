/**
 * The shape of the org's data model, as `describe` reports it. Built-in standard objects
 * (`standard-objects.ts`) and the project's custom objects (`force-app` metadata,
 * `metadata-loader.ts`) both produce these; storage, validation, SOQL and describe read them.
 *
 * Storage layout (a contract every module relies on): one SQL table per sObject named exactly
 * like the object (`"Account"`, `"Vehicle__c"`, always double-quoted), one column per field named
 * exactly like the field (`"AccountId"`, `"Region__c"`). Ids are stored in their 18-character form.
 * Every table has the audit/system fields, including `IsDeleted` (soft delete: deleted rows stay,
 * `queryAll` sees them).
 */

/** Field types with the names Salesforce's describe uses. */
export type FieldType =
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

/** One picklist entry as describe reports it. */
export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

/** One field of an sObject. */
export interface FieldDef {
  /** API name, exact case (`AccountId`, `Region__c`). */
  name: string;
  label: string;
  type: FieldType;
  /** Custom field (`__c`). */
  custom: boolean;
  /** Max characters for text-like types. @defaultValue 0 for non-text types */
  length: number;
  /** Total digits for number types (`double`, `currency`, `percent`, `int`). @defaultValue 0 */
  precision: number;
  /** Digits after the decimal point for number types. @defaultValue 0 */
  scale: number;
  /** False when a value is required on create (REQUIRED_FIELD_MISSING) unless `defaultValue` applies. */
  nillable: boolean;
  /** Settable on create. System, formula, roll-up and auto-number fields are not. */
  createable: boolean;
  /** Settable on update. */
  updateable: boolean;
  /** Can appear in WHERE. */
  filterable: boolean;
  /** Can appear in ORDER BY. */
  sortable: boolean;
  /** Can appear in GROUP BY. */
  groupable: boolean;
  /** Value applied on create when the field is absent (`defaultedOnCreate` in describe). */
  defaultValue?: string | number | boolean | null;
  /** True when the org fills the value itself (audit fields, auto-numbers, defaults). */
  defaultedOnCreate: boolean;
  /** Unique across the object's rows (DUPLICATE_VALUE). */
  unique: boolean;
  /** Usable as the key of an upsert (`PATCH /sobjects/T/Field/Value`). */
  externalId: boolean;
  /** Unique comparison is case-sensitive. @defaultValue false */
  caseSensitive: boolean;
  /** Picklist entries (`picklist`, `multipicklist`). */
  picklistValues: PicklistValue[];
  /** Values outside `picklistValues` are refused (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST). */
  restrictedPicklist: boolean;
  /** Target objects of a `reference` field. */
  referenceTo: string[];
  /** Parent relationship name for SOQL paths (`Account` for `AccountId`, `Vehicle__r` for `Vehicle__c`). */
  relationshipName: string | null;
  /**
   * Name of the relationship seen from the parent, used in SOQL subqueries (`OpportunityLineItems`
   * for `OpportunityLineItem.OpportunityId`; `Cases__r`-style `<relationshipName>__r` for custom
   * lookups). Null when the parent exposes no child relationship.
   */
  childRelationshipName: string | null;
  /** Deleting the parent deletes this record (master-detail, or built-in cascades like OpportunityLineItem). */
  cascadeDelete: boolean;
  /**
   * Deleting the parent is refused while this record still points at it (a lookup whose
   * `deleteConstraint` is `Restrict`: DELETE_FAILED). @defaultValue false
   */
  restrictedDelete?: boolean;
  /** Value is computed by the org (formula or roll-up summary): read-only. */
  calculated: boolean;
  /** Auto-number display format, e.g. `VO-{0000}`; present only on auto-number fields. */
  autoNumberFormat?: string;
}

/** A child relationship as `describe` lists it on the parent. */
export interface ChildRelationship {
  childSObject: string;
  /** The lookup field on the child. */
  field: string;
  /** Name used in SOQL subqueries (`OpportunityLineItems`, `Cars__r`). */
  relationshipName: string;
  cascadeDelete: boolean;
}

/** One sObject type. */
export interface SObjectDef {
  /** API name, exact case. */
  name: string;
  label: string;
  labelPlural: string;
  /** First three characters of this object's ids (`001` for Account). */
  keyPrefix: string;
  custom: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  /** Change Data Capture is enabled for this entity (read from force-app `ChangeEvents` channel members). */
  cdcEnabled?: boolean;
  /** Fields in describe order; `Id` first. */
  fields: FieldDef[];
}
