// Scope: the whole org on a real PostgreSQL server (the other e2e suites run on PGlite), driven by
// the unmodified jsforce 3 over HTTP: CRUD, query + queryMore with child subqueries, composite
// graph and collection transactions, concurrent graphs on pooled connections, and the org's
// schema being dropped on stop.
import type jsforce from 'jsforce';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../src/index.js';
import { connect, POSTGRES_URL, startTestOrg } from './utils/org-fixture.js';

let org: LocalOrg;
let conn: jsforce.Connection;
let stopped = false;
const v = () => `/services/data/v${org.apiVersion}`;
const HALTED = {
  errorCode: 'PROCESSING_HALTED',
  message: 'The transaction was rolled back since another operation in the same transaction failed.',
  fields: [],
};

interface GraphNode {
  body: unknown;
  httpStatusCode: number;
  referenceId: string;
}
interface GraphResponse {
  graphs: { graphId: string; isSuccessful: boolean; graphResponse: { compositeResponse: GraphNode[] } }[];
}

beforeAll(async () => {
  try {
    org = await startTestOrg({ databaseUrl: POSTGRES_URL, seed: 'demo' });
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${POSTGRES_URL} (start it, e.g. \`service postgresql start\`): ${String(err)}`);
  }
  conn = connect(org);
});
afterAll(async () => {
  if (!stopped) await org?.stop();
});

async function count(soql: string): Promise<number> {
  return (await conn.query(soql)).totalSize;
}

function postGraph(graphs: unknown[]): Promise<GraphResponse> {
  return conn.request<GraphResponse>({
    method: 'POST',
    url: `${v()}/composite/graph`,
    body: JSON.stringify({ graphs }),
    headers: { 'content-type': 'application/json' },
  });
}

/** An opportunity, its quote with two lines, and a car configuration with two options. */
async function orderGraph(graphId: string, badLine = false) {
  const entries = await conn.query<{ Id: string; Pricebook2Id: string; UnitPrice: number }>(
    "SELECT Id, Pricebook2Id, UnitPrice FROM PricebookEntry WHERE Product2.ProductCode IN ('ECAR-LR', 'OPT-PAINT') ORDER BY UnitPrice DESC",
  );
  const [car, paint] = entries.records;
  const pricebookId = car!.Pricebook2Id;
  const nodes = [
    { method: 'POST', url: `${v()}/sobjects/Opportunity`, referenceId: 'opp', body: { Name: `Order ${graphId}`, StageName: 'Prospecting', CloseDate: '2026-12-31', Pricebook2Id: pricebookId } },
    { method: 'POST', url: `${v()}/sobjects/Quote`, referenceId: 'quote', body: { Name: `Quote ${graphId}`, OpportunityId: '@{opp.id}', Pricebook2Id: pricebookId, Status: 'Draft' } },
    { method: 'POST', url: `${v()}/sobjects/QuoteLineItem`, referenceId: 'line0', body: { QuoteId: '@{quote.id}', PricebookEntryId: car!.Id, Quantity: 1, UnitPrice: car!.UnitPrice } },
    { method: 'POST', url: `${v()}/sobjects/QuoteLineItem`, referenceId: 'line1', body: { QuoteId: '@{quote.id}', PricebookEntryId: paint!.Id, Quantity: 2, UnitPrice: badLine ? 'free' : paint!.UnitPrice } },
    { method: 'POST', url: `${v()}/sobjects/Car_Configuration__c`, referenceId: 'config', body: { Range__c: 'Long_Range', Price__c: car!.UnitPrice } },
    { method: 'POST', url: `${v()}/sobjects/Car_Options__c`, referenceId: 'opt0', body: { Name: 'Premium Paint', Car_Configuration__c: '@{config.id}', Option_Code__c: 'OPT-PAINT', Price__c: paint!.UnitPrice } },
    { method: 'POST', url: `${v()}/sobjects/Car_Options__c`, referenceId: 'opt1', body: { Name: 'Nappa Leather', Car_Configuration__c: '@{config.id}', Option_Code__c: 'OPT-NAPPA', Price__c: 2200 } },
  ];
  return { graphId, compositeRequest: nodes, expectedTotal: car!.UnitPrice + 2 * paint!.UnitPrice };
}

