import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordStore } from '../src/data/record-store.js';
import type { Row, WriteResult } from '../src/data/store-types.js';
import { STANDARD_PRICEBOOK_ID } from '../src/data/seed.js';
import { isValidId, to18 } from '../src/ids.js';
import { initializeDatabase } from '../src/storage/initialize.js';
import { openStore } from './utils/store-fixture.js';

let fx: Awaited<ReturnType<typeof openStore>>;
let store: RecordStore;

beforeAll(async () => {
  fx = await openStore();
  store = fx.store;
});
afterAll(() => fx.close());
beforeEach(() => fx.reset());

const ok = (r: WriteResult | undefined): string => {
  if (!r?.ok) throw new Error(`expected success, got ${r ? `${r.error.errorCode}: ${r.error.message}` : 'nothing'}`);
  return r.id;
};
const err = (r: WriteResult | undefined) => {
  if (!r || r.ok) throw new Error('expected a failure');
  return { errorCode: r.error.errorCode, message: r.error.message, fields: r.error.fields };
};
const create = (type: string, rows: Row[]) => store.transaction((tx) => store.create(tx, type, rows));
const update = (type: string, rows: Row[]) => store.transaction((tx) => store.update(tx, type, rows));
const remove = (type: string, ids: string[]) => store.transaction((tx) => store.remove(tx, type, ids));
const row = async (type: string, id: string) => store.retrieve(type, id);

/** An active product with a standard price, as the batch job's sample data has. */
async function product(name: string, price: number) {
  const productId = ok((await create('Product2', [{ Name: name, IsActive: true, ProductCode: name.toUpperCase() }]))[0]);
  const entryId = ok(
    (await create('PricebookEntry', [{ Pricebook2Id: STANDARD_PRICEBOOK_ID, Product2Id: productId, UnitPrice: price, IsActive: true }]))[0],
  );
  return { productId, entryId };
}

describe('planner statistics', () => {
  it('takes fresh statistics of a table once a commit has grown it by 500 rows or more', async () => {
    // A store of its own: growth is counted per store since it started.
    const own = await openStore();
    try {
      const tuples = async () => {
        const r = await own.db.query<{ n: number }>(`SELECT reltuples::int AS n FROM pg_class WHERE relname = 'Account'`);
        return r.rows[0]!.n;
      };
      const insert = (n: number, tag: string) =>
        own.store.transaction((tx) => own.store.create(tx, 'Account', Array.from({ length: n }, (_, i) => ({ Name: `${tag} ${i}` }))));
      await insert(450, 'Stats');
      const before = await tuples();
      await insert(150, 'More');
      const count = await own.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Account"`);
      // The planner now knows the table's real size (ANALYZE counts small tables exactly).
      expect(before).not.toBe(count.rows[0]!.n);
      expect(await tuples()).toBe(count.rows[0]!.n);
    } finally {
      await own.close();
    }
  });
});

describe('auto-numbers', () => {
  it('come from a sequence per field, continue from the table earlier versions kept, and restart on reset', async () => {
    const own = await openStore();
    try {
      const newQuote = async () => {
        const [opp] = await own.store.transaction((tx) =>
          own.store.create(tx, 'Opportunity', [{ Name: 'Numbered', StageName: 'Prospecting', CloseDate: '2026-12-31' }]),
        );
        const [quote] = await own.store.transaction((tx) => own.store.create(tx, 'Quote', [{ Name: 'Numbered', OpportunityId: ok(opp) }]));
        return (await own.store.retrieve('Quote', ok(quote)))?.['QuoteNumber'];
      };
      expect(await newQuote()).toBe('00000001');
      // A data directory from before the sequences: its _autonumber row is ahead.
      await own.db.query(`INSERT INTO _autonumber (object, field, last) VALUES ('Quote', 'QuoteNumber', 41)`);
      await initializeDatabase(own.db, own.schema);
      expect(await newQuote()).toBe('00000042');
      // A rolled-back transaction's numbers are not given again (Salesforce leaves such gaps too).
      const rolledBack = await own.store
        .transaction(async (tx) => {
          const [opp] = await own.store.create(tx, 'Opportunity', [{ Name: 'Gone', StageName: 'Prospecting', CloseDate: '2026-12-31' }]);
          const [quote] = await own.store.create(tx, 'Quote', [{ Name: 'Gone', OpportunityId: ok(opp) }]);
          ok(quote);
          throw new Error('roll back');
        })
        .catch((e: Error) => e.message);
      expect(rolledBack).toBe('roll back');
      expect(await newQuote()).toBe('00000044');
      await own.reset();
      expect(await newQuote()).toBe('00000001');
    } finally {
      await own.close();
    }
  });
});

