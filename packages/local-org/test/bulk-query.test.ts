/**
 * Bulk API 2.0 query jobs over raw HTTP: validation at creation, asynchronous runs, CSV results
 * (parent paths, nulls, booleans, dates) paged by locators, queryAll, abort, delete, limits.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../src/index.js';
import { startBulkApp, type BulkApp } from './utils/bulk-app.js';
import { createJob, http, jobsPath, waitForJob } from './utils/bulk-fixture.js';
import { call, startTestOrg } from './utils/org-fixture.js';

let org: LocalOrg;
let side: BulkApp;

beforeAll(async () => {
  org = await startTestOrg();
  side = await startBulkApp(org);
}, 120_000);
afterAll(async () => {
  await side.close();
  await org.stop();
});
beforeEach(() => org.reset());

/** Accounts `Account 00`…, each with one opportunity; returns their ids by name. */
async function seed(count: number): Promise<Map<string, string>> {
  const { store } = org.runtime;
  const ids = new Map<string, string>();
  await store.transaction(async (tx) => {
    const accounts = await store.create(
      tx,
      'Account',
      Array.from({ length: count }, (_x, i) => ({ Name: `Account ${String(i).padStart(2, '0')}`, NumberOfEmployees: i })),
    );
    accounts.forEach((r, i) => r.ok && ids.set(`Account ${String(i).padStart(2, '0')}`, r.id));
    const opps = await store.create(
      tx,
      'Opportunity',
      Array.from({ length: count }, (_x, i) => ({
        Name: `Deal ${String(i).padStart(2, '0')}`,
        StageName: 'Prospecting',
        CloseDate: '2026-12-31',
        Amount: i % 2 === 0 ? 1000.5 + i : null,
        IsPrivate: i === 1,
        AccountId: i === 2 ? null : ids.get(`Account ${String(i).padStart(2, '0')}`),
      })),
    );
    opps.forEach((r, i) => r.ok && ids.set(`Deal ${String(i).padStart(2, '0')}`, r.id));
  });
  return ids;
}

async function results(id: string, params = ''): Promise<{ status: number; csv: string; locator: string | null; count: string | null }> {
  const res = await http(org, 'GET', jobsPath(org, 'query', `/${id}/results${params}`));
  return { status: res.status, csv: res.text, locator: res.headers.get('sforce-locator'), count: res.headers.get('sforce-numberofrecords') };
}

async function runQuery(query: string, extra: Record<string, unknown> = {}) {
  const job = await createJob(org, 'query', { operation: 'query', query, ...extra });
  return waitForJob(org, 'query', job.id);
}