describe('CRUD through jsforce', () => {
  it('creates, retrieves, updates, upserts and deletes records on PostgreSQL', async () => {
    const created = (await conn.sobject('Account').create({ Name: 'Postgres Motors', Region__c: 'APAC' })) as { id: string; success: boolean };
    expect(created.success).toBe(true);
    expect(created.id).toMatch(/^001\w{15}$/);
    const row = (await conn.sobject('Account').retrieve(created.id)) as unknown as Record<string, unknown>;
    expect(row).toMatchObject({ Id: created.id, Name: 'Postgres Motors', Region__c: 'APAC', IsDeleted: false });
    await conn.sobject('Account').update({ Id: created.id, Name: 'Postgres Motors AG', Region__c: 'EMEA' });
    const after = await conn.query<{ Name: string; Region__c: string }>(`SELECT Name, Region__c FROM Account WHERE Id = '${created.id}'`);
    expect(after.records.map((r) => [r.Name, r.Region__c])).toEqual([['Postgres Motors AG', 'EMEA']]);

    const upserted = (await conn.sobject('Vehicle__c').upsert({ VIN__c: '5YJ3E1EA7KF123456', Name: 'PG car', Status__c: 'Available' }, 'VIN__c')) as {
      created: boolean;
    };
    expect(upserted.created).toBe(true);
    const again = (await conn.sobject('Vehicle__c').upsert({ VIN__c: '5YJ3E1EA7KF123456', Status__c: 'Sold' }, 'VIN__c')) as { created: boolean };
    expect(again.created).toBe(false);
    expect((await conn.query<{ Status__c: string }>("SELECT Status__c FROM Vehicle__c WHERE VIN__c = '5YJ3E1EA7KF123456'")).records[0]?.Status__c).toBe('Sold');

    await conn.sobject('Account').destroy(created.id);
    expect(await count(`SELECT COUNT() FROM Account WHERE Id = '${created.id}'`)).toBe(0);
    await expect(conn.sobject('Account').retrieve(created.id)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    const bad = conn.sobject('Opportunity').create({ Name: 'No stage' });
    await expect(bad).rejects.toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      data: { message: 'Required fields are missing: [StageName, CloseDate]', fields: ['StageName', 'CloseDate'] },
    });
  });
});

describe('query and queryMore', () => {
  const ROWS = 3000;

  it('pages through 3,000 accounts with their contacts in a child subquery', async () => {
    const accounts = (await conn.sobject('Account').create(
      Array.from({ length: ROWS }, (_x, i) => ({ Name: `Paged ${String(i).padStart(4, '0')}` })),
      { allOrNone: true, allowRecursive: true },
    )) as { id: string; success: boolean }[];
    expect(accounts.filter((r) => r.success)).toHaveLength(ROWS);
    const contacts = (await conn.sobject('Contact').create(
      accounts.map((a, i) => ({ LastName: `Contact ${i}`, AccountId: a.id })),
      { allOrNone: true, allowRecursive: true },
    )) as { success: boolean }[];
    expect(contacts.filter((r) => r.success)).toHaveLength(ROWS);

    let page = await conn.query<{ Id: string; Name: string; Contacts: { totalSize: number; records: { LastName: string }[] } | null }>(
      "SELECT Id, Name, (SELECT LastName FROM Contacts) FROM Account WHERE Name LIKE 'Paged %' ORDER BY Name",
    );
    expect(page.totalSize).toBe(ROWS);
    const names: string[] = [];
    let pages = 1;
    for (;;) {
      for (const r of page.records) {
        names.push(r.Name);
        const index = Number(r.Name.slice('Paged '.length));
        expect(r.Contacts?.records.map((c) => c.LastName)).toEqual([`Contact ${index}`]);
      }
      if (page.done) break;
      // The org answers a path; jsforce makes it absolute against the instance URL.
      expect(page.nextRecordsUrl).toMatch(/\/services\/data\/v[\d.]+\/query\/01g\w{15}-\d+$/);
      expect(page.nextRecordsUrl!.startsWith(`${org.instanceUrl}${v()}/query/`)).toBe(true);
      page = await conn.queryMore(page.nextRecordsUrl!);
      pages++;
    }
    expect(names).toEqual(Array.from({ length: ROWS }, (_x, i) => `Paged ${String(i).padStart(4, '0')}`));
    // Child rows count toward the 2,000-row batch, so 3,000 parents with a child each take 3 pages.
    expect(pages).toBe(3);
  });
});

