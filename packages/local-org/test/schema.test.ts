import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Schema } from '../src/schema/schema.js';
import { loadSchema } from '../src/schema/load-schema.js';
import { opportunityStages, standardObjects } from '../src/schema/standard-objects.js';
import type { FieldDef, SObjectDef } from '../src/schema/types.js';
import { openDatabase, type Database } from '../src/storage/database.js';
import { schemaDdl } from '../src/storage/ddl.js';

const schema = new Schema(standardObjects());

function fieldOf(object: string, name: string): FieldDef {
  const f = schema.field(object, name);
  if (!f) throw new Error(`${object}.${name} is missing`);
  return f;
}

function objectOf(name: string): SObjectDef {
  const o = schema.object(name);
  if (!o) throw new Error(`${name} is missing`);
  return o;
}

/** Fields a create must supply: createable, not nillable, and not filled by the org. */
function requiredOnCreate(object: string): string[] {
  return objectOf(object)
    .fields.filter((f) => f.createable && !f.nillable && !f.defaultedOnCreate)
    .map((f) => f.name);
}

describe('standard objects', () => {
  it('have the key prefixes Salesforce uses, each once', () => {
    const prefixes = Object.fromEntries(schema.objects().map((o) => [o.name, o.keyPrefix]));
    expect(prefixes).toEqual({
      User: '005',
      Organization: '00D',
      Account: '001',
      Contact: '003',
      Lead: '00Q',
      Opportunity: '006',
      OpportunityLineItem: '00k',
      Product2: '01t',
      Pricebook2: '01s',
      PricebookEntry: '01u',
      Quote: '0Q0',
      QuoteLineItem: '0QL',
      Case: '500',
      Task: '00T',
    });
    expect(schema.objectByKeyPrefix('00k')?.name).toBe('OpportunityLineItem');
  });

  it('start with Id and IsDeleted and end with the audit fields, owned objects with OwnerId before them', () => {
    const owned = schema
      .objects()
      .filter((o) => o.fields.some((f) => f.name === 'OwnerId'))
      .map((o) => o.name);
    expect(owned).toEqual(['Account', 'Contact', 'Lead', 'Opportunity', 'Quote', 'Case', 'Task']);
    for (const o of schema.objects()) {
      const names = o.fields.map((f) => f.name);
      expect(names.slice(0, 2), o.name).toEqual(['Id', 'IsDeleted']);
      expect(names.slice(-5), o.name).toEqual([
        'CreatedDate',
        'CreatedById',
        'LastModifiedDate',
        'LastModifiedById',
        'SystemModstamp',
      ]);
      expect(new Set(names.map((n) => n.toLowerCase())).size, `${o.name} has a duplicate field`).toBe(
        names.length,
      );
    }
  });

  it('keep audit fields out of reach of writes and let the org fill them', () => {
    for (const name of [
      'Id',
      'IsDeleted',
      'CreatedDate',
      'CreatedById',
      'LastModifiedDate',
      'LastModifiedById',
      'SystemModstamp',
    ]) {
      const f = fieldOf('Account', name);
      expect([f.createable, f.updateable, f.defaultedOnCreate, f.nillable], name).toEqual([
        false,
        false,
        true,
        false,
      ]);
    }
    expect(fieldOf('Account', 'Id').type).toBe('id');
    expect(fieldOf('Account', 'CreatedById')).toMatchObject({
      type: 'reference',
      referenceTo: ['User'],
      relationshipName: 'CreatedBy',
    });
    expect(fieldOf('Case', 'OwnerId')).toMatchObject({
      createable: true,
      updateable: true,
      defaultedOnCreate: true,
      relationshipName: 'Owner',
    });
  });

  it('require exactly the fields Salesforce requires on create', () => {
    expect(requiredOnCreate('Account')).toEqual(['Name']);
    expect(requiredOnCreate('Contact')).toEqual(['LastName']);
    expect(requiredOnCreate('Lead')).toEqual(['LastName', 'Company']);
    expect(requiredOnCreate('Opportunity')).toEqual(['Name', 'StageName', 'CloseDate']);
    expect(requiredOnCreate('Product2')).toEqual(['Name']);
    expect(requiredOnCreate('Pricebook2')).toEqual(['Name']);
    expect(requiredOnCreate('PricebookEntry')).toEqual(['Pricebook2Id', 'Product2Id', 'UnitPrice']);
    expect(requiredOnCreate('OpportunityLineItem')).toEqual([
      'OpportunityId',
      'PricebookEntryId',
      'Quantity',
    ]);
    expect(requiredOnCreate('Quote')).toEqual(['Name', 'OpportunityId']);
    expect(requiredOnCreate('QuoteLineItem')).toEqual([
      'QuoteId',
      'PricebookEntryId',
      'Quantity',
      'UnitPrice',
    ]);
    // Status and Priority are required but defaulted.
    expect(requiredOnCreate('Case')).toEqual([]);
    expect(requiredOnCreate('Task')).toEqual([]);
  });

  it('describe text, number and date fields with Salesforce types, sizes and flags', () => {
    expect(fieldOf('Account', 'Name')).toMatchObject({
      type: 'string',
      length: 255,
      nillable: false,
      label: 'Account Name',
    });
    expect(fieldOf('Opportunity', 'Name')).toMatchObject({ type: 'string', length: 120 });
    expect(fieldOf('Account', 'Website')).toMatchObject({ type: 'url', length: 255 });
    expect(fieldOf('Contact', 'Email')).toMatchObject({ type: 'email', length: 80 });
    expect(fieldOf('Account', 'Phone')).toMatchObject({ type: 'phone', length: 40 });
    expect(fieldOf('Account', 'NumberOfEmployees')).toMatchObject({
      type: 'int',
      precision: 8,
      groupable: true,
    });
    expect(fieldOf('Account', 'AnnualRevenue')).toMatchObject({ type: 'currency', precision: 18, scale: 0 });
    // Long text areas cannot be filtered, sorted or grouped; short ones (addresses) can.
    expect(fieldOf('Account', 'Description')).toMatchObject({
      type: 'textarea',
      length: 32000,
      filterable: false,
      sortable: false,
      groupable: false,
    });
    expect(fieldOf('Account', 'BillingStreet')).toMatchObject({
      type: 'textarea',
      length: 255,
      filterable: true,
      sortable: true,
      groupable: true,
    });
    // Amount is writable (rolled up by the DML layer when there are line items), not groupable.
    expect(fieldOf('Opportunity', 'Amount')).toMatchObject({
      type: 'currency',
      precision: 18,
      scale: 2,
      createable: true,
      updateable: true,
      calculated: false,
      filterable: true,
      sortable: true,
      groupable: false,
    });
    expect(fieldOf('Opportunity', 'Probability')).toMatchObject({
      type: 'percent',
      precision: 3,
      scale: 0,
      defaultedOnCreate: true,
    });
    expect(fieldOf('Opportunity', 'CloseDate')).toMatchObject({
      type: 'date',
      nillable: false,
      groupable: true,
    });
    expect(fieldOf('Account', 'CreatedDate')).toMatchObject({
      type: 'datetime',
      groupable: false,
      sortable: true,
    });
    expect(fieldOf('OpportunityLineItem', 'Quantity')).toMatchObject({
      type: 'double',
      precision: 12,
      scale: 2,
      nillable: false,
    });
    expect(fieldOf('Pricebook2', 'IsActive')).toMatchObject({
      type: 'boolean',
      nillable: false,
      defaultValue: false,
      defaultedOnCreate: true,
      groupable: true,
    });
  });

  it('make derived fields read-only and calculated', () => {
    for (const [object, name] of [
      ['Contact', 'Name'],
      ['Lead', 'Name'],
      ['Opportunity', 'IsWon'],
      ['Opportunity', 'IsClosed'],
      ['Opportunity', 'HasOpportunityLineItem'],
      ['PricebookEntry', 'Name'],
      ['PricebookEntry', 'ProductCode'],
      ['Quote', 'GrandTotal'],
      ['Quote', 'Subtotal'],
      ['Quote', 'LineItemCount'],
      ['QuoteLineItem', 'TotalPrice'],
      ['Case', 'IsClosed'],
    ] as const) {
      const f = fieldOf(object, name);
      expect([f.calculated, f.createable, f.updateable], `${object}.${name}`).toEqual([true, false, false]);
    }
    expect(fieldOf('Contact', 'Name')).toMatchObject({ type: 'string', length: 121 });
    expect(fieldOf('OpportunityLineItem', 'ListPrice')).toMatchObject({
      createable: false,
      updateable: false,
    });
    // Createable as on real orgs (the Object Reference calls it read-only yet lists Create).
    expect(fieldOf('OpportunityLineItem', 'Product2Id')).toMatchObject({
      createable: true,
      updateable: false,
      defaultedOnCreate: true,
      referenceTo: ['Product2'],
    });
    expect(fieldOf('QuoteLineItem', 'Product2Id')).toMatchObject({ createable: true, updateable: false });
    expect(fieldOf('Pricebook2', 'IsStandard')).toMatchObject({ createable: false, updateable: false });
    expect(fieldOf('Lead', 'IsConverted')).toMatchObject({ createable: false });
  });

  it('number records with auto-number fields the caller cannot set', () => {
    for (const [object, name] of [
      ['Case', 'CaseNumber'],
      ['Quote', 'QuoteNumber'],
      ['QuoteLineItem', 'LineNumber'],
    ] as const) {
      expect(fieldOf(object, name)).toMatchObject({
        type: 'string',
        autoNumberFormat: '{00000000}',
        createable: false,
        updateable: false,
        defaultedOnCreate: true,
      });
    }
  });

  it('list the standard picklist values with their defaults', () => {
    const values = (object: string, name: string) => fieldOf(object, name).picklistValues.map((p) => p.value);
    expect(values('Opportunity', 'StageName')).toEqual([
      'Prospecting',
      'Qualification',
      'Needs Analysis',
      'Value Proposition',
      'Id. Decision Makers',
      'Perception Analysis',
      'Proposal/Price Quote',
      'Negotiation/Review',
      'Closed Won',
      'Closed Lost',
    ]);
    expect(opportunityStages.find((s) => s.value === 'Closed Won')).toMatchObject({
      probability: 100,
      isClosed: true,
      isWon: true,
    });
    expect(values('Lead', 'Status')).toEqual([
      'Open - Not Contacted',
      'Working - Contacted',
      'Closed - Converted',
      'Closed - Not Converted',
    ]);
    expect(fieldOf('Lead', 'Status')).toMatchObject({
      defaultValue: 'Open - Not Contacted',
      nillable: false,
      defaultedOnCreate: true,
    });
    expect(
      fieldOf('Lead', 'Status')
        .picklistValues.filter((p) => p.defaultValue)
        .map((p) => p.value),
    ).toEqual(['Open - Not Contacted']);
    expect(values('Case', 'Status')).toEqual(['New', 'Working', 'Escalated', 'Closed']);
    expect(fieldOf('Case', 'Status').defaultValue).toBe('New');
    expect(fieldOf('Case', 'Priority').defaultValue).toBe('Medium');
    expect(values('Case', 'Origin')).toEqual(['Phone', 'Email', 'Web']);
    expect(values('Task', 'Status')).toEqual([
      'Not Started',
      'In Progress',
      'Completed',
      'Waiting on someone else',
      'Deferred',
    ]);
    expect([fieldOf('Task', 'Status').defaultValue, fieldOf('Task', 'Priority').defaultValue]).toEqual([
      'Not Started',
      'Normal',
    ]);
    expect(values('Quote', 'Status')).toEqual([
      'Draft',
      'Needs Review',
      'In Review',
      'Approved',
      'Rejected',
      'Presented',
      'Accepted',
      'Denied',
    ]);
    expect(fieldOf('Quote', 'Status').defaultValue).toBe('Draft');
    // Salesforce's Family picklist is open-ended: values outside the list are accepted.
    expect(fieldOf('Product2', 'Family')).toMatchObject({ restrictedPicklist: false });
    expect(values('Product2', 'Family')).toEqual(['Vehicle', 'Option', 'Service']);
  });

  it('point every reference at an object of the schema', () => {
    const dangling: string[] = [];
    for (const o of schema.objects()) {
      for (const f of o.fields.filter((x) => x.type === 'reference')) {
        if (f.referenceTo.length === 0) dangling.push(`${o.name}.${f.name}`);
        for (const to of f.referenceTo)
          expect(schema.object(to), `${o.name}.${f.name} → ${to}`).toBeDefined();
      }
    }
    // There is no Profile object to point at.
    expect(dangling).toEqual(['User.ProfileId']);
  });

  it('resolve child relationships to the lookup behind them', () => {
    expect(schema.childRelationship('Opportunity', 'OpportunityLineItems')).toEqual({
      childSObject: 'OpportunityLineItem',
      field: 'OpportunityId',
      relationshipName: 'OpportunityLineItems',
      cascadeDelete: true,
    });
    expect(schema.childRelationship('Quote', 'QuoteLineItems')).toEqual({
      childSObject: 'QuoteLineItem',
      field: 'QuoteId',
      relationshipName: 'QuoteLineItems',
      cascadeDelete: true,
    });
    expect(schema.childRelationship('Opportunity', 'Quotes')).toMatchObject({
      childSObject: 'Quote',
      field: 'OpportunityId',
      cascadeDelete: true,
    });
    const accountChildren = schema
      .childRelationships('Account')
      .map((c) => `${c.relationshipName}:${c.childSObject}.${c.field}`);
    expect(accountChildren).toEqual([
      'ChildAccounts:Account.ParentId',
      'Contacts:Contact.AccountId',
      'Opportunities:Opportunity.AccountId',
      'Quotes:Quote.AccountId',
      'Cases:Case.AccountId',
      'Tasks:Task.WhatId',
    ]);
    expect(schema.childRelationships('PricebookEntry').map((c) => c.relationshipName)).toEqual([
      'OpportunityLineItems',
      'QuoteLineItems',
    ]);
    expect(schema.childRelationships('Pricebook2').map((c) => c.relationshipName)).toEqual([
      'Opportunities',
      'PricebookEntries',
      'Quotes',
    ]);
    expect(schema.childRelationships('Product2').map((c) => c.relationshipName)).toEqual([
      'PricebookEntries',
    ]);
    expect(schema.childRelationships('Contact').map((c) => c.relationshipName)).toEqual([
      'Quotes',
      'Cases',
      'Tasks',
    ]);
  });

  it('resolve parent relationships, polymorphic ones included', () => {
    expect(schema.parentRelationship('Contact', 'Account')?.name).toBe('AccountId');
    expect(schema.parentRelationship('Account', 'Parent')?.name).toBe('ParentId');
    expect(schema.parentRelationship('OpportunityLineItem', 'PricebookEntry')?.name).toBe('PricebookEntryId');
    expect(schema.parentRelationship('Task', 'What')?.referenceTo).toEqual([
      'Account',
      'Opportunity',
      'Case',
      'Quote',
    ]);
    expect(schema.parentRelationship('Task', 'Who')?.referenceTo).toEqual(['Contact', 'Lead']);
    expect(schema.parentRelationship('Quote', 'Owner')?.referenceTo).toEqual(['User']);
  });

  it('find objects, fields and relationships whatever the case', () => {
    expect(schema.object('opportunitylineitem')?.name).toBe('OpportunityLineItem');
    expect(schema.field('ACCOUNT', 'billingcity')?.name).toBe('BillingCity');
    expect(schema.parentRelationship('contact', 'ACCOUNT')?.name).toBe('AccountId');
    expect(schema.childRelationship('opportunity', 'opportunitylineitems')?.childSObject).toBe(
      'OpportunityLineItem',
    );
    expect(schema.object('Vehicle')).toBeUndefined();
  });

  it('leave out CurrencyIsoCode, as a single-currency org does', () => {
    const withCurrency = schema.objects().filter((o) => o.fields.some((f) => f.name === 'CurrencyIsoCode'));
    expect(withCurrency).toEqual([]);
  });

  it('let the API query but not create users or the organization', () => {
    expect(objectOf('User')).toMatchObject({ createable: false, queryable: true, deletable: false });
    expect(objectOf('Organization')).toMatchObject({
      createable: false,
      updateable: false,
      queryable: true,
      deletable: false,
    });
    expect(objectOf('Account')).toMatchObject({
      createable: true,
      updateable: true,
      deletable: true,
      queryable: true,
      custom: false,
    });
    expect(fieldOf('User', 'Username')).toMatchObject({ unique: true, nillable: false, length: 80 });
    expect(fieldOf('User', 'Alias')).toMatchObject({ length: 8, nillable: false });
  });

  it('are built afresh on every call, so extending one list leaves the next untouched', () => {
    const first = standardObjects();
    first.find((o) => o.name === 'Account')?.fields.push(fieldOf('Account', 'Name'));
    const second = standardObjects();
    expect(second.find((o) => o.name === 'Account')?.fields.length).toBe(objectOf('Account').fields.length);
  });
});

describe('the full schema in storage', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  it('creates one table per object with one column per field', async () => {
    const full = loadSchema();
    await db.exec(schemaDdl(full));
    const r = await db.query<{ table_name: string; n: number }>(
      `SELECT table_name, count(*)::int AS n FROM information_schema.columns WHERE table_schema = 'public' GROUP BY table_name`,
    );
    const columns = Object.fromEntries(r.rows.map((x) => [x.table_name, x.n]));
    for (const o of full.objects()) expect(columns[o.name], o.name).toBe(o.fields.length);
    const vin = await db.query<{ data_type: string }>(
      `SELECT data_type FROM information_schema.columns WHERE table_name = 'Vehicle__c' AND column_name = 'VIN__c'`,
    );
    expect(vin.rows).toEqual([{ data_type: 'text' }]);
  });
});
