/**
 * The unmodified @heroku/applink SDK against the local org, as a Heroku app receiving a request
 * from Salesforce would use it: parseRequest on an x-client-context, then dataApi.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import applink from '@heroku/applink';
import type { LocalOrg } from '../src/index.js';
import { startTestOrg } from './utils/org-fixture.js';

let org: LocalOrg;
const OPPORTUNITIES = 5000;

/** Sample data straight through the record store: 5,000 opportunities with 2 products each. */
async function seedOpportunities() {
  const { store, db } = org.runtime;
  const entries = (await db.query<{ Id: string }>(`SELECT "Id" FROM "PricebookEntry" WHERE "IsActive" ORDER BY "Name"`)).rows;
  await store.transaction(async (tx) => {
    const opps = await store.create(
      tx,
      'Opportunity',
      Array.from({ length: OPPORTUNITIES }, (_x, i) => ({ Name: `Bulk ${i}`, StageName: 'Prospecting', CloseDate: '2026-12-31' })),
    );
    const ids = opps.map((r) => (r.ok ? r.id : ''));
    const lines = await store.create(
      tx,
      'OpportunityLineItem',
      ids.flatMap((id, i) => [
        { OpportunityId: id, PricebookEntryId: entries[i % entries.length]!.Id, Quantity: 1 + (i % 5) },
        { OpportunityId: id, PricebookEntryId: entries[(i + 1) % entries.length]!.Id, Quantity: 2 },
      ]),
    );
    expect(lines.every((r) => r.ok)).toBe(true);
  });
}

function context() {
  const { context } = applink.init().salesforce.parseRequest({ 'x-client-context': org.clientContext() }, {}, undefined);
  if (!context.org) throw new Error('no org in context');
  return context.org;
}

beforeAll(async () => {
  for (const k of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[k];
  org = await startTestOrg({ seed: 'demo' });
  await seedOpportunities();
}, 120_000);
afterAll(() => org.stop());

describe('@heroku/applink dataApi', () => {
  it('reads the org identity from x-client-context', () => {
    const o = context();
    expect(o.id).toBe(org.orgId);
    expect(o.domainUrl).toBe(org.instanceUrl);
    expect(o.user.username).toBe(org.username);
  });

  it('queries 5,000 opportunities with their line items through query and queryMore', async () => {
    const { dataApi } = context();
    let page = await dataApi.query(
      "SELECT Id, Name, CloseDate, (SELECT Id, Quantity, UnitPrice, PricebookEntryId FROM OpportunityLineItems) FROM Opportunity WHERE Name LIKE 'Bulk %'",
    );
    expect(page.totalSize).toBe(OPPORTUNITIES);
    const seen = new Set<string>();
    let lines = 0;
    let pages = 1;
    for (;;) {
      for (const r of page.records) {
        seen.add(String(r.fields['Id'] ?? r.fields['id']));
        lines += r.subQueryResults['OpportunityLineItems']?.records.length ?? r.subQueryResults['opportunitylineitems']?.records.length ?? 0;
      }
      if (page.done) break;
      page = await dataApi.queryMore(page);
      pages++;
    }
    expect(seen.size).toBe(OPPORTUNITIES);
    expect(lines).toBe(OPPORTUNITIES * 2);
    expect(pages).toBeGreaterThan(1);
  });

  it('creates, updates and deletes records', async () => {
    const { dataApi } = context();
    const { id } = await dataApi.create({ type: 'Account', fields: { Name: 'AppLink Co', Region__c: 'APAC' } });
    expect(id).toMatch(/^001/);
    await dataApi.update({ type: 'Account', fields: { id, Name: 'AppLink Co 2' } });
    const q = await dataApi.query(`SELECT Name, Region__c FROM Account WHERE Id = '${id}'`);
    expect(q.records[0]?.fields).toMatchObject({ name: 'AppLink Co 2', region__c: 'APAC' });
    await dataApi.delete('Account', id);
    expect((await dataApi.query(`SELECT Id FROM Account WHERE Id = '${id}'`)).totalSize).toBe(0);
  });

  it('commits a unit of work with a quote and its lines as one graph', async () => {
    const { dataApi } = context();
    const opp = (await dataApi.query("SELECT Id, Pricebook2Id FROM Opportunity WHERE Name = 'Bulk 7'")).records[0]!.fields;
    const entries = (await dataApi.query(`SELECT PricebookEntryId FROM OpportunityLineItem WHERE OpportunityId = '${String(opp['id'])}'`)).records;
    const uow = dataApi.newUnitOfWork();
    const quoteRef = uow.registerCreate({
      type: 'Quote',
      fields: { Name: 'UoW Quote', OpportunityId: opp['id'], Pricebook2Id: opp['pricebook2id'], Status: 'Draft' },
    });
    const lineRefs = entries.map((e) =>
      uow.registerCreate({
        type: 'QuoteLineItem',
        fields: { QuoteId: quoteRef.toApiString(), PricebookEntryId: e.fields['pricebookentryid'], Quantity: 3, UnitPrice: 16.99 },
      }),
    );
    const results = await dataApi.commitUnitOfWork(uow);
    expect(results.size).toBe(3);
    const quoteId = results.get(quoteRef)?.id;
    expect(quoteId).toMatch(/^0Q0/);
    for (const ref of lineRefs) expect(results.get(ref)?.id).toMatch(/^0QL/);
    const quote = await dataApi.query(`SELECT TotalPrice, LineItemCount FROM Quote WHERE Id = '${quoteId}'`);
    expect(quote.records[0]?.fields).toMatchObject({ totalprice: 101.94, lineitemcount: 2 });
  });

  it('rejects a failing unit of work with PROCESSING_HALTED and writes nothing, as Salesforce does', async () => {
    const { dataApi } = context();
    const uow = dataApi.newUnitOfWork();
    uow.registerCreate({ type: 'Account', fields: { Name: 'Half' } });
    uow.registerCreate({ type: 'Contact', fields: { FirstName: 'No last name' } });
    await expect(dataApi.commitUnitOfWork(uow)).rejects.toThrow(/PROCESSING_HALTED|rolled back/);
    expect((await dataApi.query("SELECT Id FROM Account WHERE Name = 'Half'")).totalSize).toBe(0);
  });
});