describe('composite graph', () => {
  it('commits a graph with references and roll-ups', async () => {
    const graph = await orderGraph('pg1');
    const res = await postGraph([{ graphId: graph.graphId, compositeRequest: graph.compositeRequest }]);
    const g = res.graphs[0]!;
    expect(g.isSuccessful).toBe(true);
    expect(g.graphResponse.compositeResponse.map((n) => n.httpStatusCode)).toEqual([201, 201, 201, 201, 201, 201, 201]);
    const quoteId = (g.graphResponse.compositeResponse[1]!.body as { id: string }).id;
    const quote = await conn.query<{ TotalPrice: number; LineItemCount: number; Opportunity: { Name: string } }>(
      `SELECT TotalPrice, LineItemCount, Opportunity.Name FROM Quote WHERE Id = '${quoteId}'`,
    );
    expect(quote.records[0]).toMatchObject({ TotalPrice: graph.expectedTotal, LineItemCount: 2, Opportunity: { Name: 'Order pg1' } });
  });

  it('rolls a failing graph back: the failing node has its real error, the others PROCESSING_HALTED, nothing is written', async () => {
    const before = await count('SELECT COUNT() FROM Opportunity');
    const configsBefore = await count('SELECT COUNT() FROM Car_Configuration__c');
    const graph = await orderGraph('pgbad', true);
    const res = await postGraph([{ graphId: graph.graphId, compositeRequest: graph.compositeRequest }]);
    const g = res.graphs[0]!;
    expect(g.isSuccessful).toBe(false);
    const nodes = g.graphResponse.compositeResponse;
    expect(nodes[3]).toMatchObject({
      referenceId: 'line1',
      httpStatusCode: 400,
      body: [{ errorCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD', fields: ['UnitPrice'] }],
    });
    for (const k of [0, 1, 2, 4, 5, 6]) expect(nodes[k]).toMatchObject({ httpStatusCode: 400, body: [HALTED] });
    expect(await count('SELECT COUNT() FROM Opportunity')).toBe(before);
    expect(await count("SELECT COUNT() FROM Quote WHERE Name = 'Quote pgbad'")).toBe(0);
    expect(await count('SELECT COUNT() FROM Car_Configuration__c')).toBe(configsBefore);
  });

  it('commits 10 graphs sent in parallel, each whole, with distinct ids and auto-numbers', async () => {
    const graphs = await Promise.all(Array.from({ length: 10 }, (_x, i) => orderGraph(`par${i}`)));
    const responses = await Promise.all(graphs.map((g) => postGraph([{ graphId: g.graphId, compositeRequest: g.compositeRequest }])));
    expect(responses.map((r) => r.graphs[0]!.isSuccessful)).toEqual(Array(10).fill(true));
    const ids = responses.flatMap((r) => r.graphs[0]!.graphResponse.compositeResponse.map((n) => (n.body as { id: string }).id));
    expect(new Set(ids).size).toBe(70);

    const quotes = await conn.query<{ Name: string; LineItemCount: number; TotalPrice: number }>(
      "SELECT Name, LineItemCount, TotalPrice FROM Quote WHERE Name LIKE 'Quote par%' ORDER BY Name",
    );
    expect(quotes.records.map((q) => [q.Name, q.LineItemCount, q.TotalPrice])).toEqual(
      graphs.map((g) => [`Quote ${g.graphId}`, 2, g.expectedTotal]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const configIds = responses.map((r) => (r.graphs[0]!.graphResponse.compositeResponse[4]!.body as { id: string }).id);
    const configs = await conn.query<{ Name: string; Car_Options__r: { totalSize: number } | null }>(
      `SELECT Name, (SELECT Id FROM Car_Options__r) FROM Car_Configuration__c WHERE Id IN ('${configIds.join("','")}')`,
    );
    expect(configs.records).toHaveLength(10);
    expect(configs.records.every((c) => c.Car_Options__r?.totalSize === 2)).toBe(true);
    const numbers = configs.records.map((c) => c.Name);
    expect(new Set(numbers).size).toBe(10);
    for (const n of numbers) expect(n).toMatch(/^CC-\d{5}$/);
  });
});

describe('concurrent writes', () => {
  // PostgreSQL runs these transactions on separate pooled connections at the same time; PGlite
  // never does, so only this suite can catch interleaved read-then-write checks.
  it('lets exactly one of 10 parallel creates of one unique VIN through; the others get DUPLICATE_VALUE', async () => {
    const vin = '5YJ3E1EA7KF700001';
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_x, i) =>
        conn.sobject('Vehicle__c').create({ Name: `Race ${i}`, VIN__c: vin }).then(
          (r) => ({ id: (r as { id: string }).id, code: 'OK' }),
          (e: { errorCode: string; message: string }) => ({ id: /id: (\w{18})$/.exec(e.message)?.[1], code: e.errorCode }),
        ),
      ),
    );
    const winners = outcomes.filter((o) => o.code === 'OK');
    expect(winners).toHaveLength(1);
    expect(outcomes.filter((o) => o.code === 'DUPLICATE_VALUE').map((o) => o.id)).toEqual(Array(9).fill(winners[0]!.id));
    expect(await count(`SELECT COUNT() FROM Vehicle__c WHERE VIN__c = '${vin}'`)).toBe(1);
  });

  it('creates one record for 10 parallel upserts of one external id and updates it 9 times', async () => {
    const vin = '5YJ3E1EA7KF700002';
    const results = (await Promise.all(
      Array.from({ length: 10 }, (_x, i) => conn.sobject('Vehicle__c').upsert({ VIN__c: vin, Name: `Upsert ${i}` }, 'VIN__c')),
    )) as unknown as { id: string; created: boolean }[];
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await count(`SELECT COUNT() FROM Vehicle__c WHERE VIN__c = '${vin}'`)).toBe(1);
  });

  it('keeps one quote per unique key when batched graph payloads race on it (shared transactions)', async () => {
    const opp = (await conn.sobject('Opportunity').create({ Name: 'Race keys', StageName: 'Prospecting', CloseDate: '2026-12-31' })) as { id: string };
    const quote = (ref: string, key: string) => ({
      method: 'POST',
      url: `${v()}/sobjects/Quote`,
      referenceId: ref,
      body: { Name: `Race ${key}`, OpportunityId: opp.id, Batch_Key__c: key },
    });
    // 10 payloads at once, each: the contested key, then two keys of its own.
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_x, i) =>
        postGraph([
          { graphId: 'contested', compositeRequest: [quote('q', 'race:contested')] },
          { graphId: 'own1', compositeRequest: [quote('q', `race:${i}:1`)] },
          { graphId: 'own2', compositeRequest: [quote('q', `race:${i}:2`)] },
        ]),
      ),
    );
    const contested = responses.map((r) => r.graphs.find((g) => g.graphId === 'contested')!);
    expect(contested.filter((g) => g.isSuccessful)).toHaveLength(1);
    for (const g of contested.filter((x) => !x.isSuccessful)) {
      expect(g.graphResponse.compositeResponse[0]).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'DUPLICATE_VALUE' }] });
    }
    expect(responses.every((r) => r.graphs.filter((g) => g.graphId !== 'contested').every((g) => g.isSuccessful))).toBe(true);
    expect(await count("SELECT COUNT() FROM Quote WHERE Batch_Key__c = 'race:contested'")).toBe(1);
    expect(await count("SELECT COUNT() FROM Quote WHERE Batch_Key__c LIKE 'race:%'")).toBe(21);
  });

  it('backs unique fields with a unique index: of two shared transactions inserting one key, the second fails', async () => {
    const { store } = org.runtime;
    const opp = (await conn.sobject('Opportunity').create({ Name: 'Index race', StageName: 'Prospecting', CloseDate: '2026-12-31' })) as { id: string };
    const row = { Name: 'Index race', OpportunityId: opp.id, Batch_Key__c: 'index:race' };
    let commitFirst!: () => void;
    const gate = new Promise<void>((resolve) => (commitFirst = resolve));
    let firstInserted!: () => void;
    const inserted = new Promise<void>((resolve) => (firstInserted = resolve));
    // The first holds its transaction open after inserting; the second checks (and sees nothing
    // committed), inserts, and must wait on the index until the first commits, then fail.
    const first = store.transaction(async (tx) => {
      const [r] = await store.create(tx, 'Quote', [row]);
      firstInserted();
      await gate;
      return r;
    }, { shared: true });
    await inserted;
    const second = store.transaction(async (tx) => store.create(tx, 'Quote', [row]), { shared: true }).then(
      () => 'committed',
      (e: { code?: string }) => e.code,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    commitFirst();
    expect((await first)?.ok).toBe(true);
    expect(await second).toBe('23505');
    expect(await count("SELECT COUNT() FROM Quote WHERE Batch_Key__c = 'index:race'")).toBe(1);
  });

  it('commits parallel graphs that take auto-numbers of two objects in opposite orders', async () => {
    const order = (ref: string) => ({ method: 'POST', url: `${v()}/sobjects/Vehicle_Order__c`, referenceId: ref, body: { Status__c: 'Ordered' } });
    const config = (ref: string) => ({ method: 'POST', url: `${v()}/sobjects/Car_Configuration__c`, referenceId: ref, body: {} });
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_x, i) =>
        postGraph([{ graphId: `cross${i}`, compositeRequest: i % 2 === 0 ? [order('o'), config('c')] : [config('c'), order('o')] }]),
      ),
    );
    expect(responses.map((r) => r.graphs[0]!.isSuccessful)).toEqual(Array(10).fill(true));
    const orders = await conn.query<{ Name: string }>('SELECT Name FROM Vehicle_Order__c');
    expect(new Set(orders.records.map((o) => o.Name)).size).toBe(orders.totalSize);
    expect(orders.totalSize).toBe(10);
  });
});

