/**
 * SOQL test fixture: the standard objects plus a few custom fields and a custom object (standing in
 * for force-app metadata), tables created with `schemaDdl`, and rows inserted with plain SQL so the
 * tests exercise the query engine alone.
 */
import { makeId } from '../../src/ids.js';
import { Schema } from '../../src/schema/schema.js';
import { standardObjects } from '../../src/schema/standard-objects.js';
import type { FieldDef, FieldType, SObjectDef } from '../../src/schema/types.js';
import type { SoqlContext } from '../../src/soql/index.js';
import { openDatabase, type Database, type DatabaseOptions, type Sql } from '../../src/storage/database.js';
import { ident, schemaDdl } from '../../src/storage/ddl.js';

/** The fixed clock of the date-literal tests: Wednesday 15 May 2024, noon UTC. */
export const NOW = new Date('2024-05-15T12:00:00.000Z');

/** A complete custom `FieldDef` (describe flags as Salesforce derives them for the type). */
export function customField(name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
  const text = ['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist'].includes(type);
  return {
    name,
    label: name.replace(/__c$/, '').replace(/_/g, ' '),
    type,
    custom: name.endsWith('__c'),
    length: text ? 255 : type === 'reference' || type === 'id' ? 18 : 0,
    precision: type === 'double' || type === 'currency' ? 18 : 0,
    scale: type === 'double' || type === 'currency' ? 2 : 0,
    nillable: type !== 'boolean' && type !== 'id',
    createable: type !== 'id',
    updateable: type !== 'id',
    filterable: true,
    sortable: type !== 'multipicklist',
    groupable: !['double', 'currency', 'percent', 'multipicklist', 'datetime'].includes(type),
    defaultedOnCreate: type === 'boolean',
    unique: false,
    externalId: false,
    caseSensitive: false,
    picklistValues: [],
    restrictedPicklist: false,
    referenceTo: [],
    relationshipName: null,
    childRelationshipName: null,
    cascadeDelete: false,
    calculated: false,
    ...extra,
  };
}

/** `Vehicle__c`: a custom object with a lookup to Account (`Account__r`, children `Vehicles__r`). */
function vehicleObject(): SObjectDef {
  return {
    name: 'Vehicle__c',
    label: 'Vehicle',
    labelPlural: 'Vehicles',
    keyPrefix: 'a0X',
    custom: true,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    fields: [
      customField('Id', 'id', { custom: false, label: 'Record ID' }),
      customField('IsDeleted', 'boolean', { custom: false, label: 'Deleted' }),
      customField('Name', 'string', { custom: false, label: 'Vehicle Name' }),
      customField('Account__c', 'reference', {
        referenceTo: ['Account'],
        relationshipName: 'Account__r',
        childRelationshipName: 'Vehicles__r',
      }),
      customField('Features__c', 'multipicklist'),
      customField('Battery_Capacity__c', 'double'),
      customField('Notes__c', 'textarea', { length: 32_768, filterable: false, sortable: false, groupable: false }),
    ],
  };
}

/** Standard objects + `Account.Region__c` + `Vehicle__c`. */
export function soqlSchema(): Schema {
  const objects = standardObjects().map((o) =>
    o.name === 'Account' ? { ...o, fields: [...o.fields, customField('Region__c', 'picklist')] } : o,
  );
  return new Schema([...objects, vehicleObject()]);
}

/** A database with every table of `soqlSchema()`. */
export interface SoqlDb {
  db: Database;
  schema: Schema;
  /** A query context on the database; `now` defaults to {@link NOW}. */
  ctx(extra?: Partial<SoqlContext>): SoqlContext;
  /** Empties every table. */
  clear(): Promise<void>;
  close(): Promise<void>;
}

