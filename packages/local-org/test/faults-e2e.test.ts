/**
 * Injected faults, latency and the daily API limit as the unmodified jsforce 3 and plain fetch
 * see them over real HTTP: Salesforce's error codes, connection resets that did or did not apply
 * the write, lower bounds of added latency, and REQUEST_LIMIT_EXCEEDED past `apiLimit`.
 */
import type jsforce from 'jsforce';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultInjector } from '../src/faults/index.js';
import type { FaultKind } from '../src/faults/index.js';
import type { LocalOrg } from '../src/index.js';
import { call, connect, startTestOrg } from './utils/org-fixture.js';

interface Stats {
  api: { used: number; max: number; remaining: number; byEndpoint: Record<string, number> };
  faults: { requests: number; faultsInjected: Record<FaultKind, number>; latencyAddedMs: number };
}

/**
 * Node's timers run on libuv's millisecond clock, so a timer of N ms may fire up to 1 ms early by
 * `performance.now()`; lower bounds allow that much.
 */
const TIMER_SLACK_MS = 1;

let org: LocalOrg;
let conn: jsforce.Connection;
const v = () => `/services/data/v${org.apiVersion}`;
const stats = (target: LocalOrg = org) => target.stats() as unknown as Stats;

async function countAccounts(name: string): Promise<number> {
  return (await conn.query(`SELECT COUNT() FROM Account WHERE Name = '${name}'`)).totalSize;
}

