/**
 * Builders for `FieldDef`s and `SObjectDef`s. Both the built-in standard objects and the fields
 * read from force-app metadata go through `field()`, so the describe flags Salesforce derives from
 * a field's type (filterable, sortable, groupable, nillable, defaultedOnCreate) are decided in
 * exactly one place.
 */
import type { FieldDef, FieldType, PicklistValue, SObjectDef } from './types.js';

/** Everything a field table may say about one field; the rest follows from the type. */
export interface FieldOptions {
  /** Label as describe reports it. @defaultValue the API name split into words (`BillingCity` → `Billing City`, `AccountId` → `Account ID`) */
  label?: string;
  /** Max characters for text-like types. @defaultValue the type's Salesforce default (email 80, phone 40, url/picklist 255, multipicklist 4099, id/reference 18) */
  length?: number;
  /** Total digits for number types. @defaultValue 0 */
  precision?: number;
  /** Digits after the decimal point. @defaultValue 0 */
  scale?: number;
  /** A value must be supplied on create (REQUIRED_FIELD_MISSING) unless a default applies: sets `nillable: false`. @defaultValue false */
  required?: boolean;
  /** Explicit `nillable`, for read-only fields Salesforce never leaves empty (audit fields). @defaultValue `!required` (always false for booleans) */
  nillable?: boolean;
  /** Neither createable nor updateable (system-maintained). @defaultValue false */
  readOnly?: boolean;
  /** Createable but not updateable (e.g. the parent of a detail record that cannot be re-parented). @defaultValue false */
  createOnly?: boolean;
  /** Explicit createable flag; wins over `readOnly`/`calculated`. */
  createable?: boolean;
  /** Explicit updateable flag; wins over `readOnly`/`createOnly`/`calculated`. */
  updateable?: boolean;
  /** Computed by the org from other data (names, totals, derived flags): read-only. @defaultValue false */
  calculated?: boolean;
  /** Value applied on create when the field is absent. @defaultValue `false` for booleans, none otherwise */
  defaultValue?: string | number | boolean | null;
  /** The org fills the value itself on create. @defaultValue true when there is a default, an auto-number format, or the type is boolean */
  defaultedOnCreate?: boolean;
  /** @defaultValue false */
  unique?: boolean;
  /** @defaultValue false */
  externalId?: boolean;
  /** @defaultValue false */
  caseSensitive?: boolean;
  /** Override the type-derived filterable flag. */
  filterable?: boolean;
  /** Override the type-derived sortable flag. */
  sortable?: boolean;
  /** Override the type-derived groupable flag. */
  groupable?: boolean;
  /** Picklist entries. @defaultValue [] */
  picklistValues?: PicklistValue[];
  /** Refuse values outside `picklistValues`. @defaultValue false */
  restricted?: boolean;
  /** Auto-number display format (`CC-{00000}`); makes the field read-only and defaulted on create. */
  autoNumberFormat?: string;
  /** @defaultValue true when the name ends in `__c` */
  custom?: boolean;
}

/** Extra options of a lookup field. */
export interface ReferenceOptions extends FieldOptions {
  /** Parent relationship name used in SOQL paths (`Account` for `AccountId`). Null: no path. */
  relationshipName: string | null;
  /** Child relationship name seen from the parent (`Contacts`). @defaultValue null */
  childRelationshipName?: string | null;
  /** Deleting the parent deletes this record. @defaultValue false */
  cascadeDelete?: boolean;
  /** Deleting a parent that still has such children is refused. @defaultValue false */
  restrictedDelete?: boolean;
}

/** Long text areas (above 255 characters) are neither filterable, sortable nor groupable. */
const SHORT_TEXT_MAX = 255;

const DEFAULT_LENGTH: Partial<Record<FieldType, number>> = {
  id: 18,
  reference: 18,
  string: 255,
  textarea: 255,
  email: 80,
  phone: 40,
  url: 255,
  picklist: 255,
  multipicklist: 4099,
};

