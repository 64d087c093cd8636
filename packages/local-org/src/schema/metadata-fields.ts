/**
 * One `CustomField` of force-app source (`objects/<Object>/fields/<Field>.field-meta.xml`) as the
 * describe `FieldDef` a deployed org reports for it.
 *
 * Metadata API type → describe type: Text → string, TextArea/LongTextArea → textarea, Number →
 * double (also with scale 0, as in Salesforce), Currency, Percent, Checkbox → boolean, Date,
 * DateTime, Email, Phone, Url, Picklist, MultiselectPicklist → multipicklist, Lookup/MasterDetail
 * → reference, AutoNumber → string with `autoNumberFormat`.
 *
 * Relationship names: a lookup's `<relationshipName>` in metadata is the name seen FROM THE PARENT,
 * so `Case.Vehicle__c` with `<relationshipName>Cases</relationshipName>` gives the child
 * relationship `Cases__r` on Vehicle__c, while the field's own (parent) relationship is its name
 * with `__c` replaced by `__r`: `Vehicle__r`.
 */
import { field, labelFor, reference, type FieldOptions } from './field-builders.js';
import { metadataError, type XmlElement } from './metadata-xml.js';
import type { FieldDef, PicklistValue } from './types.js';

/** Where a field is declared: custom fields of objects, or fields of a platform event. */
export type FieldOwnerKind = 'object' | 'event';

/** Resolves a global value set (`<valueSetName>`) to its entries. */
export type ValueSetResolver = (name: string, from: string) => PicklistValue[];

/** A Salesforce API name without the suffix: letters, digits, single underscores, starting with a letter. */
const BASE_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/;

/** Field types a platform event may have (Platform Events Developer Guide). */
const EVENT_FIELD_TYPES = new Set(['Text', 'LongTextArea', 'Number', 'Checkbox', 'Date', 'DateTime']);

const SUPPORTED_TYPES = [
  'Text',
  'TextArea',
  'LongTextArea',
  'Number',
  'Currency',
  'Percent',
  'Checkbox',
  'Date',
  'DateTime',
  'Email',
  'Phone',
  'Url',
  'Picklist',
  'MultiselectPicklist',
  'Lookup',
  'MasterDetail',
  'AutoNumber',
];

/** True when the field is the master-detail link to a parent (the object then has no owner). */
export function isMasterDetail(el: XmlElement): boolean {
  return el.text('type') === 'MasterDetail';
}