describe('creating records', () => {
  it('gives 18-character ids with the object key prefix and fills audit fields', async () => {
    const id = ok((await create('Account', [{ Name: 'Acme' }]))[0]);
    expect(id).toMatch(/^001[a-zA-Z0-9]{15}$/);
    expect(isValidId(id)).toBe(true);
    expect(to18(id.slice(0, 15))).toBe(id);
    const acct = await row('Account', id);
    expect(acct).toMatchObject({ Name: 'Acme', IsDeleted: false });
    expect(acct?.['CreatedById']).toMatch(/^005/);
    expect(acct?.['OwnerId']).toBe(acct?.['CreatedById']);
    expect(acct?.['CreatedDate']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  });

  it('reports every missing required field in one REQUIRED_FIELD_MISSING error', async () => {
    const [r] = await create('Opportunity', [{ Amount: 10 }]);
    expect(err(r)).toEqual({
      errorCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [Name, StageName, CloseDate]',
      fields: ['Name', 'StageName', 'CloseDate'],
    });
  });

  it('refuses unknown fields, read-only fields, long strings and values of the wrong type', async () => {
    const results = await create('Account', [
      { Name: 'A', Bogus__c: 1 },
      { Name: 'x'.repeat(256) },
      { Name: 'B', NumberOfEmployees: 'many' },
      { Name: 'C', CreatedDate: '2020-01-01T00:00:00Z' },
    ]);
    expect(err(results[0])).toMatchObject({ errorCode: 'INVALID_FIELD', message: "No such column 'Bogus__c' on sobject of type Account" });
    expect(err(results[1])).toMatchObject({ errorCode: 'STRING_TOO_LONG', fields: ['Name'] });
    expect(err(results[1]).message).toMatch(/\(max length=255\)$/);
    expect(err(results[2])).toMatchObject({ errorCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD', fields: ['NumberOfEmployees'] });
    expect(err(results[3])).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['CreatedDate'] });
  });

  it('refuses a value outside a restricted picklist', async () => {
    const [r] = await create('Opportunity', [{ Name: 'O', StageName: 'Daydreaming', CloseDate: '2026-12-31' }]);
    expect(err(r)).toEqual({
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: 'Stage: bad value for restricted picklist field: Daydreaming',
      fields: ['StageName'],
    });
  });

  it('takes a lookup to a record created earlier in the same transaction, not to one deleted since', async () => {
    await store.transaction(async (tx) => {
      const [account] = await store.create(tx, 'Account', [{ Name: 'Same Tx' }]);
      const [gone] = await store.create(tx, 'Account', [{ Name: 'Gone Tx' }]);
      await store.remove(tx, 'Account', [ok(gone)]);
      const [kept, orphan] = await store.create(tx, 'Contact', [
        { LastName: 'Kept', AccountId: ok(account) },
        { LastName: 'Orphan', AccountId: ok(gone) },
      ]);
      expect(ok(kept)).toMatch(/^003/);
      expect(err(orphan)).toMatchObject({ errorCode: 'INVALID_CROSS_REFERENCE_KEY', fields: ['AccountId'] });
    });
  });

  it('refuses a lookup to a missing record, to a record of the wrong type, and a malformed id', async () => {
    const accountId = ok((await create('Account', [{ Name: 'Acme' }]))[0]);
    const missing = `001${'0'.repeat(11)}Z`;
    const results = await create('Contact', [
      { LastName: 'A', AccountId: missing },
      { LastName: 'B', AccountId: STANDARD_PRICEBOOK_ID },
      { LastName: 'C', AccountId: 'not-an-id' },
      { LastName: 'D', AccountId: accountId },
    ]);
    expect(err(results[0])).toMatchObject({ errorCode: 'INVALID_CROSS_REFERENCE_KEY', fields: ['AccountId'] });
    expect(err(results[1])).toMatchObject({ errorCode: 'INVALID_CROSS_REFERENCE_KEY', fields: ['AccountId'] });
    expect(err(results[2])).toMatchObject({ errorCode: 'MALFORMED_ID', fields: ['AccountId'] });
    expect(ok(results[3])).toMatch(/^003/);
  });

  it('applies picklist defaults and derived fields', async () => {
    const leadId = ok((await create('Lead', [{ FirstName: 'Ada', LastName: 'Lovelace', Company: 'AE' }]))[0]);
    expect(await row('Lead', leadId)).toMatchObject({ Name: 'Ada Lovelace', Status: 'Open - Not Contacted', IsConverted: false });
    const oppId = ok((await create('Opportunity', [{ Name: 'Big', StageName: 'Closed Won', CloseDate: '2026-01-31' }]))[0]);
    expect(await row('Opportunity', oppId)).toMatchObject({ IsClosed: true, IsWon: true, Probability: 100, CloseDate: '2026-01-31' });
  });

  it('rounds currency half-up to its scale', async () => {
    const id = ok((await create('Opportunity', [{ Name: 'R', StageName: 'Prospecting', CloseDate: '2026-01-31', Amount: 1.005 }]))[0]);
    expect((await row('Opportunity', id))?.['Amount']).toBe(1.01);
  });
});

describe('quotes and line items', () => {
  async function opportunityWithLines() {
    const { entryId: a } = await product('Model E', 100);
    const { entryId: b } = await product('Charger', 19.99);
    const oppId = ok((await create('Opportunity', [{ Name: 'Fleet', StageName: 'Prospecting', CloseDate: '2026-03-01', Pricebook2Id: STANDARD_PRICEBOOK_ID }]))[0]);
    const lines = await create('OpportunityLineItem', [
      { OpportunityId: oppId, PricebookEntryId: a, Quantity: 2, UnitPrice: 100 },
      { OpportunityId: oppId, PricebookEntryId: b, Quantity: 3 },
    ]);
    lines.forEach(ok);
    return { oppId, a, b };
  }

  it('fills opportunity products from their price book entry and rolls the amount up', async () => {
    const { oppId } = await opportunityWithLines();
    const opp = await row('Opportunity', oppId);
    expect(opp).toMatchObject({ Amount: 259.97, HasOpportunityLineItem: true });
    const r = await fx.db.query<Row>(`SELECT "UnitPrice", "ListPrice", "TotalPrice", "Product2Id" FROM "OpportunityLineItem" ORDER BY "TotalPrice"`);
    expect(r.rows.map((x) => [x['UnitPrice'], x['ListPrice'], x['TotalPrice']])).toEqual([
      [19.99, 19.99, 59.97],
      [100, 100, 200],
    ]);
    expect(r.rows[0]?.['Product2Id']).toMatch(/^01t/);
  });

  it('rolls quote line items up into the quote and checks their price book', async () => {
    const { oppId, a, b } = await opportunityWithLines();
    const quoteId = ok((await create('Quote', [{ Name: 'Q1', OpportunityId: oppId, Pricebook2Id: STANDARD_PRICEBOOK_ID }]))[0]);
    const results = await create('QuoteLineItem', [
      { QuoteId: quoteId, PricebookEntryId: a, Quantity: 2, UnitPrice: 85 },
      { QuoteId: quoteId, PricebookEntryId: b, Quantity: 3, UnitPrice: 16.99 },
    ]);
    results.forEach(ok);
    expect(await row('Quote', quoteId)).toMatchObject({
      Subtotal: 220.97,
      TotalPrice: 220.97,
      GrandTotal: 220.97,
      LineItemCount: 2,
      Status: 'Draft',
    });

    const otherBook = ok((await create('Pricebook2', [{ Name: 'Partner', IsActive: true }]))[0]);
    const noBookQuote = ok((await create('Quote', [{ Name: 'Q2', OpportunityId: oppId, Pricebook2Id: otherBook }]))[0]);
    const [bad] = await create('QuoteLineItem', [{ QuoteId: noBookQuote, PricebookEntryId: a, Quantity: 1, UnitPrice: 1 }]);
    expect(err(bad)).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['PricebookEntryId'] });
  });

  it('deletes an opportunity with its products, quotes and quote lines', async () => {
    const { oppId, a } = await opportunityWithLines();
    const quoteId = ok((await create('Quote', [{ Name: 'Q1', OpportunityId: oppId, Pricebook2Id: STANDARD_PRICEBOOK_ID }]))[0]);
    ok((await create('QuoteLineItem', [{ QuoteId: quoteId, PricebookEntryId: a, Quantity: 1, UnitPrice: 1 }]))[0]);
    ok((await remove('Opportunity', [oppId]))[0]);
    const live = async (t: string) => (await fx.db.query(`SELECT 1 FROM "${t}" WHERE NOT "IsDeleted"`)).rows.length;
    expect([await live('Opportunity'), await live('OpportunityLineItem'), await live('Quote'), await live('QuoteLineItem')]).toEqual([0, 0, 0, 0]);
    expect(err((await remove('Opportunity', [oppId]))[0])).toMatchObject({ errorCode: 'ENTITY_IS_DELETED' });
    expect(err((await update('Opportunity', [{ Id: oppId, Name: 'again' }]))[0])).toMatchObject({ errorCode: 'ENTITY_IS_DELETED' });
  });

  it('permanently removes records and their children with hardDelete', async () => {
    const { oppId } = await opportunityWithLines();
    const results = await store.transaction((tx) => store.hardDelete(tx, 'Opportunity', [oppId]));
    expect(results[0]?.ok).toBe(true);
    const all = async (t: string) => (await fx.db.query(`SELECT 1 FROM "${t}"`)).rows.length;
    expect([await all('Opportunity'), await all('OpportunityLineItem')]).toEqual([0, 0]);
  });
});

