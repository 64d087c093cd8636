/**
 * Reads the project's Salesforce DX source (`force-app/main/default`, source format) into describe
 * definitions, so the local org has exactly the custom objects and fields a deploy would create.
 *
 * Read:
 * - `objects/<Name>__c/<Name>__c.object-meta.xml` + `fields/*.field-meta.xml`: custom objects.
 * - `objects/<Name>__e/…`: platform events.
 * - `objects/<Standard>/fields/<Field>__c.field-meta.xml`: custom fields on standard objects.
 *   Files of standard fields (no `__c`) only carry settings such as history tracking; they are skipped.
 * - `globalValueSets/<Name>.globalValueSet-meta.xml`: value sets picklists name in `<valueSetName>`.
 * - `platformEventChannelMembers/*.platformEventChannelMember-meta.xml` on the `ChangeEvents`
 *   channel: the Change Data Capture selection. Members of custom channels (`X__chn`) are
 *   skipped: the local org only serves the standard `/data/<Entity>ChangeEvent` channels.
 * Everything else (layouts, list views, validation rules, classes…) has no effect on the data model
 * the emulator serves and is not read.
 *
 * Key prefixes of custom objects (`a..`) and platform events (`e..`): the letter, then two base-62
 * characters taken from a 32-bit FNV-1a hash of the API name (`index = hash % 3844`). A prefix
 * therefore depends on the object's own name only, and stays the same when other objects are
 * added — ids kept in a persistent local org stay valid. Should two names hash to the same slot,
 * the one later in code-unit order of API names takes the next free slot.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { auditFields, idField, isDeletedField, ownerField, text } from './field-builders.js';
import {
  customFieldDef,
  isMasterDetail,
  picklistEntries,
  type FieldOwnerKind,
  type ValueSetResolver,
} from './metadata-fields.js';
import { metadataError, readMetadataXml, XmlElement } from './metadata-xml.js';
import { standardObjects } from './standard-objects.js';
import type { FieldDef, PicklistValue, SObjectDef } from './types.js';

/** What force-app adds to the built-in standard objects. */
export interface ForceAppObjects {
  /** Custom objects (`__c`), sorted by API name. */
  objects: SObjectDef[];
  /** Custom fields declared on standard objects (`Account` → [`Region__c`]), keyed by the standard object's API name. */
  extensions: Map<string, FieldDef[]>;
  /** API names of the objects selected for Change Data Capture (`Vehicle__c`, `Account`). */
  cdcEntities: string[];
  /** Platform events (`__e`), sorted by API name; published, never queried. */
  platformEvents: SObjectDef[];
}