/** The describe definition of custom field `name` declared by `el`. */
export function customFieldDef(
  el: XmlElement,
  name: string,
  kind: FieldOwnerKind,
  valueSets: ValueSetResolver,
): FieldDef {
  const fullName = el.text('fullName');
  if (fullName !== undefined && fullName !== name) {
    throw metadataError(
      el.file,
      'INVALID_METADATA',
      `<fullName>${fullName}</fullName> does not match the file name ${name}`,
    );
  }
  if (!name.endsWith('__c') || !BASE_NAME.test(name.slice(0, -3))) {
    throw metadataError(
      el.file,
      'INVALID_METADATA',
      `${name} is not a custom field name (letters, digits and single underscores, ending in __c)`,
    );
  }
  if (el.text('formula') !== undefined) {
    throw metadataError(
      el.file,
      'UNSUPPORTED_FIELD_TYPE',
      `${name} is a formula field; the local org does not evaluate formulas`,
    );
  }
  const type = el.requiredText('type');
  if (!SUPPORTED_TYPES.includes(type)) {
    throw metadataError(
      el.file,
      'UNSUPPORTED_FIELD_TYPE',
      `field type ${type} of ${name} is not supported (supported: ${SUPPORTED_TYPES.join(', ')})`,
    );
  }
  if (kind === 'event' && !EVENT_FIELD_TYPES.has(type)) {
    throw metadataError(
      el.file,
      'INVALID_METADATA',
      `platform event fields cannot be of type ${type} (allowed: ${[...EVENT_FIELD_TYPES].join(', ')})`,
    );
  }

  const unique = el.bool('unique');
  const externalId = el.bool('externalId');
  if (unique && !['Text', 'Number', 'Email'].includes(type)) {
    throw metadataError(el.file, 'INVALID_METADATA', `${type} fields cannot be unique`);
  }
  if (externalId && !['Text', 'Number', 'Email', 'AutoNumber'].includes(type)) {
    throw metadataError(el.file, 'INVALID_METADATA', `${type} fields cannot be external ids`);
  }
  const common: FieldOptions = {
    label: el.text('label') ?? labelFor(name),
    required: el.bool('required'),
    unique,
    externalId,
    caseSensitive: el.bool('caseSensitive'),
    custom: true,
    // Platform events are published, never edited.
    ...(kind === 'event' ? { createOnly: true } : {}),
  };

  switch (type) {
    case 'Text':
      return withDefault(el, field(name, 'string', { ...common, length: lengthOf(el, 1, 255) }));
    case 'TextArea':
      return withDefault(el, field(name, 'textarea', { ...common, length: 255 }));
    case 'LongTextArea':
      return withDefault(el, field(name, 'textarea', { ...common, length: lengthOf(el, 256, 131072) }));
    case 'Email':
      return withDefault(el, field(name, 'email', common));
    case 'Phone':
      return withDefault(el, field(name, 'phone', common));
    case 'Url':
      return withDefault(el, field(name, 'url', common));
    case 'Number':
      return withDefault(el, field(name, 'double', { ...common, ...digitsOf(el) }));
    case 'Currency':
      return withDefault(el, field(name, 'currency', { ...common, ...digitsOf(el) }));
    case 'Percent':
      return withDefault(el, field(name, 'percent', { ...common, ...digitsOf(el) }));
    case 'Date':
      return withDefault(el, field(name, 'date', common));
    case 'DateTime':
      return withDefault(el, field(name, 'datetime', common));
    case 'Checkbox': {
      // Salesforce requires the default of a checkbox to be stated.
      const dflt = el.requiredText('defaultValue');
      if (dflt !== 'true' && dflt !== 'false') {
        throw metadataError(
          el.file,
          'INVALID_METADATA',
          `the default of checkbox ${name} must be true or false, not ${dflt}`,
        );
      }
      return field(name, 'boolean', { ...common, defaultValue: dflt === 'true' });
    }
    case 'Picklist':
    case 'MultiselectPicklist':
      return picklistField(el, name, type, common, valueSets);
    case 'Lookup':
    case 'MasterDetail':
      return lookupField(el, name, type, common);
    default: {
      // 'AutoNumber' (the list above is exhaustive).
      const format = el.requiredText('displayFormat');
      if (!/\{0+\}/.test(format)) {
        throw metadataError(
          el.file,
          'INVALID_METADATA',
          `auto-number format ${format} of ${name} has no {0…} counter`,
        );
      }
      return field(name, 'string', {
        ...common,
        length: 30,
        required: false,
        nillable: false,
        autoNumberFormat: format,
      });
    }
  }
}

function lengthOf(el: XmlElement, min: number, max: number): number {
  const length = el.int('length');
  if (length === undefined || length < min || length > max) {
    throw metadataError(el.file, 'INVALID_METADATA', `<length> must be between ${min} and ${max}`);
  }
  return length;
}

function digitsOf(el: XmlElement): { precision: number; scale: number } {
  const precision = el.int('precision');
  const scale = el.int('scale') ?? 0;
  if (precision === undefined || precision < 1 || precision > 18) {
    throw metadataError(el.file, 'INVALID_METADATA', '<precision> must be between 1 and 18');
  }
  if (scale > precision) {
    throw metadataError(el.file, 'INVALID_METADATA', `<scale> ${scale} exceeds <precision> ${precision}`);
  }
  return { precision, scale };
}

/**
 * Applies `<defaultValue>`, a formula in Salesforce. Literals are supported (`"Available"`,
 * `'x'`, `42`, `true`); anything computed (`TODAY()`, `$User.Id`) is refused rather than ignored.
 */
function withDefault(el: XmlElement, def: FieldDef): FieldDef {
  const formula = el.text('defaultValue');
  if (formula === undefined) return def;
  let value: string | number | boolean;
  const quoted = /^"((?:[^"\\]|\\.)*)"$|^'((?:[^'\\]|\\.)*)'$/.exec(formula);
  if (quoted) value = (quoted[1] ?? quoted[2] ?? '').replace(/\\(.)/g, '$1');
  else if (/^-?\d+(\.\d+)?$/.test(formula) && ['double', 'currency', 'percent'].includes(def.type))
    value = Number(formula);
  else {
    throw metadataError(
      el.file,
      'UNSUPPORTED_FIELD_TYPE',
      `default value ${formula} of ${def.name} is a formula the local org does not evaluate (use a literal)`,
    );
  }
  if (typeof value === 'string' && ['double', 'currency', 'percent', 'date', 'datetime'].includes(def.type)) {
    throw metadataError(
      el.file,
      'INVALID_METADATA',
      `default value ${formula} does not fit ${def.type} field ${def.name}`,
    );
  }
  return { ...def, defaultValue: value, defaultedOnCreate: true };
}

