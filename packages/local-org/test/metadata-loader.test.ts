import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SalesforceError } from '../src/errors.js';
import { findForceAppDir, loadSchema } from '../src/schema/load-schema.js';
import { loadForceAppObjects } from '../src/schema/metadata-loader.js';
import type { FieldDef } from '../src/schema/types.js';

const here = dirname(fileURLToPath(import.meta.url));
const projectForceApp = resolve(here, '../../../force-app/main/default');
const schema = loadSchema();

function fieldOf(object: string, name: string): FieldDef {
  const f = schema.field(object, name);
  if (!f) throw new Error(`${object}.${name} is missing`);
  return f;
}

const values = (object: string, name: string) =>
  fieldOf(object, name).picklistValues.map((p) => [p.value, p.label]);

describe("the project's force-app", () => {
  it('is found by walking up to sfdx-project.json', () => {
    expect(findForceAppDir()).toBe(projectForceApp);
    expect(findForceAppDir(join(here, 'utils'))).toBe(projectForceApp);
  });

  it('defines the eCars custom objects with stable key prefixes of their own', () => {
    const loaded = loadForceAppObjects(projectForceApp);
    expect(loaded.objects.map((o) => o.name)).toEqual([
      'Car_Configuration__c',
      'Car_Options__c',
      'Vehicle_Order__c',
      'Vehicle__c',
    ]);
    const prefixes = loaded.objects.map((o) => o.keyPrefix);
    for (const p of prefixes) expect(p).toMatch(/^a[0-9A-Za-z]{2}$/);
    expect(new Set(prefixes).size).toBe(4);
    expect(loadForceAppObjects(projectForceApp).objects.map((o) => o.keyPrefix)).toEqual(prefixes);
    expect(schema.objectByKeyPrefix(schema.object('Vehicle__c')?.keyPrefix ?? '')?.name).toBe('Vehicle__c');
  });

  it('gives Vehicle__c its fields with exact types, sizes and picklists', () => {
    expect(schema.object('Vehicle__c')).toMatchObject({
      label: 'Vehicle',
      labelPlural: 'Vehicles',
      custom: true,
      queryable: true,
      createable: true,
    });
    expect(schema.object('Vehicle__c')?.fields.map((f) => f.name)).toEqual([
      'Id',
      'OwnerId',
      'IsDeleted',
      'Name',
      'CreatedDate',
      'CreatedById',
      'LastModifiedDate',
      'LastModifiedById',
      'SystemModstamp',
      'Exterior_Color__c',
      'Interior_Color__c',
      'Model__c',
      'Price__c',
      'Range__c',
      'Status__c',
      'VIN__c',
      'Year__c',
    ]);
    expect(fieldOf('Vehicle__c', 'Id')).toMatchObject({ type: 'id', label: 'Record ID', createable: false });
    expect(fieldOf('Vehicle__c', 'Name')).toMatchObject({
      type: 'string',
      length: 80,
      label: 'Vehicle Name',
      nillable: false,
      createable: true,
      custom: false,
    });
    expect(fieldOf('Vehicle__c', 'VIN__c')).toMatchObject({
      type: 'string',
      length: 17,
      unique: true,
      externalId: true,
      caseSensitive: false,
      nillable: false,
      custom: true,
      label: 'VIN',
    });
    expect(fieldOf('Vehicle__c', 'Model__c')).toMatchObject({ type: 'string', length: 80, nillable: true });
    expect(fieldOf('Vehicle__c', 'Year__c')).toMatchObject({ type: 'double', precision: 4, scale: 0 });
    expect(fieldOf('Vehicle__c', 'Price__c')).toMatchObject({ type: 'currency', precision: 16, scale: 2 });
    expect(fieldOf('Vehicle__c', 'Range__c')).toMatchObject({ type: 'picklist', restrictedPicklist: true });
    expect(values('Vehicle__c', 'Range__c')).toEqual([
      ['Short_Range', 'Short Range'],
      ['Medium_Range', 'Medium Range'],
      ['Long_Range', 'Long Range'],
    ]);
    expect(values('Vehicle__c', 'Exterior_Color__c').map(([v]) => v)).toEqual([
      'Pearl_White',
      'VIP_Black',
      'Cosmic_Blue',
      'Electric_Red',
      'Glacier_Silver',
    ]);
    expect(values('Vehicle__c', 'Interior_Color__c').map(([v]) => v)).toEqual([
      'Vegan_White',
      'Vegan_Tan',
      'Nappa_Black',
    ]);
    expect(fieldOf('Vehicle__c', 'Status__c')).toMatchObject({
      restrictedPicklist: true,
      defaultValue: 'Available',
      defaultedOnCreate: true,
    });
    expect(values('Vehicle__c', 'Status__c')).toEqual([
      ['Available', 'Available'],
      ['On Hold', 'On Hold'],
      ['Sold', 'Sold'],
    ]);
  });

  it('shares one value set between vehicles and configurations', () => {
    expect(values('Car_Configuration__c', 'Exterior_Color__c')).toEqual(
      values('Vehicle__c', 'Exterior_Color__c'),
    );
    expect(fieldOf('Car_Configuration__c', 'Range__c').restrictedPicklist).toBe(true);
  });

  it('numbers configurations and orders with read-only auto-number names', () => {
    expect(fieldOf('Car_Configuration__c', 'Name')).toMatchObject({
      type: 'string',
      autoNumberFormat: 'CC-{00000}',
      createable: false,
      updateable: false,
      defaultedOnCreate: true,
      label: 'Car Configuration Number',
    });
    expect(fieldOf('Vehicle_Order__c', 'Name').autoNumberFormat).toBe('VO-{00000}');
    expect(fieldOf('Vehicle_Order__c', 'Status__c')).toMatchObject({
      defaultValue: 'Ordered',
      restrictedPicklist: true,
    });
    expect(fieldOf('Vehicle_Order__c', 'Order_Date__c').type).toBe('date');
  });

  it('names custom relationships __r on both sides', () => {
    expect(fieldOf('Car_Configuration__c', 'Lead__c')).toMatchObject({
      type: 'reference',
      referenceTo: ['Lead'],
      relationshipName: 'Lead__r',
      childRelationshipName: 'Car_Configurations__r',
      cascadeDelete: false,
    });
    expect(schema.parentRelationship('Vehicle_Order__c', 'vehicle__r')?.name).toBe('Vehicle__c');
    expect(schema.childRelationships('Lead').map((c) => `${c.relationshipName}:${c.childSObject}`)).toEqual([
      'Tasks:Task',
      'Car_Configurations__r:Car_Configuration__c',
      'Vehicle_Orders__r:Vehicle_Order__c',
    ]);
  });

  it('links Case and Vehicle__c through Case.Vehicle__c both ways', () => {
    expect(fieldOf('Case', 'Vehicle__c')).toMatchObject({
      custom: true,
      referenceTo: ['Vehicle__c'],
      relationshipName: 'Vehicle__r',
      childRelationshipName: 'Cases__r',
    });
    expect(schema.parentRelationship('Case', 'Vehicle__r')?.name).toBe('Vehicle__c');
    expect(schema.childRelationship('Vehicle__c', 'Cases__r')).toEqual({
      childSObject: 'Case',
      field: 'Vehicle__c',
      relationshipName: 'Cases__r',
      cascadeDelete: false,
    });
    // Standard children keep their unsuffixed names next to the custom one.
    expect(schema.childRelationship('Account', 'Cases')?.childSObject).toBe('Case');
  });

  it('makes Car_Options__c a detail of Car_Configuration__c, deleted with it and without an owner', () => {
    expect(fieldOf('Car_Options__c', 'Car_Configuration__c')).toMatchObject({
      type: 'reference',
      nillable: false,
      createable: true,
      updateable: false,
      cascadeDelete: true,
      relationshipName: 'Car_Configuration__r',
    });
    expect(schema.childRelationship('Car_Configuration__c', 'Car_Options__r')).toMatchObject({
      childSObject: 'Car_Options__c',
      cascadeDelete: true,
    });
    expect(schema.field('Car_Options__c', 'OwnerId')).toBeUndefined();
    expect(schema.field('Car_Configuration__c', 'OwnerId')?.referenceTo).toEqual(['User']);
  });

  it('adds Region__c to Account with the sales regions', () => {
    expect(fieldOf('Account', 'Region__c')).toMatchObject({
      type: 'picklist',
      custom: true,
      restrictedPicklist: true,
      nillable: true,
    });
    expect(values('Account', 'Region__c')).toEqual([
      ['NAMER', 'North America'],
      ['EMEA', 'Europe, Middle East & Africa'],
      ['APAC', 'Asia-Pacific'],
      ['LATAM', 'Latin America'],
    ]);
    expect(
      loadForceAppObjects(projectForceApp)
        .extensions.get('Account')
        ?.map((f) => f.name),
    ).toEqual(['Region__c']);
    expect(schema.object('Account')?.fields.at(-1)?.name).toBe('Region__c');
  });

  it('enables Change Data Capture for Vehicle__c only', () => {
    expect(loadForceAppObjects(projectForceApp).cdcEntities).toEqual(['Vehicle__c']);
    expect(
      schema
        .objects()
        .filter((o) => o.cdcEnabled)
        .map((o) => o.name),
    ).toEqual(['Vehicle__c']);
  });

  it('lets the caller choose the CDC entities, by object or change event name', () => {
    const custom = loadSchema({
      cdcEntities: ['AccountChangeEvent', 'Car_Configuration__ChangeEvent', 'opportunity'],
    });
    expect(
      custom
        .objects()
        .filter((o) => o.cdcEnabled)
        .map((o) => o.name),
    ).toEqual(['Account', 'Opportunity', 'Car_Configuration__c']);
    expect(() => loadSchema({ cdcEntities: ['Spaceship__c'] })).toThrow(
      'cdcEntities: Spaceship__c is not an object of this org',
    );
  });

  it('loads the telemetry platform event as publishable but not queryable', () => {
    const event = schema.object('Car_Telemetry_Alert__e');
    expect(event).toMatchObject({
      custom: true,
      queryable: false,
      createable: true,
      updateable: false,
      deletable: false,
      cdcEnabled: false,
    });
    expect(event?.keyPrefix).toMatch(/^e[0-9A-Za-z]{2}$/);
    expect(event?.fields.map((f) => f.name)).toEqual([
      'ReplayId',
      'CreatedDate',
      'CreatedById',
      'EventUuid',
      'Alert_Type__c',
      'Message__c',
      'Severity__c',
      'VIN__c',
    ]);
    expect(fieldOf('Car_Telemetry_Alert__e', 'VIN__c')).toMatchObject({
      type: 'string',
      length: 17,
      nillable: false,
      createable: true,
      updateable: false,
    });
    expect(fieldOf('Car_Telemetry_Alert__e', 'Severity__c')).toMatchObject({ length: 20, nillable: true });
    expect(loadForceAppObjects(projectForceApp).platformEvents.map((e) => e.name)).toEqual([
      'Car_Telemetry_Alert__e',
      'Quote_Job_Progress__e',
    ]);
  });
});