/**
 * Types Salesforce does not let you GROUP BY (Object Reference: their fields lack the "Group"
 * property): fractional numbers and date/times are grouped through functions instead.
 */
const NOT_GROUPABLE = new Set<FieldType>([
  'double',
  'currency',
  'percent',
  'datetime',
  'multipicklist',
  'address',
]);

/** `BillingPostalCode` → `Billing Postal Code`, `AccountId` → `Account ID`, `Region__c` → `Region`. */
export function labelFor(name: string): string {
  const base = name.replace(/__c$/, '').replace(/_/g, ' ');
  const words = base.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return words.replace(/ Id$/, ' ID').replace(/^Id$/, 'ID');
}

/** One field, with every flag Salesforce derives from the type filled in. */
export function field(name: string, type: FieldType, options: FieldOptions = {}): FieldDef {
  const length = options.length ?? DEFAULT_LENGTH[type] ?? 0;
  const longText = type === 'textarea' && length > SHORT_TEXT_MAX;
  const autoNumber = options.autoNumberFormat !== undefined;
  const systemValue = options.readOnly === true || options.calculated === true || autoNumber;
  const isBoolean = type === 'boolean';
  const defaultValue = options.defaultValue ?? (isBoolean ? false : undefined);
  const def: FieldDef = {
    name,
    label: options.label ?? labelFor(name),
    type,
    custom: options.custom ?? name.endsWith('__c'),
    length,
    precision: options.precision ?? 0,
    scale: options.scale ?? 0,
    // Salesforce never stores null in a checkbox: describe reports every boolean as not nillable.
    nillable: isBoolean ? false : (options.nillable ?? options.required !== true),
    createable: options.createable ?? !systemValue,
    updateable: options.updateable ?? !(systemValue || options.createOnly === true),
    filterable: options.filterable ?? !longText,
    sortable: options.sortable ?? !(longText || type === 'multipicklist' || type === 'address'),
    groupable: options.groupable ?? !(longText || NOT_GROUPABLE.has(type)),
    defaultedOnCreate: options.defaultedOnCreate ?? (defaultValue !== undefined || autoNumber),
    unique: options.unique ?? false,
    externalId: options.externalId ?? false,
    caseSensitive: options.caseSensitive ?? false,
    picklistValues: options.picklistValues ?? [],
    restrictedPicklist: options.restricted ?? false,
    referenceTo: [],
    relationshipName: null,
    childRelationshipName: null,
    cascadeDelete: false,
    calculated: options.calculated ?? false,
  };
  if (defaultValue !== undefined) def.defaultValue = defaultValue;
  if (autoNumber) def.autoNumberFormat = options.autoNumberFormat;
  return def;
}

/** Text (`string`) of at most `length` characters. */
export function text(name: string, length: number, options: FieldOptions = {}): FieldDef {
  return field(name, 'string', { ...options, length });
}

/** Text area; above 255 characters it is a long text area (not filterable, sortable or groupable). */
export function textArea(name: string, length: number, options: FieldOptions = {}): FieldDef {
  return field(name, 'textarea', { ...options, length });
}

/** Whole number (`int`) of at most `digits` digits. */
export function int(name: string, digits: number, options: FieldOptions = {}): FieldDef {
  return field(name, 'int', { ...options, precision: digits });
}

/** Number with `precision` digits, `scale` of them decimals. */
export function double(name: string, precision: number, scale: number, options: FieldOptions = {}): FieldDef {
  return field(name, 'double', { ...options, precision, scale });
}

/** Money amount. */
export function currency(
  name: string,
  precision: number,
  scale: number,
  options: FieldOptions = {},
): FieldDef {
  return field(name, 'currency', { ...options, precision, scale });
}

/** Percentage (stored as the number shown: `15` is 15 %). */
export function percent(
  name: string,
  precision: number,
  scale: number,
  options: FieldOptions = {},
): FieldDef {
  return field(name, 'percent', { ...options, precision, scale });
}

/** Checkbox; defaults to false like every Salesforce checkbox. */
export function checkbox(name: string, options: FieldOptions = {}): FieldDef {
  return field(name, 'boolean', options);
}

