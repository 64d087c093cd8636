/**
 * Reads against a local org with injected faults: iteration over 25,000 rows (queryMore across
 * pages), queryAll, and values of any content round-tripping through the builder's escaping.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '@ecars/local-org';
import type { SalesforceClient } from '../src/index.js';
import { clientOf, startTestOrg } from './utils/org.js';

const ROWS = 25_000;
let org: LocalOrg;
let client: SalesforceClient;

beforeAll(async () => {
  org = await startTestOrg();
  const { store } = org.runtime;
  const rows = Array.from({ length: ROWS }, (_, i) => ({ Name: `Bulk Account ${String(i).padStart(5, '0')}`, AccountNumber: String(i) }));
  const results = await store.transaction((tx) => store.create(tx, 'Account', rows));
  expect(results.every((r) => r.ok)).toBe(true);
  client = await clientOf(org);
}, 180_000);
afterAll(async () => {
  await org?.stop();
});

describe('query', () => {
  it('iterates over all 25,000 rows across pages while 10% of calls fault', async () => {
    org.setFaults({ faultRate: 0.1, faults: ['503', 'REQUEST_LIMIT_EXCEEDED', 'UNABLE_TO_LOCK_ROW', 'reset'], seed: 11 });
    try {
      const result = client.query<{ Id: string; Name: string }>("SELECT Id, Name FROM Account WHERE Name LIKE 'Bulk Account %' ORDER BY Name");
      let count = 0;
      let previous = '';
      const ids = new Set<string>();
      for await (const account of result) {
        expect(account.Name > previous).toBe(true);
        previous = account.Name;
        ids.add(account.Id);
        count += 1;
      }
      expect(count).toBe(ROWS);
      expect(ids.size).toBe(ROWS);
      expect(result.totalSize).toBe(ROWS);
      expect(result.pagesFetched).toBe(13);
      expect(client.stats.retries).toBeGreaterThan(0);
      expect(previous).toBe('Bulk Account 24999');
    } finally {
      org.setFaults({ faultRate: 0 });
    }
  }, 180_000);

  it('honours batchSize and stops fetching when the loop breaks', async () => {
    const result = client.query<{ Id: string }>("SELECT Id FROM Account WHERE Name LIKE 'Bulk Account %'", { batchSize: 500 });
    const pages: number[] = [];
    for await (const page of result.pages()) {
      pages.push(page.records.length);
      if (pages.length === 3) break;
    }
    expect(pages).toEqual([500, 500, 500]);
    expect(result.pagesFetched).toBe(3);
  });

  it('sees deleted rows with queryAll only', async () => {
    const [created] = await client.create('Account', [{ Name: 'Soon Deleted Account' }]);
    await client.delete([created!.id!]);
    const soql = "SELECT Id, IsDeleted FROM Account WHERE Name = 'Soon Deleted Account'";
    expect(await client.query(soql).toArray()).toEqual([]);
    expect(await client.queryAll(soql).toArray()).toEqual([
      { attributes: { type: 'Account', url: expect.stringContaining(created!.id!) }, Id: created!.id, IsDeleted: true },
    ]);
  });

  it('finds a record by any name through the builder escaping', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).filter((s) => s.trim() !== '' && !s.includes('\u0000')), async (name) => {
        const [created] = await client.create('Account', [{ Name: name }]);
        expect(created?.success).toBe(true);
        const q = client.soql('Account').select('Id', 'Name').where('Name', '=', name).where('Id', '=', created!.id);
        const rows = await client.query<{ Id: string; Name: string }>(q).toArray();
        expect(rows.map((r) => [r.Id, r.Name])).toEqual([[created!.id, name]]);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('reports MALFORMED_QUERY without retrying it', async () => {
    const before = client.stats.requests;
    await expect(client.query('SELECT FROM Account').toArray()).rejects.toMatchObject({ name: 'SalesforceApiError', errorCode: 'MALFORMED_QUERY', status: 400 });
    expect(client.stats.requests - before).toBe(1);
  });
});

describe('queryMany', () => {
  it('runs up to five queries per API call and follows each to its last page, in order', async () => {
    const before = client.stats.requests;
    const range = (from: number, to: number) =>
      `SELECT Id, AccountNumber FROM Account WHERE Name >= 'Bulk Account ${String(from).padStart(5, '0')}' AND Name <= 'Bulk Account ${String(to).padStart(5, '0')}' ORDER BY Name`;
    // Six queries: one composite call of five, one of one; the third has 2,500 rows (two pages).
    const soqls = [range(0, 9), range(10, 19), range(100, 2599), range(3000, 3000), range(4000, 4004), range(5000, 5001)];
    const results = await client.queryMany<{ AccountNumber: string }>(soqls);
    expect(results.map((r) => r.length)).toEqual([10, 10, 2500, 1, 5, 2]);
    expect(results[2]!.map((r) => Number(r.AccountNumber))).toEqual(Array.from({ length: 2500 }, (_, i) => 100 + i));
    // 2 composite calls + 1 queryMore page.
    expect(client.stats.requests - before).toBe(3);
  });

  it("rejects with the failing query's own Salesforce error", async () => {
    const error = await client.queryMany(['SELECT Id FROM Account LIMIT 1', 'SELECT Nope__c FROM Account']).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SalesforceApiError', errorCode: 'INVALID_FIELD', status: 400 });
  });
});