/** A throwaway force-app directory written by each test. */
describe('force-app fixtures', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  function fixture(files: Record<string, string>): string {
    root = mkdtempSync(join(tmpdir(), 'force-app-'));
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    return root;
  }

  const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
  const objectXml = (
    label: string,
    nameField = '<nameField><label>Name</label><type>Text</type></nameField>',
    sharing = 'ReadWrite',
  ) =>
    `<?xml version="1.0" encoding="UTF-8"?><CustomObject ${NS}><label>${label}</label>${nameField}<pluralLabel>${label}s</pluralLabel><sharingModel>${sharing}</sharingModel></CustomObject>`;
  const fieldXml = (body: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><CustomField ${NS}>${body}</CustomField>`;
  const widget = (fields: Record<string, string>, sharing = 'ReadWrite') => ({
    'objects/Widget__c/Widget__c.object-meta.xml': objectXml('Widget', undefined, sharing),
    ...Object.fromEntries(
      Object.entries(fields).map(([name, body]) => [
        `objects/Widget__c/fields/${name}.field-meta.xml`,
        fieldXml(body),
      ]),
    ),
  });

  function loadError(dir: string): SalesforceError {
    try {
      loadForceAppObjects(dir);
    } catch (e) {
      if (e instanceof SalesforceError) return e;
      throw e;
    }
    throw new Error('loading succeeded');
  }

  it('translates every supported field type to its describe type', () => {
    const dir = fixture(
      widget({
        Count__c: '<label>Count</label><precision>18</precision><scale>0</scale><type>Number</type>',
        Ratio__c: '<label>Ratio</label><precision>5</precision><scale>2</scale><type>Percent</type>',
        Notes__c:
          '<label>Notes</label><length>32768</length><type>LongTextArea</type><visibleLines>5</visibleLines>',
        Summary__c: '<label>Summary</label><type>TextArea</type>',
        Active__c: '<label>Active</label><defaultValue>true</defaultValue><type>Checkbox</type>',
        Seen__c: '<label>Seen</label><type>DateTime</type>',
        Contact_Email__c: '<label>Contact Email</label><type>Email</type><unique>true</unique>',
        Hotline__c: '<label>Hotline</label><type>Phone</type>',
        Site__c: '<label>Site</label><type>Url</type>',
        Ticket__c:
          '<label>Ticket</label><displayFormat>T-{0000}</displayFormat><externalId>true</externalId><type>AutoNumber</type>',
        Tags__c:
          '<label>Tags</label><type>MultiselectPicklist</type><visibleLines>4</visibleLines><valueSet><valueSetDefinition>' +
          '<value><fullName>a</fullName><default>true</default><label>A</label></value>' +
          '<value><fullName>b</fullName><default>true</default><label>B</label></value></valueSetDefinition></valueSet>',
        Colour__c:
          '<label>Colour</label><defaultValue>"Red"</defaultValue><type>Picklist</type><valueSet><valueSetDefinition>' +
          '<value><fullName>Red</fullName><default>false</default><label>Red</label></value></valueSetDefinition></valueSet>',
        Parent__c:
          '<deleteConstraint>Restrict</deleteConstraint><label>Parent</label><referenceTo>Account</referenceTo><relationshipName>Widgets</relationshipName><type>Lookup</type>',
      }),
    );
    const [w] = loadForceAppObjects(dir).objects;
    const f = (name: string) => w?.fields.find((x) => x.name === name);
    expect(f('Count__c')).toMatchObject({ type: 'double', precision: 18, scale: 0 });
    expect(f('Ratio__c')).toMatchObject({ type: 'percent', precision: 5, scale: 2 });
    expect(f('Notes__c')).toMatchObject({
      type: 'textarea',
      length: 32768,
      filterable: false,
      sortable: false,
    });
    expect(f('Summary__c')).toMatchObject({ type: 'textarea', length: 255, filterable: true });
    expect(f('Active__c')).toMatchObject({
      type: 'boolean',
      defaultValue: true,
      nillable: false,
      defaultedOnCreate: true,
    });
    expect(f('Seen__c')).toMatchObject({ type: 'datetime', groupable: false });
    expect(f('Contact_Email__c')).toMatchObject({ type: 'email', length: 80, unique: true });
    expect(f('Hotline__c')).toMatchObject({ type: 'phone', length: 40 });
    expect(f('Site__c')).toMatchObject({ type: 'url', length: 255 });
    expect(f('Ticket__c')).toMatchObject({
      type: 'string',
      autoNumberFormat: 'T-{0000}',
      externalId: true,
      createable: false,
    });
    expect(f('Tags__c')).toMatchObject({
      type: 'multipicklist',
      defaultValue: 'a;b',
      restrictedPicklist: false,
      sortable: false,
    });
    expect(f('Colour__c')).toMatchObject({ type: 'picklist', defaultValue: 'Red' });
    expect(f('Parent__c')).toMatchObject({
      referenceTo: ['Account'],
      relationshipName: 'Parent__r',
      childRelationshipName: 'Widgets__r',
      cascadeDelete: false,
      restrictedDelete: true,
    });
    expect(w?.keyPrefix).toMatch(/^a[0-9A-Za-z]{2}$/);
  });

  it('keeps a custom object key prefix when other objects are added', () => {
    const alone = loadForceAppObjects(fixture(widget({}))).objects[0]?.keyPrefix;
    rmSync(root ?? '', { recursive: true, force: true });
    const withOthers = loadForceAppObjects(
      fixture({
        ...widget({}),
        'objects/Aardvark__c/Aardvark__c.object-meta.xml': objectXml('Aardvark'),
        'objects/Zebra__c/Zebra__c.object-meta.xml': objectXml('Zebra'),
      }),
    ).objects;
    expect(withOthers.map((o) => o.name)).toEqual(['Aardvark__c', 'Widget__c', 'Zebra__c']);
    expect(withOthers[1]?.keyPrefix).toBe(alone);
  });

  it('names the file of an unsupported field type', () => {
    const dir = fixture(
      widget({
        Body__c: '<label>Body</label><length>32768</length><type>Html</type><visibleLines>25</visibleLines>',
      }),
    );
    const e = loadError(dir);
    expect(e.errorCode).toBe('UNSUPPORTED_FIELD_TYPE');
    expect(e.message).toContain(join(dir, 'objects/Widget__c/fields/Body__c.field-meta.xml'));
    expect(e.message).toContain('field type Html of Body__c is not supported');
  });

  it('refuses formula fields rather than leave them empty', () => {
    const e = loadError(
      fixture(
        widget({
          Double__c:
            '<formula>Count__c * 2</formula><label>Double</label><precision>18</precision><scale>0</scale><type>Number</type>',
        }),
      ),
    );
    expect(e.errorCode).toBe('UNSUPPORTED_FIELD_TYPE');
    expect(e.message).toContain('Double__c.field-meta.xml: Double__c is a formula field');
  });

  it('names the file and line of malformed XML', () => {
    const dir = fixture(widget({ Broken__c: '<label>Broken</label><type>Text</type><length>10</length' }));
    const e = loadError(dir);
    expect(e.errorCode).toBe('MALFORMED_METADATA');
    expect(e.message).toMatch(
      new RegExp(
        `^${join(dir, 'objects/Widget__c/fields/Broken__c.field-meta.xml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not well-formed XML: .+ \\(line 1, column \\d+\\)$`,
      ),
    );
  });

  it('names the file whose root element is wrong', () => {
    const dir = fixture({
      'objects/Widget__c/Widget__c.object-meta.xml': `<CustomField ${NS}><label>Widget</label></CustomField>`,
    });
    expect(loadError(dir).message).toBe(
      `${join(dir, 'objects/Widget__c/Widget__c.object-meta.xml')}: expected a <CustomObject> root element`,
    );
  });

  it('refuses fields written inside the object file, as metadata (not source) format has them', () => {
    const dir = fixture({
      'objects/Widget__c/Widget__c.object-meta.xml': objectXml('Widget').replace(
        '<label>',
        '<fields><fullName>Size__c</fullName><label>Size</label><type>Text</type><length>5</length></fields><label>',
      ),
    });
    expect(loadError(dir).message).toBe(
      `${join(dir, 'objects/Widget__c/Widget__c.object-meta.xml')}: fields belong in fields/<Name>.field-meta.xml in source format, not inside the object file`,
    );
  });

  it('refuses a lookup to an object the org does not have', () => {
    const e = loadError(
      fixture(
        widget({
          Ship__c:
            '<label>Ship</label><referenceTo>Spaceship__c</referenceTo><relationshipName>Widgets</relationshipName><type>Lookup</type>',
        }),
      ),
    );
    expect(e.errorCode).toBe('INVALID_METADATA');
    expect(e.message).toContain(
      'Ship__c.field-meta.xml: Ship__c refers to Spaceship__c, which is not an object of this org',
    );
  });

  it('refuses two child relationships of the same name on one parent', () => {
    const lookup =
      '<referenceTo>Account</referenceTo><relationshipName>Widgets</relationshipName><type>Lookup</type>';
    const e = loadError(
      fixture(
        widget({ First__c: `<label>First</label>${lookup}`, Second__c: `<label>Second</label>${lookup}` }),
      ),
    );
    expect(e.message).toContain(
      'Second__c.field-meta.xml: Account already has a child relationship Widgets__r (from Widget__c.First__c)',
    );
  });

  it('keeps custom child relationships apart from standard ones through the __r suffix', () => {
    const dir = fixture({
      'objects/Case/fields/Billed_Account__c.field-meta.xml': fieldXml(
        '<label>Billed Account</label><referenceTo>Account</referenceTo><relationshipName>Cases</relationshipName><type>Lookup</type>',
      ),
    });
    expect(
      loadSchema({ forceAppDir: dir })
        .childRelationships('Account')
        .filter((c) => c.childSObject === 'Case')
        .map((c) => `${c.relationshipName}:${c.field}`),
    ).toEqual(['Cases:AccountId', 'Cases__r:Billed_Account__c']);
  });

  it('refuses a required lookup that would be cleared when its parent is deleted', () => {
    const e = loadError(
      fixture(
        widget({
          Owner__c:
            '<label>Owner</label><referenceTo>Account</referenceTo><relationshipName>Owned</relationshipName><required>true</required><type>Lookup</type>',
        }),
      ),
    );
    expect(e.message).toContain('required lookup Owner__c cannot be cleared when its parent is deleted');
  });

  it('reports a missing global value set from the field that names it', () => {
    const dir = fixture(
      widget({
        Size__c:
          '<label>Size</label><type>Picklist</type><valueSet><restricted>true</restricted><valueSetName>Sizes</valueSetName></valueSet>',
      }),
    );
    const e = loadError(dir);
    expect(e.message).toBe(
      `${join(dir, 'objects/Widget__c/fields/Size__c.field-meta.xml')}: global value set Sizes not found (expected globalValueSets/Sizes.globalValueSet-meta.xml)`,
    );
  });

  it('refuses fields on a standard object the local org does not define', () => {
    const dir = fixture({
      'objects/Contract/fields/Term__c.field-meta.xml': fieldXml(
        '<label>Term</label><length>10</length><type>Text</type>',
      ),
    });
    expect(loadError(dir).message).toBe(
      `${join(dir, 'objects/Contract')}: Contract is neither a custom object (__c), a platform event (__e) nor a standard object the local org defines`,
    );
  });

  it('refuses a custom field whose name a standard field already has', () => {
    const dir = fixture({
      'objects/Account/fields/Name.field-meta.xml': fieldXml('<label>Name</label><type>Text</type>'),
    });
    // Standard field files only carry settings and are skipped...
    expect(loadForceAppObjects(dir).extensions.size).toBe(0);
    rmSync(dir, { recursive: true, force: true });
    // ...but a second declaration of a custom field is refused.
    const twice = fixture({
      'objects/Account/fields/Region__c.field-meta.xml': fieldXml(
        '<label>Region</label><length>10</length><type>Text</type>',
      ),
      'objects/Account/fields/region__c.field-meta.xml': fieldXml(
        '<label>Region</label><length>10</length><type>Text</type>',
      ),
    });
    expect(loadError(twice).message).toContain('Account.region__c is declared twice');
  });

  it('refuses custom metadata types instead of silently leaving them out', () => {
    const e = loadError(
      fixture({ 'objects/Setting__mdt/Setting__mdt.object-meta.xml': objectXml('Setting') }),
    );
    expect(e.errorCode).toBe('UNSUPPORTED_METADATA');
    expect(e.message).toContain('custom metadata types (__mdt) are not supported by the local org');
  });

  it('requires a detail object to inherit its sharing from the master', () => {
    const md =
      '<label>Master</label><referenceTo>Account</referenceTo><relationshipName>Widgets</relationshipName><type>MasterDetail</type>';
    expect(loadError(fixture(widget({ Master__c: md }))).message).toContain(
      'its <sharingModel> must be ControlledByParent, not ReadWrite',
    );
    rmSync(root ?? '', { recursive: true, force: true });
    const [detail] = loadForceAppObjects(fixture(widget({ Master__c: md }, 'ControlledByParent'))).objects;
    expect(detail?.fields.map((f) => f.name).slice(0, 3)).toEqual(['Id', 'IsDeleted', 'Name']);
  });

  it('reads the CDC selection and refuses a member for an unknown object', () => {
    const member = (entity: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><PlatformEventChannelMember ${NS}><eventChannel>ChangeEvents</eventChannel><selectedEntity>${entity}</selectedEntity></PlatformEventChannelMember>`;
    const dir = fixture({
      ...widget({}),
      'platformEventChannelMembers/ChangeEvents_Widget__ChangeEvent.platformEventChannelMember-meta.xml':
        member('Widget__ChangeEvent'),
      'platformEventChannelMembers/ChangeEvents_AccountChangeEvent.platformEventChannelMember-meta.xml':
        member('AccountChangeEvent'),
      'platformEventChannelMembers/Fleet_chn_Widget__ChangeEvent.platformEventChannelMember-meta.xml': member(
        'Widget__ChangeEvent',
      ).replace('ChangeEvents<', 'Fleet__chn<'),
    });
    expect(loadForceAppObjects(dir).cdcEntities).toEqual(['Account', 'Widget__c']);
    writeFileSync(
      join(
        dir,
        'platformEventChannelMembers/ChangeEvents_Gadget__ChangeEvent.platformEventChannelMember-meta.xml',
      ),
      member('Gadget__ChangeEvent'),
    );
    expect(loadError(dir).message).toContain(
      'change events selected for Gadget__ChangeEvent, but Gadget__c is not an object of this org',
    );
  });

  it('refuses platform event fields of types events cannot have', () => {
    const dir = fixture({
      'objects/Ping__e/Ping__e.object-meta.xml': `<CustomObject ${NS}><eventType>HighVolume</eventType><label>Ping</label><pluralLabel>Pings</pluralLabel><publishBehavior>PublishAfterCommit</publishBehavior></CustomObject>`,
      'objects/Ping__e/fields/Level__c.field-meta.xml': fieldXml('<label>Level</label><type>Picklist</type>'),
    });
    expect(loadError(dir).message).toContain(
      'Level__c.field-meta.xml: platform event fields cannot be of type Picklist',
    );
  });

  it('builds a schema from a force-app with no objects at all', () => {
    const only = loadSchema({ forceAppDir: fixture({ 'README.md': 'empty' }) });
    expect(only.objects().length).toBe(14);
    expect(only.objects().some((o) => o.cdcEnabled)).toBe(false);
  });

  it('finds force-app through the default package directory of sfdx-project.json', () => {
    const dir = fixture({
      'sfdx-project.json': JSON.stringify({
        packageDirectories: [{ path: 'other' }, { path: 'src-sf', default: true }],
      }),
      'tools/deep/x.txt': '',
    });
    expect(findForceAppDir(join(dir, 'tools/deep'))).toBe(join(dir, 'src-sf', 'main', 'default'));
  });

  it('says where it looked when no sfdx-project.json is found', () => {
    const dir = fixture({ 'a/b.txt': '' });
    expect(() => findForceAppDir(join(dir, 'a'))).toThrow(
      `no sfdx-project.json above ${join(dir, 'a')}: pass forceAppDir to loadSchema`,
    );
  });
});
