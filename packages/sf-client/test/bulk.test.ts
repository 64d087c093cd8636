/**
 * Bulk API 2.0 helpers against the local org's Bulk API: streamed CSV ingest with results,
 * progress, timeout and abort, retries that never queue records twice, and query pages.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalOrg } from '@ecars/local-org';
import { BulkJobError, type IngestProgress } from '../src/index.js';
import { clientOf, startTestOrg } from './utils/org.js';

let org: LocalOrg;
beforeAll(async () => {
  org = await startTestOrg();
});
afterAll(async () => {
  await org?.stop();
});
beforeEach(async () => {
  org.setFaults({ faultRate: 0 });
  await org.runtime.db.query(`DELETE FROM "Account"`);
  await org.runtime.db.query(`DELETE FROM "Vehicle__c"`);
});

const FAST = { pollIntervalMs: 20, maxPollIntervalMs: 200, timeoutMs: 60_000 };

async function count(table: string, namePrefix = ''): Promise<number> {
  const r = await org.runtime.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE NOT "IsDeleted" AND "Name" LIKE $1`, [`${namePrefix}%`]);
  return r.rows[0]!.n;
}

describe('bulk ingest', { timeout: 120_000 }, () => {
  it('inserts records through one job and reports successful and failed rows', async () => {
    const client = await clientOf(org);
    const progress: IngestProgress[] = [];
    const records = Array.from({ length: 2500 }, (_, i) => ({ Name: i === 7 || i === 1500 ? null : `Bulk ${i}`, AccountNumber: String(i), NumberOfEmployees: i }));
    const result = await client.bulk.ingest({ object: 'Account', operation: 'insert', records, onProgress: (p) => progress.push(p), ...FAST });
    expect(result).toMatchObject({ state: 'JobComplete', processed: 2500, failed: 2 });
    expect(result.jobId).toMatch(/^750/);
    expect(result.failedRows.map((r) => [r.sfId, r.record['AccountNumber'], r.error])).toEqual([
      [null, '7', expect.stringContaining('REQUIRED_FIELD_MISSING')],
      [null, '1500', expect.stringContaining('REQUIRED_FIELD_MISSING')],
    ]);
    expect(result.successfulRows).toHaveLength(2498);
    expect(result.successfulRows?.[0]).toEqual({ sfId: expect.stringMatching(/^001/), created: true, record: { Name: 'Bulk 0', AccountNumber: '0', NumberOfEmployees: '0' } });
    expect(progress.at(-1)).toEqual({ jobId: result.jobId, state: 'JobComplete', processed: 2500, failed: 2 });
    expect(await count('Account', 'Bulk ')).toBe(2498);
  });

  it('streams records from an async iterable without holding them', async () => {
    const client = await clientOf(org);
    async function* accounts() {
      for (let i = 0; i < 12_000; i++) yield { Name: `Streamed ${i}`, Type: 'Customer - Direct' };
    }
    const result = await client.bulk.ingest({ object: 'Account', operation: 'insert', records: accounts(), fetchSuccessfulResults: false, ...FAST });
    expect(result).toMatchObject({ state: 'JobComplete', processed: 12_000, failed: 0, failedRows: [] });
    expect(result.successfulRows).toBeUndefined();
    expect(await count('Account', 'Streamed ')).toBe(12_000);
  });

  it('upserts by an external id and deletes by id', async () => {
    const client = await clientOf(org);
    const vin = (i: number) => `5YJ3E1EA${String(i).padStart(9, '0')}`;
    const first = await client.bulk.ingest({ object: 'Vehicle__c', operation: 'upsert', externalIdFieldName: 'VIN__c', records: [{ Name: 'Car 1', VIN__c: vin(1) }], ...FAST });
    const second = await client.bulk.ingest({
      object: 'Vehicle__c',
      operation: 'upsert',
      externalIdFieldName: 'VIN__c',
      records: [{ Name: 'Car 1b', VIN__c: vin(1) }, { Name: 'Car 2', VIN__c: vin(2) }],
      ...FAST,
    });
    expect(second.successfulRows?.map((r) => [r.sfId, r.created])).toEqual([[first.successfulRows?.[0]?.sfId, false], [expect.stringMatching(/^a9S/), true]]);
    const removed = await client.bulk.ingest({ object: 'Vehicle__c', operation: 'delete', records: second.successfulRows!.map((r) => ({ Id: r.sfId })), ...FAST });
    expect(removed).toMatchObject({ processed: 2, failed: 0 });
    expect(await count('Vehicle__c')).toBe(0);
  });

  it('aborts a job that does not finish within the timeout', async () => {
    const client = await clientOf(org);
    const records = Array.from({ length: 30_000 }, (_, i) => ({ Name: `Slow ${i}` }));
    const error = await client.bulk.ingest({ object: 'Account', operation: 'insert', records, pollIntervalMs: 1, timeoutMs: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulkJobError);
    expect(error).toMatchObject({ errorCode: 'BULK_TIMEOUT', message: expect.stringContaining('did not finish within 1 ms') });
    const { body } = await client.request<{ state: string }>({ method: 'GET', path: client.dataPath(`/jobs/ingest/${(error as BulkJobError).jobId}`) });
    expect(body.state).toBe('Aborted');
  });

  it('never queues records twice when uploads and calls fault, including lost answers', async () => {
    const client = await clientOf(org, { retry: { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 5 } });
    org.setFaults({ faultRate: 0.3, faults: ['503', 'reset', 'applied-reset'], seed: 17, faultPaths: [{ path: /\/jobs\/ingest/ }] });
    const records = Array.from({ length: 1000 }, (_, i) => ({ Name: `Faulty ${i}` }));
    const result = await client.bulk.ingest({ object: 'Account', operation: 'insert', records, ...FAST });
    const faults = (org.stats() as { faults: { faultsInjected: Record<string, number> } }).faults.faultsInjected;
    org.setFaults({ faultRate: 0 });
    expect(faults['applied-reset']! + faults['reset']! + faults['503']!).toBeGreaterThan(0);
    expect(client.stats.retries).toBeGreaterThan(0);
    expect(result).toMatchObject({ state: 'JobComplete', processed: 1000, failed: 0 });
    // By name: an aborted job's batch already running (the timeout test) may still be committing.
    expect(await count('Account', 'Faulty ')).toBe(1000);
  });
});

describe('bulk query', { timeout: 60_000 }, () => {
  it('iterates every record across locator pages', async () => {
    const client = await clientOf(org);
    await client.bulk.ingest({ object: 'Account', operation: 'insert', records: Array.from({ length: 2500 }, (_, i) => ({ Name: `Q ${String(i).padStart(4, '0')}`, AccountNumber: i % 2 ? String(i) : null })), ...FAST });
    const pages: number[] = [];
    const names: string[] = [];
    let nulls = 0;
    for await (const row of client.bulk.query("SELECT Name, AccountNumber FROM Account WHERE Name LIKE 'Q %' ORDER BY Name", { maxRecords: 1000, ...FAST, onProgress: (p) => pages.push(p.pages) })) {
      names.push(row['Name']!);
      if (row['AccountNumber'] === null) nulls += 1;
    }
    expect(names).toHaveLength(2500);
    expect(names[0]).toBe('Q 0000');
    expect(names.at(-1)).toBe('Q 2499');
    expect(nulls).toBe(1250);
    expect(Math.max(...pages)).toBe(3);
  });
});