/** Opens PGlite (or `options.databaseUrl`) and creates the tables. */
export async function openSoqlDb(options: DatabaseOptions = {}): Promise<SoqlDb> {
  const schema = soqlSchema();
  const db = await openDatabase(options);
  await db.exec(schemaDdl(schema));
  return {
    db,
    schema,
    ctx: (extra = {}) => ({ schema, sql: db, apiVersion: '64.0', userId: ids.user, now: () => NOW, ...extra }),
    // DELETE beats TRUNCATE on the tiny tables of a test (PGlite truncates files in memory).
    clear: () => db.exec(schema.objects().map((o) => `DELETE FROM ${ident(o.name)};`).join('\n')),
    close: () => db.close(),
  };
}

/** Inserts `rows` into `object`'s table with one parameterised statement per 500 rows; absent columns get their default. */
export async function insert(sql: Sql, object: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const columns = [...new Set(chunk.flatMap((r) => Object.keys(r)))];
    const params: unknown[] = [];
    const tuples = chunk.map(
      (r) =>
        `(${columns
          .map((c) => {
            // A column the row does not mention takes its default (booleans are NOT NULL DEFAULT false).
            if (!(c in r)) return 'DEFAULT';
            params.push(r[c]);
            return `$${params.length}`;
          })
          .join(', ')})`,
    );
    await sql.query(`INSERT INTO ${ident(object)} (${columns.map(ident).join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}

/** Ids of the scenario records. */
export const ids = {
  user: makeId('005', 1),
  acme: makeId('001', 1),
  globex: makeId('001', 2),
  initech: makeId('001', 3),
  deletedAccount: makeId('001', 4),
  jane: makeId('003', 1),
  john: makeId('003', 2),
  obrien: makeId('003', 3),
  bigDeal: makeId('006', 1),
  smallDeal: makeId('006', 2),
  globexDeal: makeId('006', 3),
  orphanDeal: makeId('006', 4),
  deletedDeal: makeId('006', 5),
  car: makeId('01t', 1),
  battery: makeId('01t', 2),
  line1: makeId('00k', 1),
  line2: makeId('00k', 2),
  line3: makeId('00k', 3),
  deletedLine: makeId('00k', 4),
  quote: makeId('0Q0', 1),
  taskOnAccount: makeId('00T', 1),
  taskOnDeal: makeId('00T', 2),
  taskOnNothing: makeId('00T', 3),
  van: makeId('a0X', 1),
  truck: makeId('a0X', 2),
};

/**
 * The scenario most tests read:
 * - user Ada Lovelace owns Acme and Globex;
 * - accounts Acme (EMEA, Energy), Globex (NAMER, child of Acme), initech (all optional fields
 *   null, lower-case name) and a soft-deleted "Deleted Co";
 * - contacts Jane Doe and John Roe at Acme, Pat O'Brien without account;
 * - opportunities Big Deal and Small Deal (Acme), Globex Deal, Orphan Deal (no account) and a
 *   deleted one; Big Deal has two live lines and one deleted line, Small Deal one line;
 * - a quote on Big Deal; tasks on Acme, on Big Deal and on nothing; vehicles of Acme.
 */
export async function seedScenario(sql: Sql): Promise<void> {
  await insert(sql, 'User', [
    { Id: ids.user, Username: 'ada@example.com', LastName: 'Lovelace', FirstName: 'Ada', Name: 'Ada Lovelace', Alias: 'ada', IsActive: true },
  ]);
  await insert(sql, 'Account', [
    {
      Id: ids.acme,
      Name: 'Acme',
      Region__c: 'EMEA',
      Industry: 'Energy',
      AnnualRevenue: 1000000,
      NumberOfEmployees: 50,
      OwnerId: ids.user,
      CreatedDate: '2024-01-15T10:30:00Z',
    },
    {
      Id: ids.globex,
      Name: 'Globex',
      Region__c: 'NAMER',
      Industry: 'Retail',
      AnnualRevenue: 500.5,
      NumberOfEmployees: 10,
      OwnerId: ids.user,
      ParentId: ids.acme,
      CreatedDate: '2024-05-15T08:00:00Z',
    },
    { Id: ids.initech, Name: 'initech', CreatedDate: '2023-12-31T23:59:59Z' },
    { Id: ids.deletedAccount, Name: 'Deleted Co', IsDeleted: true, OwnerId: ids.user },
  ]);
  await insert(sql, 'Contact', [
    { Id: ids.jane, AccountId: ids.acme, FirstName: 'Jane', LastName: 'Doe', Name: 'Jane Doe', Birthdate: '1990-05-01', Email: 'jane@acme.example' },
    { Id: ids.john, AccountId: ids.acme, FirstName: 'John', LastName: 'Roe', Name: 'John Roe', Birthdate: '1985-11-30' },
    { Id: ids.obrien, FirstName: 'Pat', LastName: "O'Brien", Name: "Pat O'Brien" },
  ]);
  await insert(sql, 'Opportunity', [
    { Id: ids.bigDeal, AccountId: ids.acme, Name: 'Big Deal', CloseDate: '2024-03-31', StageName: 'Prospecting', Amount: 100, IsWon: false, OwnerId: ids.user },
    { Id: ids.smallDeal, AccountId: ids.acme, Name: 'Small Deal', CloseDate: '2024-06-30', StageName: 'Closed Won', Amount: 50, IsWon: true, OwnerId: ids.user },
    { Id: ids.globexDeal, AccountId: ids.globex, Name: 'Globex Deal', CloseDate: '2024-01-31', StageName: 'Prospecting', Amount: null, IsWon: false },
    { Id: ids.orphanDeal, Name: 'Orphan Deal', CloseDate: '2024-05-15', StageName: 'Qualification', Amount: 75.25, IsWon: false },
    { Id: ids.deletedDeal, AccountId: ids.acme, Name: 'Deleted Deal', CloseDate: '2024-05-15', StageName: 'Prospecting', Amount: 1, IsDeleted: true },
  ]);
  await insert(sql, 'Product2', [
    { Id: ids.car, Name: 'Car', IsActive: true },
    { Id: ids.battery, Name: 'Battery', IsActive: true },
  ]);
  await insert(sql, 'OpportunityLineItem', [
    { Id: ids.line1, OpportunityId: ids.bigDeal, Product2Id: ids.car, Quantity: 2, UnitPrice: 10 },
    { Id: ids.line2, OpportunityId: ids.bigDeal, Product2Id: ids.battery, Quantity: 1, UnitPrice: 20 },
    { Id: ids.line3, OpportunityId: ids.smallDeal, Product2Id: ids.car, Quantity: 5, UnitPrice: 30 },
    { Id: ids.deletedLine, OpportunityId: ids.bigDeal, Product2Id: ids.car, Quantity: 9, UnitPrice: 99, IsDeleted: true },
  ]);
  await insert(sql, 'Quote', [{ Id: ids.quote, Name: 'Q-1', OpportunityId: ids.bigDeal, Status: 'Draft' }]);
  await insert(sql, 'Task', [
    { Id: ids.taskOnAccount, Subject: 'Call', WhatId: ids.acme, Status: 'Not Started' },
    { Id: ids.taskOnDeal, Subject: 'Email', WhatId: ids.bigDeal, Status: 'Completed' },
    { Id: ids.taskOnNothing, Subject: 'Think', Status: 'Not Started' },
  ]);
  await insert(sql, 'Vehicle__c', [
    { Id: ids.van, Name: 'Van', Account__c: ids.acme, Features__c: 'Heated Seats;Sunroof', Battery_Capacity__c: 75.5 },
    { Id: ids.truck, Name: 'Truck', Account__c: ids.acme, Features__c: 'Tow Hitch', Battery_Capacity__c: 120 },
  ]);
}

/** `/services/data/v64.0/sobjects/<type>/<id>`. */
export function url(type: string, id: string): string {
  return `/services/data/v64.0/sobjects/${type}/${id}`;
}
