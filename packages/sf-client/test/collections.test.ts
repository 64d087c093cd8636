/** sObject Collections against a local org: chunks of 200, allOrNone per call, and retry safety per operation. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalOrg } from '@ecars/local-org';
import { clientOf, startTestOrg } from './utils/org.js';
import { recordingFetch } from './utils/recording-fetch.js';

let org: LocalOrg;
beforeAll(async () => {
  org = await startTestOrg();
});
afterAll(async () => {
  await org?.stop();
});
beforeEach(async () => {
  org.setFaults({ faultRate: 0 });
  await org.runtime.db.query(`DELETE FROM "Vehicle__c"`);
  await org.runtime.db.query(`DELETE FROM "Account"`);
});

const COLLECTIONS = [{ path: /\/composite\/sobjects/ }];
const vin = (i: number) => `5YJ3E1EA${String(i).padStart(9, '0')}`;

async function count(table: string): Promise<number> {
  const r = await org.runtime.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE NOT "IsDeleted"`);
  return r.rows[0]!.n;
}

describe('sObject collections', { timeout: 60_000 }, () => {
  it('creates 450 records in calls of 200, 200 and 50, results in input order', async () => {
    const recorder = recordingFetch();
    const client = await clientOf(org, { fetch: recorder.fetch });
    const results = await client.create('Account', Array.from({ length: 450 }, (_, i) => ({ Name: `Collection ${i}` })));
    expect(results).toHaveLength(450);
    expect(results.every((r) => r.success && r.id?.startsWith('001'))).toBe(true);
    const sizes = recorder.calls.filter((c) => c.path.endsWith('/composite/sobjects')).map((c) => (c.body as { records: unknown[] }).records.length);
    expect(sizes.sort((a, b) => b - a)).toEqual([200, 200, 50]);
    const stored = await org.runtime.db.query<{ Id: string; Name: string }>(`SELECT "Id", "Name" FROM "Account" WHERE "Id" = $1`, [results[321]!.id]);
    expect(stored.rows[0]?.Name).toBe('Collection 321');
  });

  it('rolls back a whole call of 200 with allOrNone, and only that call', async () => {
    const client = await clientOf(org);
    const records = Array.from({ length: 250 }, (_, i) => ({ Name: i === 10 ? null : `All or none ${i}` }));
    const results = await client.create('Account', records, { allOrNone: true, concurrency: 1 });
    expect(results[10]).toEqual({ id: null, success: false, errors: [{ errorCode: 'REQUIRED_FIELD_MISSING', message: expect.any(String), fields: ['Name'] }] });
    expect(results.slice(0, 200).filter((r) => r.errors[0]?.errorCode === 'ALL_OR_NONE_OPERATION_ROLLED_BACK')).toHaveLength(199);
    expect(results.slice(200).every((r) => r.success)).toBe(true);
    expect(await count('Account')).toBe(50);
  });

  it('updates by Id and upserts by external id, telling created from updated', async () => {
    const client = await clientOf(org);
    const first = await client.upsert('Vehicle__c', 'VIN__c', [{ Name: 'Car 1', VIN__c: vin(1), Model__c: 'Model E', Year__c: 2024 }]);
    expect(first).toEqual([{ id: expect.stringMatching(/^a9S/), success: true, errors: [], created: true }]);
    const second = await client.upsert('Vehicle__c', 'VIN__c', [{ Name: 'Car 1', VIN__c: vin(1), Model__c: 'Model E', Year__c: 2025 }, { Name: 'Car 2', VIN__c: vin(2), Model__c: 'Model E', Year__c: 2025 }]);
    expect(second.map((r) => [r.success, r.created])).toEqual([[true, false], [true, true]]);
    expect(second[0]?.id).toBe(first[0]?.id);
    const updated = await client.update('Vehicle__c', [{ Id: first[0]!.id, Year__c: 2026 }]);
    expect(updated).toEqual([{ id: first[0]!.id, success: true, errors: [] }]);
    const row = await org.runtime.db.query<{ Year__c: number }>(`SELECT "Year__c" FROM "Vehicle__c" WHERE "Id" = $1`, [first[0]!.id]);
    expect(Number(row.rows[0]?.Year__c)).toBe(2026);
  });

  it('retries upserts whose answer was lost without ever duplicating a record', async () => {
    const client = await clientOf(org, { retry: { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 5 } });
    org.setFaults({ faultRate: 0.4, faults: ['applied-reset', 'reset', '503'], seed: 9, faultPaths: COLLECTIONS });
    const records = Array.from({ length: 600 }, (_, i) => ({ Name: `Car ${i}`, VIN__c: vin(i), Model__c: 'Model E', Year__c: 2025 }));
    const results = await client.upsert('Vehicle__c', 'VIN__c', records);
    org.setFaults({ faultRate: 0 });
    expect(results.every((r) => r.success)).toBe(true);
    expect(client.stats.retries).toBeGreaterThan(0);
    expect(await count('Vehicle__c')).toBe(600);
  });

  it('does not resend a create whose answer was lost: OUTCOME_UNKNOWN, written once', async () => {
    const client = await clientOf(org);
    org.setFaults({ faultRate: 1, faults: ['applied-reset'], seed: 1, faultPaths: COLLECTIONS });
    const results = await client.create('Account', [{ Name: 'Lost answer 1' }, { Name: 'Lost answer 2' }]);
    org.setFaults({ faultRate: 0 });
    expect(results.map((r) => [r.success, r.errors[0]?.errorCode])).toEqual([[false, 'OUTCOME_UNKNOWN'], [false, 'OUTCOME_UNKNOWN']]);
    expect(results[0]?.errors[0]?.message).toContain('Use upsert on an external id for safe retries');
    expect(await count('Account')).toBe(2);
  });

  it('counts a record deleted by a request whose answer was lost as deleted', async () => {
    let lost = false;
    // The first DELETE reaches the org and commits; its answer never comes back.
    const recorder = recordingFetch((call, forward) => {
      if (call.method !== 'DELETE' || lost) return undefined;
      lost = true;
      return forward().then(() => {
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
      });
    });
    const client = await clientOf(org, { fetch: recorder.fetch });
    const created = await client.create('Account', [{ Name: 'Delete me 1' }, { Name: 'Delete me 2' }]);
    const results = await client.delete(created.map((r) => r.id!), { allOrNone: true });
    expect(results).toEqual(created.map((r) => ({ id: r.id, success: true, errors: [] })));
    expect(recorder.calls.filter((c) => c.method === 'DELETE')).toHaveLength(2);
    expect(await count('Account')).toBe(0);
  });
});
