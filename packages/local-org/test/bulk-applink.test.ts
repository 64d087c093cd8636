/**
 * The unmodified @heroku/applink SDK's `org.bulkApi` against the local org, as the "Scaling Batch
 * Jobs" sample uses it: a 10,000-opportunity ingest built with `createDataTableBuilder`, its
 * results, a job with failing rows, and a query paged through `getMoreQueryResults`.
 */
import applink from '@heroku/applink';
import type { BulkApi, IngestJobReference, QueryJobReference } from '@heroku/applink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../src/index.js';
import { STANDARD_PRICEBOOK_ID } from '../src/data/seed.js';
import { startTestOrg } from './utils/org-fixture.js';

let org: LocalOrg;
let accountId: string;
const OPPORTUNITIES = 10_000;

function applinkOrg() {
  const { context } = applink.init().salesforce.parseRequest({ 'x-client-context': org.clientContext() }, {}, undefined);
  if (!context.org) throw new Error('no org in context');
  return context.org;
}

function bulkApi(): BulkApi {
  // The SDK's exported Org type omits bulkApi; its OrgImpl (what parseRequest returns) has it.
  return (applinkOrg() as unknown as { bulkApi: BulkApi }).bulkApi;
}

/** Polls `getInfo` until the job has ended. */
async function waitFor(api: BulkApi, ref: IngestJobReference | QueryJobReference) {
  for (;;) {
    const info = await api.getInfo(ref);
    if (info.state === 'JobComplete' || info.state === 'Failed' || info.state === 'Aborted') return info;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function count(sql: string): Promise<number> {
  return (await org.runtime.db.query<{ n: number }>(sql)).rows[0]?.n ?? -1;
}

beforeAll(async () => {
  org = await startTestOrg();
  const { store } = org.runtime;
  const [account] = await store.transaction((tx) => store.create(tx, 'Account', [{ Name: 'Sample Account' }]));
  if (!account?.ok) throw new Error('seed failed');
  accountId = account.id;
}, 120_000);
afterAll(() => org.stop());

describe('@heroku/applink bulkApi', () => {
  let inserted: IngestJobReference;

  it('ingests 10,000 opportunities built with createDataTableBuilder and reports every id', async () => {
    const api = bulkApi();
    const builder = api.createDataTableBuilder(['Name', 'AccountId', 'StageName', 'CloseDate', 'Amount']);
    for (let i = 0; i < OPPORTUNITIES; i++) {
      builder.addRow([`Sample Opportunity ${i}`, accountId, 'Prospecting', api.formatDate(new Date(Date.UTC(2026, 11, 31))), String(100 + (i % 900))]);
    }
    const results = await api.ingest({ object: 'Opportunity', operation: 'insert', dataTable: builder.build() });
    expect(results).toHaveLength(1);
    expect(results[0]).toEqual({ id: expect.stringMatching(/^750\w{15}$/), type: 'ingestJob' });
    inserted = results[0] as IngestJobReference;

    const info = await waitFor(api, inserted);
    expect(info).toMatchObject({
      state: 'JobComplete',
      jobType: 'V2Ingest',
      object: 'Opportunity',
      operation: 'insert',
      numberRecordsProcessed: OPPORTUNITIES,
      numberRecordsFailed: 0,
      apiVersion: Number.parseInt(org.apiVersion, 10),
    });

    const success = await api.getSuccessfulResults(inserted);
    expect(success.columns).toEqual(['sf__Id', 'sf__Created', 'Name', 'AccountId', 'StageName', 'CloseDate', 'Amount']);
    expect(success).toHaveLength(OPPORTUNITIES);
    expect(success.every((row) => /^006\w{15}$/.test(row.get('sf__Id') ?? '') && row.get('sf__Created') === 'true')).toBe(true);
    expect(new Set(success.map((row) => row.get('sf__Id'))).size).toBe(OPPORTUNITIES);
    expect(Object.fromEntries(success[0]!)).toMatchObject({ Name: 'Sample Opportunity 0', AccountId: accountId, CloseDate: '2026-12-31', Amount: '100' });

    const failed = await api.getFailedResults(inserted);
    expect(failed.columns).toEqual(['sf__Id', 'sf__Error', 'Name', 'AccountId', 'StageName', 'CloseDate', 'Amount']);
    expect(failed).toHaveLength(0);
    const unprocessed = await api.getUnprocessedRecords(inserted);
    expect(unprocessed.columns).toEqual(['Name', 'AccountId', 'StageName', 'CloseDate', 'Amount']);
    expect(unprocessed).toHaveLength(0);

    expect(await count(`SELECT count(*)::int AS n FROM "Opportunity" WHERE "Name" LIKE 'Sample Opportunity %' AND NOT "IsDeleted"`)).toBe(OPPORTUNITIES);
  }, 120_000);

  it('reports failing rows with Salesforce’s sf__Error text and writes the valid ones', async () => {
    const api = bulkApi();
    const table = api
      .createDataTableBuilder(['Name', 'StageName', 'CloseDate', 'Description'])
      .addRow(['Valid one', 'Prospecting', '2026-01-31', api.formatNullValue()])
      .addRow(['No stage', '', '2026-01-31', 'x'])
      .addRow(['Bad stage', 'Nope', '2026-01-31', 'y'])
      .addRow(['Bad date', 'Prospecting', '31/01/2026', 'z'])
      .build();
    const [ref] = await api.ingest({ object: 'Opportunity', operation: 'insert', dataTable: table });
    const info = await waitFor(api, ref as IngestJobReference);
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 4, numberRecordsFailed: 3 });
    const failed = await api.getFailedResults(ref as IngestJobReference);
    expect(failed.map((row) => [row.get('Name'), row.get('sf__Error'), row.get('sf__Id')])).toEqual([
      ['No stage', 'REQUIRED_FIELD_MISSING:Required fields are missing: [StageName]:StageName --', ''],
      ['Bad stage', 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:Stage: bad value for restricted picklist field: Nope:StageName --', ''],
      ['Bad date', 'INVALID_TYPE_ON_FIELD_IN_RECORD:Close Date: value not of required type: 31/01/2026:CloseDate --', ''],
    ]);
    const success = await api.getSuccessfulResults(ref as IngestJobReference);
    expect(success.map((row) => [row.get('Name'), row.get('Description')])).toEqual([['Valid one', '#N/A']]);
    const stored = await org.runtime.db.query(`SELECT "Description" FROM "Opportunity" WHERE "Name" = 'Valid one'`);
    expect(stored.rows).toEqual([{ Description: null }]);
  });

  it('queries the 10,000 opportunities page by page with getQueryResults and getMoreQueryResults', async () => {
    const api = bulkApi();
    const ref = await api.query({ soql: "SELECT Id, Name, Amount, Account.Name FROM Opportunity WHERE Name LIKE 'Sample Opportunity %'" });
    expect(ref).toEqual({ id: expect.stringMatching(/^750\w{15}$/), type: 'queryJob' });
    expect(await waitFor(api, ref)).toMatchObject({ state: 'JobComplete', jobType: 'V2Query', numberRecordsProcessed: OPPORTUNITIES });

    let page = await api.getQueryResults(ref, { maxRecords: 2000 });
    const sizes = [page.numberOfRecords];
    const ids = new Set(page.dataTable.map((row) => row.get('Id')));
    expect(page.dataTable.columns).toEqual(['Id', 'Name', 'Amount', 'Account.Name']);
    expect(Object.fromEntries(page.dataTable[0]!)).toMatchObject({ 'Account.Name': 'Sample Account' });
    while (!page.done) {
      page = await api.getMoreQueryResults(page, { maxRecords: 2000 });
      sizes.push(page.numberOfRecords);
      for (const row of page.dataTable) ids.add(row.get('Id'));
    }
    expect(sizes).toEqual([2000, 2000, 2000, 2000, 2000]);
    expect(page.locator).toBeUndefined();
    expect(ids.size).toBe(OPPORTUNITIES);
  }, 120_000);

  it('aborts and deletes jobs, and surfaces Salesforce’s error for a job that already ended', async () => {
    const api = bulkApi();
    await expect(api.abort(inserted)).rejects.toMatchObject({
      errorCode: 'INVALIDJOBSTATE',
      message: 'Aborting already Completed Job not allowed',
    });
    await api.delete(inserted);
    await expect(api.getInfo(inserted)).rejects.toMatchObject({ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' });
  });

  it('hard-deletes the sample opportunities as the sample’s data delete does', async () => {
    const api = bulkApi();
    const ids = (await org.runtime.db.query<{ Id: string }>(`SELECT "Id" FROM "Opportunity" WHERE "Name" LIKE 'Sample Opp%'`)).rows;
    const table = api.createDataTableBuilder(['Id']).addRows(ids.map((r) => [r.Id])).build();
    const [ref] = await api.ingest({ object: 'Opportunity', operation: 'hardDelete', dataTable: table });
    expect(await waitFor(api, ref as IngestJobReference)).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: OPPORTUNITIES, numberRecordsFailed: 0 });
    expect(await count(`SELECT count(*)::int AS n FROM "Opportunity" WHERE "Name" LIKE 'Sample Opp%'`)).toBe(0);
  }, 120_000);
});

describe('the org job sample’s calls (its data generator, then its quote job)', () => {
  it('inserts opportunities, then their line items with Product2Id beside PricebookEntryId, then quotes them', async () => {
    const { store, db } = org.runtime;
    const products = await store.transaction((tx) =>
      store.create(tx, 'Product2', [{ Name: 'Sample Car', ProductCode: 'S-CAR', IsActive: true }, { Name: 'Sample Charger', ProductCode: 'S-CHG', IsActive: true }]),
    );
    const productIds = products.map((r) => (r.ok ? r.id : ''));
    const entries = await store.transaction((tx) =>
      store.create(tx, 'PricebookEntry', productIds.map((Product2Id, i) => ({ Pricebook2Id: STANDARD_PRICEBOOK_ID, Product2Id, UnitPrice: 100 * (i + 1), IsActive: true }))),
    );
    const entryIds = entries.map((r) => (r.ok ? r.id : ''));

    const api = bulkApi();
    const opportunities = api.createDataTableBuilder(['Name', 'AccountId', 'StageName', 'CloseDate', 'Pricebook2Id']);
    for (let i = 0; i < 10; i++) opportunities.addRow([`Org Job Opp ${i}`, accountId, 'Prospecting', '2026-12-31', STANDARD_PRICEBOOK_ID]);
    const [oppJob] = await api.ingest({ object: 'Opportunity', operation: 'insert', dataTable: opportunities.build() });
    expect(await waitFor(api, oppJob as IngestJobReference)).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 10, numberRecordsFailed: 0 });
    const oppIds = (await api.getSuccessfulResults(oppJob as IngestJobReference)).map((row) => row.get('sf__Id') ?? '');

    const lines = api.createDataTableBuilder(['OpportunityId', 'PricebookEntryId', 'Product2Id', 'Quantity', 'UnitPrice']);
    for (const oppId of oppIds) {
      lines.addRow([oppId, entryIds[0]!, productIds[0]!, '1', '95']);
      lines.addRow([oppId, entryIds[1]!, productIds[1]!, '2', '180']);
    }
    // One row whose product is not its price book entry's: refused as a real org refuses it.
    lines.addRow([oppIds[0]!, entryIds[0]!, productIds[1]!, '1', '1']);
    const [lineJob] = await api.ingest({ object: 'OpportunityLineItem', operation: 'insert', dataTable: lines.build() });
    expect(await waitFor(api, lineJob as IngestJobReference)).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 21, numberRecordsFailed: 1 });
    const written = await api.getSuccessfulResults(lineJob as IngestJobReference);
    expect(written).toHaveLength(20);
    expect(written.every((row) => /^00k\w{15}$/.test(row.get('sf__Id') ?? ''))).toBe(true);
    const failed = await api.getFailedResults(lineJob as IngestJobReference);
    expect(failed.map((row) => row.get('sf__Error'))).toEqual([
      'FIELD_INTEGRITY_EXCEPTION:field integrity exception: Product2Id (product does not match the product of the pricebook entry):Product2Id --',
    ]);

    // The quote job: opportunities with their line items, then one unit of work of quotes and lines.
    const { dataApi } = applinkOrg();
    const ids = oppIds.map((id) => `'${id}'`).join(',');
    const page = await dataApi.query(
      `SELECT Id, Name, Pricebook2Id, (SELECT Id, Product2Id, PricebookEntryId, Quantity, UnitPrice FROM OpportunityLineItems) FROM Opportunity WHERE Id IN (${ids})`,
    );
    expect(page.totalSize).toBe(10);
    const uow = dataApi.newUnitOfWork();
    const refs = page.records.map((opp) => {
      const quote = uow.registerCreate({
        type: 'Quote',
        fields: { Name: `Quote for ${String(opp.fields['name'])}`, OpportunityId: opp.fields['id'], Pricebook2Id: opp.fields['pricebook2id'] },
      });
      const oppLines = opp.subQueryResults['opportunitylineitems']?.records ?? opp.subQueryResults['OpportunityLineItems']?.records ?? [];
      expect(oppLines).toHaveLength(2);
      for (const line of oppLines) {
        uow.registerCreate({
          type: 'QuoteLineItem',
          fields: {
            QuoteId: quote.toApiString(),
            PricebookEntryId: line.fields['pricebookentryid'],
            Product2Id: line.fields['product2id'],
            Quantity: line.fields['quantity'],
            UnitPrice: Number(line.fields['unitprice']) * 0.9,
          },
        });
      }
      return quote;
    });
    const results = await dataApi.commitUnitOfWork(uow);
    expect(results.size).toBe(30);
    for (const ref of refs) expect(results.get(ref)?.id).toMatch(/^0Q0/);
    const totals = await db.query<{ n: number; total: number }>(
      `SELECT count(*)::int AS n, sum("TotalPrice")::float8 AS total FROM "Quote" WHERE "OpportunityId" = ANY($1)`,
      [oppIds],
    );
    // Per quote: 1 × 95 × 0.9 + 2 × 180 × 0.9 = 409.50.
    expect(totals.rows[0]).toEqual({ n: 10, total: 4095 });
  }, 120_000);
});