function picklistField(
  el: XmlElement,
  name: string,
  type: 'Picklist' | 'MultiselectPicklist',
  common: FieldOptions,
  valueSets: ValueSetResolver,
): FieldDef {
  const valueSet = el.child('valueSet');
  if (!valueSet) throw metadataError(el.file, 'INVALID_METADATA', `picklist ${name} has no <valueSet>`);
  const globalName = valueSet.text('valueSetName');
  let values: PicklistValue[];
  let restricted = valueSet.bool('restricted');
  if (globalName !== undefined) {
    values = valueSets(globalName, el.file);
    // Global value sets are restricted by definition.
    restricted = true;
  } else {
    const definition = valueSet.child('valueSetDefinition');
    if (!definition) {
      throw metadataError(
        el.file,
        'INVALID_METADATA',
        `picklist ${name} has neither <valueSetName> nor <valueSetDefinition>`,
      );
    }
    values = picklistEntries(definition.children('value'));
  }
  if (values.length === 0) throw metadataError(el.file, 'INVALID_METADATA', `picklist ${name} has no values`);
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v.value.toLowerCase())) {
      throw metadataError(el.file, 'INVALID_METADATA', `picklist ${name} lists ${v.value} twice`);
    }
    seen.add(v.value.toLowerCase());
  }
  const defaults = values.filter((v) => v.defaultValue).map((v) => v.value);
  if (type === 'Picklist' && defaults.length > 1) {
    throw metadataError(
      el.file,
      'INVALID_METADATA',
      `picklist ${name} has more than one default (${defaults.join(', ')})`,
    );
  }
  const options: FieldOptions = { ...common, picklistValues: values, restricted };
  if (defaults.length > 0) options.defaultValue = defaults.join(';');
  if (type === 'MultiselectPicklist') {
    if (el.int('visibleLines') === undefined) {
      throw metadataError(el.file, 'INVALID_METADATA', `multi-select picklist ${name} needs <visibleLines>`);
    }
    return field(name, 'multipicklist', options);
  }
  const def = withDefault(el, field(name, 'picklist', options));
  if (typeof def.defaultValue === 'string' && !values.some((v) => v.value === def.defaultValue)) {
    throw metadataError(
      el.file,
      'INVALID_METADATA',
      `default ${def.defaultValue} of picklist ${name} is not one of its values`,
    );
  }
  return def;
}

/** `<value>` (field value sets) or `<customValue>` (global value sets) entries. */
export function picklistEntries(entries: XmlElement[]): PicklistValue[] {
  return entries.map((v) => {
    const value = v.requiredText('fullName');
    return {
      value,
      label: v.text('label') ?? value,
      active: v.bool('isActive', true),
      defaultValue: v.bool('default'),
    };
  });
}

function lookupField(
  el: XmlElement,
  name: string,
  type: 'Lookup' | 'MasterDetail',
  common: FieldOptions,
): FieldDef {
  const target = el.requiredText('referenceTo');
  const childName = el.requiredText('relationshipName');
  if (!BASE_NAME.test(childName) || childName.endsWith('_')) {
    throw metadataError(
      el.file,
      'INVALID_METADATA',
      `relationship name ${childName} must be letters, digits and single underscores (Salesforce adds __r)`,
    );
  }
  const relationships = {
    relationshipName: name.replace(/__c$/, '__r'),
    childRelationshipName: `${childName}__r`,
  };
  if (type === 'MasterDetail') {
    // The detail cannot exist without its master: always required, deleted with it, and moved to
    // another master only when the field allows re-parenting.
    return reference(name, target, {
      ...common,
      ...relationships,
      required: true,
      cascadeDelete: true,
      createOnly: !el.bool('reparentableMasterDetail'),
    });
  }
  const constraint = el.text('deleteConstraint') ?? 'SetNull';
  if (constraint !== 'SetNull' && constraint !== 'Restrict' && constraint !== 'Cascade') {
    throw metadataError(
      el.file,
      'INVALID_METADATA',
      `<deleteConstraint> must be SetNull, Restrict or Cascade, not ${constraint}`,
    );
  }
  if (common.required && constraint === 'SetNull') {
    throw metadataError(
      el.file,
      'INVALID_METADATA',
      `required lookup ${name} cannot be cleared when its parent is deleted: use deleteConstraint Restrict or Cascade`,
    );
  }
  return reference(name, target, {
    ...common,
    ...relationships,
    cascadeDelete: constraint === 'Cascade',
    restrictedDelete: constraint === 'Restrict',
  });
}