/** Options of {@link loadForceAppObjects}. */
export interface LoadForceAppOptions {
  /**
   * The standard objects force-app may extend and point lookups at; used to check names, field
   * clashes and child relationship clashes. @defaultValue {@link standardObjects}()
   */
  standardObjects?: readonly SObjectDef[];
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PREFIX_SLOTS = 62 * 62;

/** Suffixes of object kinds Salesforce has but the local org does not model. */
const UNSUPPORTED_OBJECT_KINDS: Record<string, string> = {
  __mdt: 'custom metadata types',
  __b: 'big objects',
  __x: 'external objects',
  __kav: 'knowledge article versions',
  __Share: 'sharing objects',
};

/** Reads the custom objects, platform events, standard-object fields and CDC selection of `forceAppDir`. */
export function loadForceAppObjects(forceAppDir: string, options: LoadForceAppOptions = {}): ForceAppObjects {
  if (!existsSync(forceAppDir) || !statSync(forceAppDir).isDirectory()) {
    throw metadataError(forceAppDir, 'INVALID_METADATA', 'force-app source directory does not exist');
  }
  const standard = options.standardObjects ?? standardObjects();
  const standardByName = new Map(standard.map((o) => [o.name.toLowerCase(), o]));
  const valueSets = globalValueSetResolver(forceAppDir);

  const objectsDir = join(forceAppDir, 'objects');
  const dirs = existsSync(objectsDir)
    ? readdirSync(objectsDir)
        .filter((d) => statSync(join(objectsDir, d)).isDirectory())
        .sort()
    : [];
  const parsed: ParsedObject[] = [];
  const extensions = new Map<string, FieldDef[]>();
  for (const dir of dirs) {
    const path = join(objectsDir, dir);
    const kind = Object.keys(UNSUPPORTED_OBJECT_KINDS).find((suffix) => dir.endsWith(suffix));
    if (kind) {
      const what = UNSUPPORTED_OBJECT_KINDS[kind] ?? kind;
      throw metadataError(
        path,
        'UNSUPPORTED_METADATA',
        `${what} (${kind}) are not supported by the local org`,
      );
    }
    if (dir.endsWith('__c')) parsed.push(readCustomObject(path, dir, 'object', valueSets));
    else if (dir.endsWith('__e')) parsed.push(readCustomObject(path, dir, 'event', valueSets));
    else {
      const target = standardByName.get(dir.toLowerCase());
      if (!target || target.name !== dir) {
        throw metadataError(
          path,
          'INVALID_METADATA',
          `${dir} is neither a custom object (__c), a platform event (__e) nor a standard object the local org defines`,
        );
      }
      const fields = readFields(path, dir, 'object', valueSets, true);
      checkNoClash(target, fields);
      if (fields.length > 0)
        extensions.set(
          dir,
          fields.map((f) => f.def),
        );
      parsed.push({ def: target, fields, kind: 'standard' });
    }
  }

  const custom = parsed.filter((p) => p.kind === 'object');
  const events = parsed.filter((p) => p.kind === 'event');
  assignKeyPrefixes(custom, 'a');
  assignKeyPrefixes(events, 'e');
  checkRelationships(standard, parsed);
  return {
    objects: custom.map((p) => p.def),
    extensions,
    cdcEntities: readCdcSelection(forceAppDir, standardByName, custom),
    platformEvents: events.map((p) => p.def),
  };
}

interface ParsedField {
  file: string;
  def: FieldDef;
  /** The link to a master: the object then has no owner and inherits sharing. */
  masterDetail: boolean;
}

interface ParsedObject {
  def: SObjectDef;
  /** The fields force-app declares (custom objects: all custom fields; standard objects: the additions). */
  fields: ParsedField[];
  kind: 'object' | 'event' | 'standard';
}

function readFields(
  path: string,
  objectName: string,
  kind: FieldOwnerKind,
  valueSets: ValueSetResolver,
  skipStandard: boolean,
): ParsedField[] {
  const fieldsDir = join(path, 'fields');
  if (!existsSync(fieldsDir)) return [];
  const suffix = '.field-meta.xml';
  const out: ParsedField[] = [];
  const seen = new Set<string>();
  for (const entry of readdirSync(fieldsDir)
    .filter((f) => f.endsWith(suffix))
    .sort()) {
    const name = entry.slice(0, -suffix.length);
    // Standard fields are defined by standard-objects.ts; their source files only hold settings.
    if (skipStandard && !name.endsWith('__c')) continue;
    const file = join(fieldsDir, entry);
    if (seen.has(name.toLowerCase())) {
      throw metadataError(file, 'INVALID_METADATA', `${objectName}.${name} is declared twice`);
    }
    seen.add(name.toLowerCase());
    const el = new XmlElement(file, readMetadataXml(file, 'CustomField'));
    out.push({ file, def: customFieldDef(el, name, kind, valueSets), masterDetail: isMasterDetail(el) });
  }
  return out;
}

function readCustomObject(
  path: string,
  name: string,
  kind: 'object' | 'event',
  valueSets: ValueSetResolver,
): ParsedObject {
  const file = join(path, `${name}.object-meta.xml`);
  if (!existsSync(file)) {
    throw metadataError(path, 'INVALID_METADATA', `${name} has no ${name}.object-meta.xml`);
  }
  const el = new XmlElement(file, readMetadataXml(file, 'CustomObject'));
  const base = name.slice(0, -3);
  if (!/^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/.test(base) || base.endsWith('_')) {
    throw metadataError(
      file,
      'INVALID_METADATA',
      `${name} is not a valid API name (letters, digits and single underscores)`,
    );
  }
  if (el.node['fields'] !== undefined) {
    throw metadataError(
      file,
      'INVALID_METADATA',
      'fields belong in fields/<Name>.field-meta.xml in source format, not inside the object file',
    );
  }
  const label = el.requiredText('label');
  const labelPlural = el.requiredText('pluralLabel');
  const fields = readFields(path, name, kind, valueSets, false);

  if (kind === 'event') {
    const eventType = el.text('eventType') ?? 'HighVolume';
    if (eventType !== 'HighVolume' && eventType !== 'StandardVolume') {
      throw metadataError(
        file,
        'INVALID_METADATA',
        `<eventType> must be HighVolume or StandardVolume, not ${eventType}`,
      );
    }
    const publish = el.text('publishBehavior') ?? 'PublishAfterCommit';
    if (publish !== 'PublishAfterCommit' && publish !== 'PublishImmediately') {
      throw metadataError(
        file,
        'INVALID_METADATA',
        `<publishBehavior> must be PublishAfterCommit or PublishImmediately, not ${publish}`,
      );
    }
    return { kind, fields, def: eventDef(name, label, labelPlural, fields) };
  }

  const detail = fields.some((f) => f.masterDetail);
  const sharing = el.text('sharingModel');
  if (detail && sharing !== undefined && sharing !== 'ControlledByParent') {
    throw metadataError(
      file,
      'INVALID_METADATA',
      `${name} has a master-detail field, so its <sharingModel> must be ControlledByParent, not ${sharing}`,
    );
  }
  if (!detail && sharing === 'ControlledByParent') {
    throw metadataError(
      file,
      'INVALID_METADATA',
      `<sharingModel> ControlledByParent needs a master-detail field on ${name}`,
    );
  }
  const def: SObjectDef = {
    name,
    label,
    labelPlural,
    keyPrefix: '',
    custom: true,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    // Describe order of a custom object: Id, OwnerId, IsDeleted, Name, audit fields, custom fields.
    fields: [
      idField('Record ID'),
      ...(detail ? [] : [ownerField()]),
      isDeletedField(),
      nameField(el, file),
      ...auditFields(),
      ...fields.map((f) => f.def),
    ],
  };
  return { kind, fields, def };
}

/** The `Name` field from `<nameField>`: free text of 80 characters, or an auto-number. */
function nameField(el: XmlElement, file: string): FieldDef {
  const nf = el.child('nameField');
  if (!nf) throw metadataError(file, 'INVALID_METADATA', '<nameField> is required');
  const label = nf.requiredText('label');
  const type = nf.requiredText('type');
  // A Text name is required in describe (nillable false) but defaulted on create: a record
  // inserted without one is named by its Id (record-store.ts).
  if (type === 'Text') return text('Name', 80, { label, nillable: false, defaultedOnCreate: true, custom: false });
  if (type === 'AutoNumber') {
    const format = nf.requiredText('displayFormat');
    if (!/\{0+\}/.test(format)) {
      throw metadataError(file, 'INVALID_METADATA', `auto-number format ${format} has no {0…} counter`);
    }
    return text('Name', 30, { label, autoNumberFormat: format, nillable: false, custom: false });
  }
  throw metadataError(file, 'INVALID_METADATA', `<nameField> must be Text or AutoNumber, not ${type}`);
}

/**
 * A platform event as describe shows it: the system fields `ReplayId`, `CreatedDate`,
 * `CreatedById` and `EventUuid`, then the custom fields. Events have no `Id`/`IsDeleted`: they
 * are published, not stored as records.
 */
function eventDef(name: string, label: string, labelPlural: string, fields: ParsedField[]): SObjectDef {
  const system = { readOnly: true, custom: false } as const;
  return {
    name,
    label,
    labelPlural,
    keyPrefix: '',
    custom: true,
    createable: true,
    updateable: false,
    deletable: false,
    queryable: false,
    fields: [
      text('ReplayId', 255, { ...system, label: 'Replay ID', nillable: true }),
      // CreatedDate, CreatedById
      ...auditFields().slice(0, 2),
      text('EventUuid', 36, { ...system, label: 'Event UUID', nillable: true }),
      ...fields.map((f) => f.def),
    ],
  };
}

function fnv1a(textValue: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < textValue.length; i++) {
    hash ^= textValue.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** See the module comment: `<letter>` + two base-62 characters from the name's hash. */
function assignKeyPrefixes(objects: ParsedObject[], letter: 'a' | 'e'): void {
  const taken = new Set<number>();
  for (const o of [...objects].sort((x, y) => (x.def.name < y.def.name ? -1 : 1))) {
    let slot = fnv1a(o.def.name) % PREFIX_SLOTS;
    while (taken.has(slot)) slot = (slot + 1) % PREFIX_SLOTS;
    taken.add(slot);
    o.def.keyPrefix = `${letter}${BASE62[Math.floor(slot / 62)]}${BASE62[slot % 62]}`;
  }
}

function checkNoClash(target: SObjectDef, fields: ParsedField[]): void {
  for (const f of fields) {
    if (target.fields.some((existing) => existing.name.toLowerCase() === f.def.name.toLowerCase())) {
      throw metadataError(
        f.file,
        'INVALID_METADATA',
        `${target.name} already has a field named ${f.def.name}`,
      );
    }
  }
}

/**
 * Every lookup points at an object that exists (and is not a platform event), with the target's
 * canonical spelling, and no parent gets two child relationships of the same name.
 */
function checkRelationships(standard: readonly SObjectDef[], parsed: ParsedObject[]): void {
  const targets = new Map<string, string>();
  for (const o of standard) targets.set(o.name.toLowerCase(), o.name);
  for (const p of parsed) if (p.kind === 'object') targets.set(p.def.name.toLowerCase(), p.def.name);

  const childNames = new Map<string, string>();
  for (const o of standard) {
    for (const f of o.fields) {
      if (!f.childRelationshipName) continue;
      for (const to of f.referenceTo)
        childNames.set(`${to}.${f.childRelationshipName}`.toLowerCase(), `${o.name}.${f.name}`);
    }
  }
  for (const p of parsed) {
    for (const f of p.fields) {
      if (f.def.type !== 'reference') continue;
      const wanted = f.def.referenceTo[0] ?? '';
      const target = targets.get(wanted.toLowerCase());
      if (!target) {
        throw metadataError(
          f.file,
          'INVALID_METADATA',
          `${f.def.name} refers to ${wanted}, which is not an object of this org`,
        );
      }
      f.def.referenceTo = [target];
      const key = `${target}.${f.def.childRelationshipName ?? ''}`.toLowerCase();
      const other = childNames.get(key);
      if (other) {
        throw metadataError(
          f.file,
          'INVALID_METADATA',
          `${target} already has a child relationship ${f.def.childRelationshipName} (from ${other})`,
        );
      }
      childNames.set(key, `${p.def.name}.${f.def.name}`);
    }
  }
}

/** `globalValueSets/<Name>.globalValueSet-meta.xml`, read once per set. */
function globalValueSetResolver(forceAppDir: string): ValueSetResolver {
  const cache = new Map<string, PicklistValue[]>();
  return (name, from) => {
    const cached = cache.get(name);
    if (cached) return cached;
    const file = join(forceAppDir, 'globalValueSets', `${name}.globalValueSet-meta.xml`);
    if (!existsSync(file)) {
      throw metadataError(
        from,
        'INVALID_METADATA',
        `global value set ${name} not found (expected ${relative(forceAppDir, file)})`,
      );
    }
    const el = new XmlElement(file, readMetadataXml(file, 'GlobalValueSet'));
    el.requiredText('masterLabel');
    const values = picklistEntries(el.children('customValue'));
    if (values.length === 0) {
      throw metadataError(file, 'INVALID_METADATA', `global value set ${name} has no values`);
    }
    cache.set(name, values);
    return values;
  };
}

/** `Vehicle__ChangeEvent` → `Vehicle__c`, `AccountChangeEvent` → `Account`. */
export function changeEventObjectName(entity: string): string {
  if (entity.endsWith('__ChangeEvent')) return `${entity.slice(0, -'__ChangeEvent'.length)}__c`;
  if (entity.endsWith('ChangeEvent')) return entity.slice(0, -'ChangeEvent'.length);
  return entity;
}

function readCdcSelection(
  forceAppDir: string,
  standardByName: Map<string, SObjectDef>,
  custom: ParsedObject[],
): string[] {
  const dir = join(forceAppDir, 'platformEventChannelMembers');
  if (!existsSync(dir)) return [];
  const suffix = '.platformEventChannelMember-meta.xml';
  const customByName = new Map(custom.map((p) => [p.def.name.toLowerCase(), p.def]));
  const selected = new Set<string>();
  for (const entry of readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()) {
    const file = join(dir, entry);
    const el = new XmlElement(file, readMetadataXml(file, 'PlatformEventChannelMember'));
    if (el.requiredText('eventChannel') !== 'ChangeEvents') continue;
    const entity = el.requiredText('selectedEntity');
    const objectName = changeEventObjectName(entity);
    const object = customByName.get(objectName.toLowerCase()) ?? standardByName.get(objectName.toLowerCase());
    if (!object) {
      throw metadataError(
        file,
        'INVALID_METADATA',
        `change events selected for ${entity}, but ${objectName} is not an object of this org`,
      );
    }
    selected.add(object.name);
  }
  return [...selected].sort();
}