/**
 * Picklist entries. Each entry is an API value, or `[value, label]` when they differ;
 * `defaultValue` marks the entry describe reports as the default.
 */
export function picklistValues(
  values: ReadonlyArray<string | readonly [string, string]>,
  defaultValue?: string,
): PicklistValue[] {
  return values.map((v) => {
    const [value, label] = typeof v === 'string' ? [v, v] : v;
    return { value, label, active: true, defaultValue: value === defaultValue };
  });
}

/** Single-select picklist; `options.defaultValue` must be one of `values`. */
export function picklist(
  name: string,
  values: ReadonlyArray<string | readonly [string, string]>,
  options: FieldOptions = {},
): FieldDef {
  const dflt = typeof options.defaultValue === 'string' ? options.defaultValue : undefined;
  const entries = picklistValues(values, dflt);
  if (dflt !== undefined && !entries.some((e) => e.value === dflt)) {
    throw new Error(`default ${dflt} of picklist ${name} is not one of its values`);
  }
  return field(name, 'picklist', { ...options, picklistValues: entries });
}

/** Lookup to one object, or to several (`WhatId`: polymorphic). */
export function reference(name: string, to: string | readonly string[], options: ReferenceOptions): FieldDef {
  const def = field(name, 'reference', options);
  def.referenceTo = typeof to === 'string' ? [to] : [...to];
  def.relationshipName = options.relationshipName;
  def.childRelationshipName = options.childRelationshipName ?? null;
  def.cascadeDelete = options.cascadeDelete ?? false;
  if (options.restrictedDelete) def.restrictedDelete = true;
  return def;
}

/** `Id`, first field of every object; `label` is `Account ID` for standard objects, `Record ID` for custom ones. */
export function idField(label: string): FieldDef {
  return field('Id', 'id', { label, readOnly: true, nillable: false, defaultedOnCreate: true });
}

/** `IsDeleted`, the soft-delete flag every table carries (see the storage contract in `types.ts`). */
export function isDeletedField(): FieldDef {
  return checkbox('IsDeleted', { label: 'Deleted', readOnly: true });
}

/** `OwnerId`: settable, defaulted to the running user on create. */
export function ownerField(): FieldDef {
  return reference('OwnerId', 'User', {
    label: 'Owner ID',
    relationshipName: 'Owner',
    nillable: false,
    defaultedOnCreate: true,
  });
}

/** The audit fields every object ends with, maintained by the org on every write. */
export function auditFields(): FieldDef[] {
  const audit = { readOnly: true, nillable: false, defaultedOnCreate: true } as const;
  return [
    field('CreatedDate', 'datetime', { ...audit, label: 'Created Date' }),
    reference('CreatedById', 'User', { ...audit, label: 'Created By ID', relationshipName: 'CreatedBy' }),
    field('LastModifiedDate', 'datetime', { ...audit, label: 'Last Modified Date' }),
    reference('LastModifiedById', 'User', {
      ...audit,
      label: 'Last Modified By ID',
      relationshipName: 'LastModifiedBy',
    }),
    field('SystemModstamp', 'datetime', { ...audit, label: 'System Modstamp' }),
  ];
}

/** Object-level facts of an sObject; `fields` come separately. */
export type ObjectOptions = Omit<
  SObjectDef,
  'fields' | 'custom' | 'createable' | 'updateable' | 'deletable' | 'queryable'
> &
  Partial<Pick<SObjectDef, 'custom' | 'createable' | 'updateable' | 'deletable' | 'queryable'>>;

/**
 * A standard-layout object: `Id`, `IsDeleted`, the object's own fields, then `OwnerId` when
 * `owned`, then the audit fields (the order describe lists them in).
 */
export function sobject(options: ObjectOptions, owned: boolean, fields: FieldDef[]): SObjectDef {
  return {
    custom: false,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    ...options,
    fields: [
      idField(`${options.label} ID`),
      isDeletedField(),
      ...fields,
      ...(owned ? [ownerField()] : []),
      ...auditFields(),
    ],
  };
}