describe('creating a query job', () => {
  it('answers the job with state UploadComplete and the object of the query', async () => {
    const job = await createJob(org, 'query', { operation: 'query', query: 'SELECT Id FROM account' });
    expect(job).toEqual({
      id: expect.stringMatching(/^750\w{15}$/),
      operation: 'query',
      object: 'Account',
      createdById: org.userId,
      createdDate: expect.stringMatching(/\.000\+0000$/),
      systemModstamp: expect.stringMatching(/\.000\+0000$/),
      state: 'UploadComplete',
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: Number(org.apiVersion),
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
    });
    const done = await waitForJob(org, 'query', job.id);
    expect(done).toMatchObject({ state: 'JobComplete', jobType: 'V2Query', numberRecordsProcessed: 0, retries: 0 });
  });

  it('refuses malformed SOQL and unknown names with the SOQL engine’s errors', async () => {
    const post = (query: string) => call(org, 'POST', jobsPath(org, 'query'), { operation: 'query', query });
    const malformed = await post('SELECT Id FORM Account');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject([{ errorCode: 'MALFORMED_QUERY' }]);
    const field = await post('SELECT Id, Nonsense__c FROM Account');
    expect(field.status).toBe(400);
    expect(field.body).toMatchObject([{ errorCode: 'INVALID_FIELD' }]);
    expect((field.body as { message: string }[])[0]!.message).toContain("No such column 'Nonsense__c' on entity 'Account'");
    const type = await post('SELECT Id FROM Spaceship__c');
    expect(type.body).toMatchObject([{ errorCode: 'INVALID_TYPE' }]);
    const op = await call(org, 'POST', jobsPath(org, 'query'), { operation: 'select', query: 'SELECT Id FROM Account' });
    expect(op.body).toEqual([{ errorCode: 'API_ERROR', message: "Invalid value: 'select' supplied for property: 'operation'", fields: [] }]);
  });

  it('refuses child subqueries, aggregates, GROUP BY and OFFSET, which Bulk API 2.0 does not run', async () => {
    const cases: [string, string][] = [
      ['SELECT Id, (SELECT Id FROM Opportunities) FROM Account', 'Aggregate Relationships not supported in Bulk V2 Query with CSV content type'],
      ['SELECT COUNT() FROM Account', 'FeatureNotEnabled : Aggregate functions such as COUNT() are not supported by Bulk API 2.0 query'],
      ['SELECT Name, MAX(NumberOfEmployees) FROM Account GROUP BY Name', 'FeatureNotEnabled : GROUP BY is not supported by Bulk API 2.0 query'],
      ['SELECT Id FROM Account LIMIT 5 OFFSET 2', 'FeatureNotEnabled : OFFSET is not supported by Bulk API 2.0 query'],
    ];
    for (const [query, message] of cases) {
      const res = await call(org, 'POST', jobsPath(org, 'query'), { operation: 'query', query });
      expect(res.status, query).toBe(400);
      expect(res.body).toEqual([{ errorCode: 'API_ERROR', message, fields: [] }]);
    }
  });
});

describe('results', () => {
  it('answers CSV with parent path columns, empty nulls, booleans, numbers and dates', async () => {
    const ids = await seed(3);
    const info = await runQuery('SELECT Id, Name, Amount, IsPrivate, CloseDate, Account.Name, CreatedDate FROM Opportunity ORDER BY Name');
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 3 });
    const page = await results(info.id);
    expect(page).toMatchObject({ status: 200, locator: 'null', count: '3' });
    const lines = page.csv.split('\n');
    expect(lines[0]).toBe('"Id","Name","Amount","IsPrivate","CloseDate","Account.Name","CreatedDate"');
    const created = /"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"$/.exec(lines[1] ?? '')?.[1];
    expect(created).toBeDefined();
    expect(lines.slice(1)).toEqual([
      `"${ids.get('Deal 00')}","Deal 00","1000.5","false","2026-12-31","Account 00","${created}"`,
      `"${ids.get('Deal 01')}","Deal 01","","true","2026-12-31","Account 01","${created}"`,
      `"${ids.get('Deal 02')}","Deal 02","1002.5","false","2026-12-31","","${created}"`,
      '',
    ]);
  });

  it('pages with maxRecords, following Sforce-Locator until it is the string null', async () => {
    await seed(25);
    const info = await runQuery('SELECT Id, Name FROM Account ORDER BY Name');
    const pages: { locator: string | null; count: string | null; rows: string[] }[] = [];
    let locator = '';
    do {
      const page = await results(info.id, `?maxRecords=10${locator ? `&locator=${locator}` : ''}`);
      expect(page.status).toBe(200);
      const lines = page.csv.split('\n');
      expect(lines[0]).toBe('"Id","Name"');
      pages.push({ locator: page.locator, count: page.count, rows: lines.slice(1, -1) });
      locator = page.locator ?? 'null';
    } while (locator !== 'null');
    expect(pages.map((p) => [p.locator, p.count])).toEqual([
      ['MTA', '10'],
      ['MjA', '10'],
      ['null', '5'],
    ]);
    const names = pages.flatMap((p) => p.rows.map((r) => r.split(',')[1]));
    expect(names).toEqual(Array.from({ length: 25 }, (_x, i) => `"Account ${String(i).padStart(2, '0')}"`));
    const again = await results(info.id, '?maxRecords=10&locator=MjA');
    expect(again.count).toBe('5');
  });

  it('includes deleted rows with queryAll only', async () => {
    const ids = await seed(2);
    await org.runtime.store.transaction((tx) => org.runtime.store.remove(tx, 'Account', [ids.get('Account 00')!]));
    const live = await runQuery('SELECT Name, IsDeleted FROM Account ORDER BY Name');
    expect((await results(live.id)).csv).toBe('"Name","IsDeleted"\n"Account 01","false"\n');
    const all = await runQuery('SELECT Name, IsDeleted FROM Account ORDER BY Name', { operation: 'queryAll' });
    expect(all.operation).toBe('queryAll');
    expect((await results(all.id)).csv).toBe('"Name","IsDeleted"\n"Account 00","true"\n"Account 01","false"\n');
  });

  it('writes results with the job’s CARET delimiter and CRLF line ending', async () => {
    await seed(2);
    const info = await runQuery('SELECT Name, NumberOfEmployees FROM Account ORDER BY Name', { columnDelimiter: 'CARET', lineEnding: 'CRLF' });
    expect((await results(info.id)).csv).toBe('"Name"^"NumberOfEmployees"\r\n"Account 00"^"0"\r\n"Account 01"^"1"\r\n');
  });

  it('refuses a bad locator or maxRecords and results asked with another API version', async () => {
    await seed(1);
    const info = await runQuery('SELECT Id FROM Account');
    const bad = await results(info.id, '?locator=bm9wZQ');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.csv)).toEqual([{ errorCode: 'INVALIDLOCATOR', message: 'Invalid locator: bm9wZQ', fields: [] }]);
    expect((await results(info.id, '?maxRecords=0')).status).toBe(400);
    const other = await http(org, 'GET', `/services/data/v60.0/jobs/query/${info.id}/results`);
    expect(other.status).toBe(409);
  });

  it('refuses results of a job that did not complete', async () => {
    const job = side.app.bulk.query.create({ operation: 'query', query: 'SELECT Id FROM Account' }, org.apiVersion);
    // Aborted before its background run could start.
    side.app.bulk.query.changeState(job, 'Aborted');
    const res = await fetch(side.jobs('query', `/${job.id}/results`));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([
      { errorCode: 'INVALIDJOBSTATE', message: 'Query job results are only available when the job state is JobComplete, not Aborted', fields: [] },
    ]);
    const info = (await (await fetch(side.jobs('query', `/${job.id}`))).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ state: 'Aborted', numberRecordsProcessed: 0 });
  });
});

