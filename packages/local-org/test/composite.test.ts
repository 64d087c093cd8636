/**
 * Composite graph, composite and sObject Collections: all-or-none semantics are real database
 * transactions; the failing node carries its real error, the others PROCESSING_HALTED.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../src/index.js';
import { call, startTestOrg } from './utils/org-fixture.js';

let org: LocalOrg;
const v = () => `/services/data/v${org.apiVersion}`;

beforeAll(async () => {
  org = await startTestOrg({ seed: 'demo' });
});
afterAll(() => org.stop());
beforeEach(() => org.reset());

type GraphResponse = {
  graphs: {
    graphId: string;
    isSuccessful: boolean;
    graphResponse: { compositeResponse: { body: unknown; httpStatusCode: number; referenceId: string }[] };
  }[];
};

async function count(soql: string): Promise<number> {
  const r = await call(org, 'GET', `${v()}/query?q=${encodeURIComponent(soql)}`);
  return (r.body as { totalSize: number }).totalSize;
}

async function standardEntry(): Promise<{ pricebookId: string; entryId: string }> {
  const r = await call(org, 'GET', `${v()}/query?q=${encodeURIComponent('SELECT Id, Pricebook2Id FROM PricebookEntry LIMIT 1')}`);
  const rec = (r.body as { records: { Id: string; Pricebook2Id: string }[] }).records[0]!;
  return { pricebookId: rec.Pricebook2Id, entryId: rec.Id };
}

/** One graph: an opportunity, a quote on it and `lines` quote lines. */
function quoteGraph(graphId: string, pricebookId: string, entryId: string, lines: number, badLine = -1) {
  const nodes: unknown[] = [
    {
      method: 'POST',
      url: `${v()}/sobjects/Opportunity`,
      referenceId: 'opp',
      body: { Name: `Opp ${graphId}`, StageName: 'Prospecting', CloseDate: '2026-12-31', Pricebook2Id: pricebookId },
    },
    { method: 'POST', url: `${v()}/sobjects/Quote`, referenceId: 'quote', body: { Name: `Quote ${graphId}`, OpportunityId: '@{opp.id}', Pricebook2Id: pricebookId } },
  ];
  for (let i = 0; i < lines; i++) {
    nodes.push({
      method: 'POST',
      url: `${v()}/sobjects/QuoteLineItem`,
      referenceId: `line${i}`,
      body: { QuoteId: '@{quote.id}', PricebookEntryId: entryId, Quantity: 1, UnitPrice: i === badLine ? 'free' : 10 },
    });
  }
  return { graphId, compositeRequest: nodes };
}

/** Counts the SQL statements the org runs from now on (inside transactions too). */
function countStatements(o: LocalOrg): { count: () => number; stop: () => void } {
  const db = o.runtime.db;
  const { query, transaction } = db;
  let n = 0;
  db.query = ((...args: Parameters<typeof query>) => (n++, query.apply(db, args))) as typeof query;
  db.transaction = ((fn: Parameters<typeof transaction>[0]) =>
    transaction.call(db, (sql) => fn({ ...sql, query: ((...a: Parameters<typeof sql.query>) => (n++, sql.query(...a))) as typeof sql.query }))) as typeof transaction;
  return {
    count: () => n,
    stop: () => {
      db.query = query;
      db.transaction = transaction;
    },
  };
}