async function elapsedMs(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

beforeAll(async () => {
  org = await startTestOrg({ seed: 'demo', faultSeed: 7 });
  conn = connect(org);
});
afterAll(() => org?.stop());
afterEach(() => {
  org.setFaults({ faultRate: 0, latencyMs: 0, latencyPerRecordMs: 0, jitterMs: 0 });
});

describe('answered faults at rate 1', () => {
  it('503 reaches jsforce as SERVER_UNAVAILABLE and fetch as the 503 error array; nothing is written', async () => {
    org.setFaults({ faultRate: 1, faults: ['503'] });
    // POST: jsforce retries only idempotent methods, so the create fails at once.
    await expect(conn.sobject('Account').create({ Name: 'Fault 503' })).rejects.toMatchObject({
      errorCode: 'SERVER_UNAVAILABLE',
      message: 'A server that is necessary for this call is currently unavailable. Other types of requests might still work.',
    });
    const res = await call(org, 'POST', `${v()}/sobjects/Account`, { Name: 'Fault 503' });
    expect(res.status).toBe(503);
    expect(res.body).toEqual([
      {
        message: 'A server that is necessary for this call is currently unavailable. Other types of requests might still work.',
        errorCode: 'SERVER_UNAVAILABLE',
      },
    ]);
    org.setFaults({ faultRate: 0 });
    expect(await countAccounts('Fault 503')).toBe(0);
  });

  it('jsforce retries a GET that got 503 and succeeds on the next try', async () => {
    // A seed whose first draw faults and whose second does not, found with the org's own injector.
    const seed = Array.from({ length: 1000 }, (_x, i) => i).find((s) => {
      const probe = new FaultInjector({ seed: s, faultRate: 0.5, faults: ['503'] });
      return probe.decide() === '503' && probe.decide() === null;
    });
    expect(seed).toBeDefined();
    const before = stats().faults;
    org.setFaults({ faultRate: 0.5, faults: ['503'], seed: seed! });
    const result = await conn.query<{ Name: string }>("SELECT Name FROM Account WHERE Region__c = 'APAC'");
    expect(result.records.map((r) => r.Name)).toEqual(['Sakura EV Distribution']);
    const after = stats().faults;
    expect(after.requests - before.requests).toBe(2);
    expect(after.faultsInjected['503'] - before.faultsInjected['503']).toBe(1);
  });

  it('REQUEST_LIMIT_EXCEEDED reaches jsforce with its code on a query', async () => {
    org.setFaults({ faultRate: 1, faults: ['REQUEST_LIMIT_EXCEEDED'] });
    await expect(conn.query('SELECT Id FROM Account')).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'ConcurrentPerOrgLongTxn Limit exceeded.',
    });
    const res = await call(org, 'GET', `${v()}/query?q=${encodeURIComponent('SELECT Id FROM Account')}`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual([{ message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
  });

  it('UNABLE_TO_LOCK_ROW names the record of an update, which keeps its old value', async () => {
    const { id } = (await conn.sobject('Account').create({ Name: 'Locked Co' })) as { id: string };
    org.setFaults({ faultRate: 1, faults: ['UNABLE_TO_LOCK_ROW'] });
    await expect(conn.sobject('Account').update({ Id: id, Name: 'Unlocked Co' })).rejects.toMatchObject({
      errorCode: 'UNABLE_TO_LOCK_ROW',
      message: `unable to obtain exclusive access to this record or 1 records: ${id}`,
    });
    org.setFaults({ faultRate: 0 });
    const row = (await conn.sobject('Account').retrieve(id)) as unknown as { Name: string };
    expect(row.Name).toBe('Locked Co');
  });
});

describe('connection faults', () => {
  it('reset: jsforce sees a connection error and nothing was written', async () => {
    const total = (await conn.query('SELECT COUNT() FROM Account')).totalSize;
    org.setFaults({ faultRate: 1, faults: ['reset'] });
    await expect(conn.sobject('Account').create({ Name: 'Reset Co' })).rejects.toMatchObject({
      message: 'fetch failed',
      cause: { code: 'UND_ERR_SOCKET' },
    });
    await expect(fetch(`${org.instanceUrl}${v()}/sobjects/Account`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${org.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ Name: 'Reset Co' }),
    })).rejects.toThrow('fetch failed');
    org.setFaults({ faultRate: 0 });
    expect(await countAccounts('Reset Co')).toBe(0);
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(total);
  });

  it('applied-reset: jsforce sees a connection error but the record was written exactly once', async () => {
    const total = (await conn.query('SELECT COUNT() FROM Account')).totalSize;
    org.setFaults({ faultRate: 1, faults: ['applied-reset'] });
    await expect(conn.sobject('Account').create({ Name: 'Applied Co', Region__c: 'EMEA' })).rejects.toMatchObject({
      message: 'fetch failed',
      cause: { code: 'UND_ERR_SOCKET' },
    });
    org.setFaults({ faultRate: 0 });
    const rows = await conn.query<{ Id: string; Region__c: string }>("SELECT Id, Region__c FROM Account WHERE Name = 'Applied Co'");
    expect(rows.totalSize).toBe(1);
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(total + 1);
    expect(rows.records[0]).toMatchObject({ Id: expect.stringMatching(/^001\w{15}$/), Region__c: 'EMEA' });
  });

  it('keeps serving after resets, on the same jsforce connection', async () => {
    org.setFaults({ faultRate: 1, faults: ['reset'] });
    for (let i = 0; i < 3; i++) await expect(conn.sobject('Account').create({ Name: `Again ${i}` })).rejects.toThrow('fetch failed');
    org.setFaults({ faultRate: 0 });
    const created = (await conn.sobject('Account').create({ Name: 'After resets' })) as { success: boolean };
    expect(created.success).toBe(true);
    expect(await countAccounts('After resets')).toBe(1);
  });
});

describe('latency', () => {
  it('adds at least latencyMs to a call', async () => {
    org.setFaults({ latencyMs: 150 });
    const ms = await elapsedMs(async () => conn.query('SELECT Id FROM Account LIMIT 1'));
    expect(ms).toBeGreaterThanOrEqual(150 - TIMER_SLACK_MS);
  });

  it('adds latencyPerRecordMs for each of the 200 records of a collection', async () => {
    org.setFaults({ latencyPerRecordMs: 2 });
    const before = stats().faults.latencyAddedMs;
    const records = Array.from({ length: 200 }, (_x, i) => ({ Name: `Latent ${i}` }));
    let results: { success: boolean }[] = [];
    const ms = await elapsedMs(async () => {
      results = (await conn.sobject('Account').create(records, { allOrNone: true })) as { success: boolean }[];
    });
    expect(results).toHaveLength(200);
    expect(results.every((r) => r.success)).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(200 * 2 - TIMER_SLACK_MS);
    expect(stats().faults.latencyAddedMs - before).toBe(400);
  });
});

describe('daily API limit', () => {
  let limited: LocalOrg;
  beforeAll(async () => {
    limited = await startTestOrg({ apiLimit: 5 });
  });
  afterAll(() => limited?.stop());

  it('refuses the 6th call with 403 REQUEST_LIMIT_EXCEEDED after /limits showed the allocation run down', async () => {
    const c = connect(limited);
    await c.query('SELECT Id FROM User');
    const { id } = (await c.sobject('Account').create({ Name: 'Counted' })) as { id: string };
    await c.sobject('Account').retrieve(id);
    expect((await c.limits()).DailyApiRequests).toEqual({ Max: 5, Remaining: 1 });
    // The limits call is itself an API call, counted before it answers.
    expect((await c.limits()).DailyApiRequests).toEqual({ Max: 5, Remaining: 0 });
    expect(c.limitInfo.apiUsage).toEqual({ used: 5, limit: 5 });

    await expect(c.query('SELECT Id FROM User')).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
    });
    const refused = await call(limited, 'GET', `/services/data/v${limited.apiVersion}/limits`);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    expect(refused.headers.get('sforce-limit-info')).toBe('api-usage=5/5');

    const api = stats(limited).api;
    expect(api).toMatchObject({ used: 5, max: 5, remaining: 0 });
    expect(api.byEndpoint).toEqual({
      'GET /limits': 2,
      'GET /query': 1,
      'GET /sobjects/Account/{id}': 1,
      'POST /sobjects/Account': 1,
    });
  });
});