describe('job management', () => {
  it('refuses to abort a completed job, deletes it, and then answers NOT_FOUND', async () => {
    const info = await runQuery('SELECT Id FROM Account');
    const abort = await call(org, 'PATCH', jobsPath(org, 'query', `/${info.id}`), { state: 'Aborted' });
    expect(abort.status).toBe(400);
    expect(abort.body).toEqual([{ errorCode: 'INVALIDJOBSTATE', message: 'Aborting already Completed Job not allowed', fields: [] }]);
    expect((await http(org, 'DELETE', jobsPath(org, 'query', `/${info.id}`))).status).toBe(204);
    const gone = await call(org, 'GET', jobsPath(org, 'query', `/${info.id}`));
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] }]);
  });

  it('lists query jobs and counts them in DailyBulkV2QueryJobs', async () => {
    const a = await runQuery('SELECT Id FROM Account');
    const b = await runQuery('SELECT Id FROM Opportunity', { operation: 'queryAll' });
    const list = await call(org, 'GET', jobsPath(org, 'query'));
    expect(list.body).toEqual({
      done: true,
      nextRecordsUrl: null,
      records: [
        expect.objectContaining({ id: a.id, object: 'Account', operation: 'query', state: 'JobComplete', jobType: 'V2Query' }),
        expect.objectContaining({ id: b.id, object: 'Opportunity', operation: 'queryAll', state: 'JobComplete', jobType: 'V2Query' }),
      ],
    });
    const limits = (await call(org, 'GET', `/services/data/v${org.apiVersion}/limits`)).body as Record<string, unknown>;
    expect(limits['DailyBulkV2QueryJobs']).toEqual({ Max: 10_000, Remaining: 9_998 });
  });
});