describe('composite graph', () => {
  it('writes a payload of creates level by level in a few statements, answering as node by node', async () => {
    const { pricebookId, entryId } = await standardEntry();
    const graphs = Array.from({ length: 40 }, (_x, i) => quoteGraph(`g${i}`, pricebookId, entryId, 2));
    const statements = countStatements(org);
    const r = await call(org, 'POST', `${v()}/composite/graph`, { graphs });
    statements.stop();
    expect(r.status).toBe(200);
    const out = (r.body as GraphResponse).graphs;
    expect(out.map((g) => [g.graphId, g.isSuccessful])).toEqual(graphs.map((g) => [g.graphId, true]));
    for (const g of out) {
      const nodes = g.graphResponse.compositeResponse as { body: { id: string; success: boolean; errors: unknown[] }; httpStatusCode: number; httpHeaders: { Location: string }; referenceId: string }[];
      expect(nodes.map((n) => [n.referenceId, n.httpStatusCode])).toEqual([['opp', 201], ['quote', 201], ['line0', 201], ['line1', 201]]);
      for (const [n, type] of nodes.map((x, k) => [x, ['Opportunity', 'Quote', 'QuoteLineItem', 'QuoteLineItem'][k]!] as const)) {
        expect(n.body).toEqual({ id: expect.stringMatching(/^[a-zA-Z0-9]{18}$/), success: true, errors: [] });
        expect(n.httpHeaders.Location).toBe(`${v()}/sobjects/${type}/${n.body.id}`);
      }
      // References resolved within the graph, roll-ups computed as for single writes.
      const quote = await call(org, 'GET', `${v()}/sobjects/Quote/${nodes[1]!.body.id}?fields=OpportunityId,Subtotal,LineItemCount,Name`);
      expect(quote.body).toMatchObject({ OpportunityId: nodes[0]!.body.id, Subtotal: 20, LineItemCount: 2, Name: `Quote ${g.graphId}` });
      const lines = await call(org, 'GET', `${v()}/query?q=${encodeURIComponent(`SELECT Id FROM QuoteLineItem WHERE QuoteId = '${nodes[1]!.body.id}' ORDER BY Id`)}`);
      expect((lines.body as { records: { Id: string }[] }).records.map((x) => x.Id)).toEqual([nodes[2]!.body.id, nodes[3]!.body.id]);
    }
    // Node by node these 160 nodes cost ~1,080 statements; level by level, one create per object and level.
    expect(statements.count()).toBeLessThan(60);
  });


  it('commits every node of a successful graph and resolves @{ref.id} references', async () => {
    const { pricebookId, entryId } = await standardEntry();
    const r = await call(org, 'POST', `${v()}/composite/graph`, { graphs: [quoteGraph('g1', pricebookId, entryId, 2)] });
    expect(r.status).toBe(200);
    const g = (r.body as GraphResponse).graphs[0]!;
    expect(g.isSuccessful).toBe(true);
    expect(g.graphResponse.compositeResponse.map((n) => [n.referenceId, n.httpStatusCode])).toEqual([
      ['opp', 201],
      ['quote', 201],
      ['line0', 201],
      ['line1', 201],
    ]);
    const quoteId = (g.graphResponse.compositeResponse[1]!.body as { id: string }).id;
    const q = await call(org, 'GET', `${v()}/sobjects/Quote/${quoteId}?fields=LineItemCount,TotalPrice`);
    expect(q.body).toMatchObject({ LineItemCount: 2, TotalPrice: 20 });
  });

  it('rolls a failing graph back, gives the failing node its real error and the others PROCESSING_HALTED', async () => {
    const { pricebookId, entryId } = await standardEntry();
    const before = await count('SELECT COUNT() FROM Opportunity');
    const r = await call(org, 'POST', `${v()}/composite/graph`, {
      graphs: [quoteGraph('bad', pricebookId, entryId, 2, 1), quoteGraph('good', pricebookId, entryId, 1)],
    });
    const [bad, good] = (r.body as GraphResponse).graphs;
    expect(bad!.isSuccessful).toBe(false);
    const nodes = bad!.graphResponse.compositeResponse;
    expect(nodes[3]).toMatchObject({
      referenceId: 'line1',
      httpStatusCode: 400,
      body: [{ errorCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD', fields: ['UnitPrice'] }],
    });
    for (const k of [0, 1, 2]) {
      expect(nodes[k]!.body).toEqual([
        { errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.', fields: [] },
      ]);
    }
    expect(good!.isSuccessful).toBe(true);
    expect(await count('SELECT COUNT() FROM Opportunity')).toBe(before + 1);
    expect(await count("SELECT COUNT() FROM Opportunity WHERE Name = 'Opp bad'")).toBe(0);
  });

  it('refuses more than 500 nodes in a payload and more than 75 graphs', async () => {
    const { pricebookId, entryId } = await standardEntry();
    const big = Array.from({ length: 126 }, (_x, i) => quoteGraph(`g${i}`, pricebookId, entryId, 2)).slice(0, 126);
    const tooMany = await call(org, 'POST', `${v()}/composite/graph`, { graphs: big.slice(0, 76) });
    expect(tooMany.status).toBe(400);
    expect((tooMany.body as { errorCode: string }[])[0]?.errorCode).toBe('LIMIT_EXCEEDED');
    const nodes501 = [quoteGraph('a', pricebookId, entryId, 498), quoteGraph('b', pricebookId, entryId, 1)];
    const tooBig = await call(org, 'POST', `${v()}/composite/graph`, { graphs: nodes501 });
    expect(tooBig.status).toBe(400);
    expect((tooBig.body as { message: string }[])[0]?.message).toMatch(/500/);
    expect(await count("SELECT COUNT() FROM Opportunity WHERE Name LIKE 'Opp %'")).toBe(0);
  });

  it('halts the remaining graphs after 14 failed graphs', async () => {
    const { pricebookId, entryId } = await standardEntry();
    const graphs = Array.from({ length: 16 }, (_x, i) => quoteGraph(`g${i}`, pricebookId, entryId, 1, i < 14 ? 0 : -1));
    const r = await call(org, 'POST', `${v()}/composite/graph`, { graphs });
    const out = (r.body as GraphResponse).graphs;
    expect(out.filter((g) => !g.isSuccessful)).toHaveLength(16);
    expect(out[15]!.graphResponse.compositeResponse.every((n) => (n.body as { errorCode: string }[])[0]?.errorCode === 'PROCESSING_HALTED')).toBe(true);
    expect(await count("SELECT COUNT() FROM Opportunity WHERE Name LIKE 'Opp %'")).toBe(0);
  });
});

describe('composite', () => {
  it('charges per-record latency for the subrequests that write, not for the queries', async () => {
    const latency = () => (org.stats() as { faults: { latencyAddedMs: number } }).faults.latencyAddedMs;
    org.setFaults({ latencyMs: 0, latencyPerRecordMs: 1 });
    try {
      const before = latency();
      const r = await call(org, 'POST', `${v()}/composite`, {
        compositeRequest: [
          { method: 'GET', url: `${v()}/query?q=SELECT+Id+FROM+Account+LIMIT+1`, referenceId: 'q1' },
          { method: 'POST', url: `${v()}/sobjects/Account`, referenceId: 'acct', body: { Name: 'Latency Co' } },
          { method: 'GET', url: `${v()}/query?q=SELECT+Id+FROM+Account+WHERE+Id='@{acct.id}'`, referenceId: 'q2' },
        ],
      });
      const res = (r.body as { compositeResponse: { httpStatusCode: number; body: { totalSize?: number } }[] }).compositeResponse;
      expect(res.map((x) => x.httpStatusCode)).toEqual([200, 201, 200]);
      // The query after the create sees it: reads run outside write transactions, after the commit.
      expect(res[2]!.body.totalSize).toBe(1);
      expect(latency() - before).toBe(1);
    } finally {
      org.setFaults({ latencyMs: 0, latencyPerRecordMs: 0 });
    }
  });

  it('runs subrequests with references and queries; allOrNone rolls back everything', async () => {
    const ok = await call(org, 'POST', `${v()}/composite`, {
      compositeRequest: [
        { method: 'POST', url: `${v()}/sobjects/Account`, referenceId: 'acct', body: { Name: 'Composite Co' } },
        { method: 'POST', url: `${v()}/sobjects/Contact`, referenceId: 'ct', body: { LastName: 'Lee', AccountId: '@{acct.id}' } },
        { method: 'GET', url: `${v()}/query?q=SELECT+Id,Account.Name+FROM+Contact+WHERE+Id='@{ct.id}'`, referenceId: 'q' },
      ],
    });
    const res = (ok.body as { compositeResponse: { httpStatusCode: number; body: unknown }[] }).compositeResponse;
    expect(res.map((x) => x.httpStatusCode)).toEqual([201, 201, 200]);
    expect(res[2]!.body).toMatchObject({ totalSize: 1, records: [{ Account: { Name: 'Composite Co' } }] });

    const rolled = await call(org, 'POST', `${v()}/composite`, {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: `${v()}/sobjects/Account`, referenceId: 'a1', body: { Name: 'Never' } },
        { method: 'POST', url: `${v()}/sobjects/Contact`, referenceId: 'c1', body: { FirstName: 'No last name' } },
      ],
    });
    const r2 = (rolled.body as { compositeResponse: { body: { errorCode: string }[] }[] }).compositeResponse;
    expect(r2.map((x) => x.body[0]?.errorCode)).toEqual(['PROCESSING_HALTED', 'REQUIRED_FIELD_MISSING']);
    expect(await count("SELECT COUNT() FROM Account WHERE Name = 'Never'")).toBe(0);
  });

  it('refuses more than 25 subrequests', async () => {
    const compositeRequest = Array.from({ length: 26 }, (_x, i) => ({
      method: 'POST',
      url: `${v()}/sobjects/Account`,
      referenceId: `a${i}`,
      body: { Name: `A${i}` },
    }));
    const r = await call(org, 'POST', `${v()}/composite`, { compositeRequest });
    expect(r.status).toBe(400);
    expect(await count("SELECT COUNT() FROM Account WHERE Name LIKE 'A%'")).toBe(1); // only the seeded 'Andes…'
  });
});

describe('sObject collections', () => {
  it('keeps the valid records when allOrNone is false', async () => {
    const r = await call(org, 'POST', `${v()}/composite/sobjects`, {
      allOrNone: false,
      records: [
        { attributes: { type: 'Account' }, Name: 'Kept' },
        { attributes: { type: 'Contact' }, FirstName: 'Missing' },
      ],
    });
    expect(r.body).toEqual([
      { id: expect.stringMatching(/^001/), success: true, errors: [] },
      { id: null, success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [LastName]', fields: ['LastName'] }] },
    ]);
    expect(await count("SELECT COUNT() FROM Account WHERE Name = 'Kept'")).toBe(1);
  });

  it('rolls every record back when allOrNone is true', async () => {
    const r = await call(org, 'POST', `${v()}/composite/sobjects`, {
      allOrNone: true,
      records: [
        { attributes: { type: 'Account' }, Name: 'Gone' },
        { attributes: { type: 'Account' } },
      ],
    });
    expect(r.body).toEqual([
      {
        id: null,
        success: false,
        errors: [
          {
            statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
            message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
            fields: [],
          },
        ],
      },
      { id: null, success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] }] },
    ]);
    expect(await count("SELECT COUNT() FROM Account WHERE Name = 'Gone'")).toBe(0);
  });

  it('updates, upserts and deletes in collections and refuses more than 200 records', async () => {
    const created = (await call(org, 'POST', `${v()}/composite/sobjects`, {
      records: [1, 2, 3].map((i) => ({ attributes: { type: 'Account' }, Name: `Col ${i}` })),
    })).body as { id: string }[];
    const ids = created.map((c) => c.id);
    const upd = await call(org, 'PATCH', `${v()}/composite/sobjects`, {
      records: ids.map((id) => ({ attributes: { type: 'Account' }, id, Phone: '42' })),
    });
    expect((upd.body as { success: boolean }[]).every((x) => x.success)).toBe(true);
    const ups = await call(org, 'PATCH', `${v()}/composite/sobjects/Vehicle__c/VIN__c`, {
      records: [{ attributes: { type: 'Vehicle__c' }, VIN__c: 'VINCOLLECTION0001', Name: 'Col car' }],
    });
    expect(ups.body).toEqual([{ id: expect.stringMatching(/^a/), success: true, errors: [], created: true }]);
    const del = await call(org, 'DELETE', `${v()}/composite/sobjects?ids=${ids.join(',')}&allOrNone=true`);
    expect((del.body as { success: boolean }[]).map((x) => x.success)).toEqual([true, true, true]);
    const tooMany = await call(org, 'POST', `${v()}/composite/sobjects`, {
      records: Array.from({ length: 201 }, (_x, i) => ({ attributes: { type: 'Account' }, Name: `N${i}` })),
    });
    expect(tooMany.status).toBe(400);
    expect((tooMany.body as { errorCode: string }[])[0]?.errorCode).toBe('EXCEEDED_ID_LIMIT');
  });
});
