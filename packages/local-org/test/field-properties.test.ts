/**
 * The standard objects' field tables (issue 18 §1, §4): describe reports exactly what each table
 * says, and the write path honours the same table — every field that is not createable is refused
 * on insert with Salesforce's code, every createable one is accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STANDARD_PRICEBOOK_ID, USER_ID } from '../src/data/seed.js';
import type { Row } from '../src/data/store-types.js';
import { describeSObject } from '../src/http/describe.js';
import type { OrgRuntime } from '../src/org-runtime.js';
import { Schema } from '../src/schema/schema.js';
import { standardObjects } from '../src/schema/standard-objects.js';
import type { FieldDef, SObjectDef } from '../src/schema/types.js';
import { openStore } from './utils/store-fixture.js';

const SYSTEM = new Set(['Id', 'IsDeleted', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp']);

describe('describe against the field tables', () => {
  const table = standardObjects();
  const schema = new Schema(standardObjects());

  it.each(table.map((o) => [o.name, o] as const))('%s: every field as its table says', (_name, o: SObjectDef) => {
    const described = describeSObject({ schema } as unknown as OrgRuntime, schema.object(o.name)!, '65.0');
    expect(described.fields.map((f) => f.name)).toEqual(o.fields.map((f) => f.name));
    for (const [k, f] of o.fields.entries()) {
      const d = described.fields[k]!;
      expect(
        {
          type: d.type,
          length: d.length,
          precision: d.precision,
          scale: d.scale,
          createable: d.createable,
          updateable: d.updateable,
          nillable: d.nillable,
          defaultedOnCreate: d.defaultedOnCreate,
          externalId: d.externalId,
          unique: d.unique,
          calculated: d.calculated,
          referenceTo: d.referenceTo,
          relationshipName: d.relationshipName,
          cascadeDelete: d.cascadeDelete,
        },
        `${o.name}.${f.name}`,
      ).toEqual({
        type: f.type,
        length: f.length,
        precision: f.precision,
        scale: f.scale,
        createable: f.createable,
        updateable: f.updateable,
        nillable: f.nillable,
        defaultedOnCreate: f.defaultedOnCreate,
        externalId: f.externalId,
        unique: f.unique,
        calculated: f.calculated,
        referenceTo: f.referenceTo,
        relationshipName: f.relationshipName,
        cascadeDelete: f.cascadeDelete,
      });
    }
  });

  it('lists the standard fields jsforce’s suite and the samples use, with the Object Reference’s properties', () => {
    const field = (o: string, f: string) => table.find((x) => x.name === o)?.fields.find((x) => x.name === f);
    for (const name of ['Sic', 'SicDesc', 'TickerSymbol', 'Ownership', 'Jigsaw']) {
      expect(field('Account', name), name).toMatchObject({ createable: true, updateable: true, nillable: true });
    }
    for (const o of ['Account', 'Contact', 'Lead', 'Opportunity']) {
      expect(field(o, 'LastActivityDate'), o).toMatchObject({ type: 'date', createable: false, updateable: false, nillable: true });
    }
    expect(field('Account', 'JigsawCompanyId')).toMatchObject({ createable: false, updateable: false });
    expect(field('OpportunityLineItem', 'Product2Id')).toMatchObject({ createable: true, updateable: false, defaultedOnCreate: true });
  });
});

describe('the write path against the same tables', () => {
  let fx: Awaited<ReturnType<typeof openStore>>;
  /** One live record of each object a lookup may point at. */
  const targets: Record<string, string> = { User: USER_ID, Pricebook2: STANDARD_PRICEBOOK_ID };

  const create = async (type: string, body: Row) => (await fx.store.transaction((tx) => fx.store.create(tx, type, [body])))[0]!;

  beforeAll(async () => {
    fx = await openStore();
    const made = async (type: string, body: Row) => {
      const r = await create(type, body);
      if (!r.ok) throw r.error;
      targets[type] = r.id;
    };
    await made('Account', { Name: 'Target' });
    await made('Contact', { LastName: 'Target' });
    await made('Lead', { LastName: 'Target', Company: 'Target' });
    await made('Opportunity', { Name: 'Target', StageName: 'Prospecting', CloseDate: '2026-01-15', Pricebook2Id: STANDARD_PRICEBOOK_ID });
    await made('Product2', { Name: 'Target', IsActive: true });
    await made('PricebookEntry', { Pricebook2Id: STANDARD_PRICEBOOK_ID, Product2Id: targets['Product2'], UnitPrice: 10, IsActive: true });
    await made('Quote', { Name: 'Target', OpportunityId: targets['Opportunity'] });
    await made('Case', {});
  }, 120_000);
  afterAll(() => fx.close());

  /** A value of the field's type Salesforce accepts. */
  function sample(f: FieldDef): unknown {
    switch (f.type) {
      case 'boolean':
        return true;
      case 'int':
      case 'double':
      case 'currency':
      case 'percent':
        return 1;
      case 'date':
        return '2026-01-15';
      case 'datetime':
        return '2026-01-15T10:00:00.000Z';
      case 'email':
        return 'someone@example.com';
      case 'picklist':
      case 'multipicklist':
        return f.picklistValues[0]?.value ?? 'x';
      case 'reference':
        return targets[f.referenceTo[0] ?? ''] ?? null;
      default:
        return 'x';
    }
  }

  /** The smallest valid insert of each createable object (its required fields). */
  const base = (): Record<string, Row> => ({
    Account: { Name: 'Write test' },
    Contact: { LastName: 'Write test' },
    Lead: { LastName: 'Write test', Company: 'Write test' },
    Opportunity: { Name: 'Write test', StageName: 'Prospecting', CloseDate: '2026-01-15' },
    Product2: { Name: 'Write test' },
    Pricebook2: { Name: 'Write test' },
    OpportunityLineItem: { OpportunityId: targets['Opportunity'], PricebookEntryId: targets['PricebookEntry'], Quantity: 1 },
    Quote: { Name: 'Write test', OpportunityId: targets['Opportunity'] },
    QuoteLineItem: { QuoteId: targets['Quote'], PricebookEntryId: targets['PricebookEntry'], Quantity: 1, UnitPrice: 10 },
    Case: {},
    Task: {},
  });

  const writable = () => standardObjects().filter((o) => o.createable && o.name !== 'PricebookEntry');

  it('refuses every field that is not createable with INVALID_FIELD_FOR_INSERT_UPDATE', async () => {
    let checked = 0;
    for (const o of standardObjects().filter((x) => x.createable)) {
      const fields = o.fields.filter((x) => !x.createable);
      const results = await fx.store.transaction((tx) =>
        fx.store.create(tx, o.name, fields.map((f) => ({ ...base()[o.name], [f.name]: sample(f) ?? 'x' }))),
      );
      for (const [k, f] of fields.entries()) {
        const r = results[k]!;
        expect(r.ok ? 'created' : [r.error.errorCode, r.error.fields], `${o.name}.${f.name}`).toEqual(['INVALID_FIELD_FOR_INSERT_UPDATE', [f.name]]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('accepts every createable field on insert and stores its value', async () => {
    let checked = 0;
    for (const o of writable()) {
      // One insert per field (only that field beside the required ones), all of an object in one batch.
      const fields = o.fields.filter((x) => x.createable && !SYSTEM.has(x.name));
      const bodies = fields.map((f) => {
        const body: Row = { ...base()[o.name], [f.name]: sample(f) };
        // The two prices of a line are either/or (Salesforce refuses both on an opportunity line).
        if (o.name === 'OpportunityLineItem' && f.name === 'TotalPrice') delete body['UnitPrice'];
        if (f.name === 'Product2Id' && o.name.endsWith('LineItem')) body[f.name] = targets['Product2'];
        if (f.name === 'PricebookEntryId') body[f.name] = targets['PricebookEntry'];
        return body;
      });
      const results = await fx.store.transaction((tx) => fx.store.create(tx, o.name, bodies));
      const ids = results.map((r, k) => {
        if (!r.ok) throw new Error(`${o.name}.${fields[k]!.name}: ${r.error.errorCode} ${r.error.message}`);
        return r.id;
      });
      const stored = await fx.db.query<Row>(`SELECT * FROM "${o.name}" WHERE "Id" = ANY($1)`, [ids]);
      const byId = new Map(stored.rows.map((row) => [row['Id'] as string, row]));
      for (const [k, f] of fields.entries()) {
        expect(byId.get(ids[k]!)?.[f.name], `${o.name}.${f.name}`).not.toBeNull();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);
  });
});