describe('sObject collections', () => {
  it('rolls every record back when allOrNone is true and one record is invalid', async () => {
    const before = await count('SELECT COUNT() FROM Account');
    const results = (await conn.sobject('Account').create(
      [{ Name: 'Kept?' }, { Name: 'Bad region', Region__c: 'MARS' }, { Name: 'Kept too?' }],
      { allOrNone: true },
    )) as unknown as { id: string | null; success: boolean; errors: { statusCode: string; fields: string[] }[] }[];
    expect(results).toEqual([
      { id: null, success: false, errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })] },
      { id: null, success: false, errors: [expect.objectContaining({ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['Region__c'] })] },
      { id: null, success: false, errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })] },
    ]);
    expect(await count('SELECT COUNT() FROM Account')).toBe(before);
  });
});

describe('stop', () => {
  it('drops the org’s own schema from the database', async () => {
    const schema = (await org.runtime.db.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s;
    expect(schema).toMatch(/^local_org_[0-9a-f]{12}$/);
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      const present = await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema]);
      expect(present.rowCount).toBe(1);
      await org.stop();
      stopped = true;
      const gone = await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema]);
      expect(gone.rowCount).toBe(0);
      const tables = await client.query('SELECT 1 FROM information_schema.tables WHERE table_schema = $1', [schema]);
      expect(tables.rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });
});