describe('updates, upserts and transactions', () => {
  it('updates only the given fields and reports NOT_FOUND for an unknown id', async () => {
    const id = ok((await create('Account', [{ Name: 'Acme', Phone: '1' }]))[0]);
    ok((await update('Account', [{ Id: id, Name: 'Acme 2' }]))[0]);
    expect(await row('Account', id)).toMatchObject({ Name: 'Acme 2', Phone: '1' });
    const ghost = `001${'0'.repeat(11)}Q`;
    expect(err((await update('Account', [{ Id: ghost, Name: 'x' }]))[0])).toMatchObject({ errorCode: 'NOT_FOUND' });
    expect(err((await update('Account', [{ Id: id, Name: null }]))[0])).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING' });
  });

  it('rolls back every write of a transaction that throws', async () => {
    await expect(
      store.transaction(async (tx) => {
        await store.create(tx, 'Account', [{ Name: 'Doomed' }]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await fx.db.query(`SELECT 1 FROM "Account"`)).rows).toHaveLength(0);
  });

  it('upserts by Id and tells created from updated', async () => {
    const id = ok((await create('Account', [{ Name: 'Acme' }]))[0]);
    const [r] = await store.transaction((tx) => store.upsert(tx, 'Account', 'Id', [{ Id: id, Name: 'Acme 3' }]));
    expect(r).toMatchObject({ ok: true, id, created: false });
    const [bad] = await store.transaction((tx) => store.upsert(tx, 'Account', 'Name', [{ Name: 'x' }]));
    expect(err(bad)).toMatchObject({ errorCode: 'NOT_FOUND' });
  });

  it('tells commit listeners about committed changes only', async () => {
    const heard: string[] = [];
    const off = store.onCommit((changes) => heard.push(...changes.map((c) => `${c.changeType} ${c.entityName}`)));
    await create('Account', [{ Name: 'Heard' }]);
    await store.transaction(async (tx) => {
      await store.create(tx, 'Account', [{ Name: 'Unheard' }]);
      throw new Error('rollback');
    }).catch(() => undefined);
    off();
    expect(heard).toEqual(['CREATE Account']);
  });
});
