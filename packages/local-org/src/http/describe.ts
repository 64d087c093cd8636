/**
 * `describeGlobal` and `describe` bodies, shaped like Salesforce's (the subset of keys clients
 * read: names, labels, key prefixes, flags, fields with types and relationships).
 */
import type { OrgRuntime } from '../org-runtime.js';
import type { FieldDef, SObjectDef } from '../schema/types.js';

const SOAP_TYPE: Record<FieldDef['type'], string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  boolean: 'xsd:boolean',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  address: 'urn:address',
};

function urls(o: SObjectDef, version: string) {
  const base = `/services/data/v${version}/sobjects/${o.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

/** One entry of `GET /sobjects`. */
export function globalEntry(o: SObjectDef, version: string) {
  return {
    name: o.name,
    label: o.label,
    labelPlural: o.labelPlural,
    keyPrefix: o.keyPrefix,
    custom: o.custom,
    customSetting: false,
    createable: o.createable,
    updateable: o.updateable,
    deletable: o.deletable,
    queryable: o.queryable,
    retrieveable: o.queryable,
    searchable: o.queryable,
    layoutable: o.queryable,
    triggerable: o.createable,
    undeletable: o.deletable,
    mergeable: false,
    replicateable: o.queryable,
    feedEnabled: false,
    activateable: false,
    deprecatedAndHidden: false,
    isSubtype: false,
    urls: urls(o, version),
  };
}

/** `GET /sobjects` */
export function describeGlobal(org: OrgRuntime, version: string) {
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects: org.schema.objects().map((o) => globalEntry(o, version)) };
}

function describeField(f: FieldDef) {
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    soapType: SOAP_TYPE[f.type],
    length: f.length,
    byteLength: f.length * 3,
    precision: f.precision,
    scale: f.scale,
    digits: f.type === 'int' ? f.precision : 0,
    custom: f.custom,
    nillable: f.nillable,
    createable: f.createable,
    updateable: f.updateable,
    filterable: f.filterable,
    sortable: f.sortable,
    groupable: f.groupable,
    defaultedOnCreate: f.defaultedOnCreate,
    defaultValue: f.defaultValue ?? null,
    unique: f.unique,
    externalId: f.externalId,
    idLookup: f.name === 'Id' || f.externalId,
    caseSensitive: f.caseSensitive,
    calculated: f.calculated,
    autoNumber: f.autoNumberFormat !== undefined,
    picklistValues: f.picklistValues.map((p) => ({ ...p, validFor: null })),
    restrictedPicklist: f.restrictedPicklist,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    cascadeDelete: f.cascadeDelete,
    polymorphicForeignKey: f.referenceTo.length > 1,
    nameField: f.name === 'Name',
  };
}

/** `GET /sobjects/T/describe` */
export function describeSObject(org: OrgRuntime, o: SObjectDef, version: string) {
  return {
    ...globalEntry(o, version),
    fields: o.fields.map(describeField),
    childRelationships: org.schema.childRelationships(o.name).map((c) => ({
      childSObject: c.childSObject,
      field: c.field,
      relationshipName: c.relationshipName,
      cascadeDelete: c.cascadeDelete,
      deprecatedAndHidden: false,
      restrictedDelete: false,
    })),
    recordTypeInfos: [],
    supportedScopes: [{ label: 'All', name: 'everything' }],
  };
}
