/**
 * jsforce 3's `conn.bulk2` against the local org, unmodified: `loadAndWaitForResults` for every
 * ingest operation (CSV text, record arrays and streams as input) and `query` as a record stream.
 */
import { Readable } from 'node:stream';
import type jsforce from 'jsforce';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../src/index.js';
import { connect, startTestOrg } from './utils/org-fixture.js';

let org: LocalOrg;
let conn: jsforce.Connection;

beforeAll(async () => {
  org = await startTestOrg();
  conn = connect(org);
  // jsforce polls once a second by default; the org finishes small jobs in milliseconds.
  conn.bulk2.pollInterval = 25;
  conn.bulk2.pollTimeout = 60_000;
}, 120_000);
afterAll(() => org.stop());
beforeEach(() => org.reset());

async function rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await org.runtime.db.query<T>(sql, params)).rows;
}

/** Every record of a jsforce record stream. */
async function collect(stream: NodeJS.EventEmitter): Promise<Record<string, string>[]> {
  return new Promise((resolve, reject) => {
    const records: Record<string, string>[] = [];
    stream.on('record', (r: Record<string, string>) => records.push(r));
    stream.on('end', () => resolve(records));
    stream.on('error', reject);
  });
}

/** A column of a result row (jsforce types rows by its schema generics, which these tests do not use). */
function column(row: unknown, name: string): string | undefined {
  return (row as Record<string, string>)[name];
}

function vin(i: number): string {
  return `5YJ3E1EA0KF${String(i).padStart(6, '0')}`;
}

describe('conn.bulk2.loadAndWaitForResults', () => {
  it('inserts from CSV text and reports successes and failures', async () => {
    const { successfulResults, failedResults, unprocessedRecords } = await conn.bulk2.loadAndWaitForResults({
      object: 'Vehicle__c',
      operation: 'insert',
      input: `Name,VIN__c,Price__c\nModel 3,${vin(1)},41990\nModel Y,${vin(2)},not a price\n`,
    });
    expect(successfulResults).toEqual([
      { sf__Id: expect.stringMatching(/^a\w{17}$/), sf__Created: 'true', Name: 'Model 3', VIN__c: vin(1), Price__c: '41990' },
    ]);
    expect(failedResults).toEqual([
      {
        sf__Id: '',
        sf__Error: 'INVALID_TYPE_ON_FIELD_IN_RECORD:Price: value not of required type: not a price:Price__c --',
        Name: 'Model Y',
        VIN__c: vin(2),
        Price__c: 'not a price',
      },
    ]);
    expect(unprocessedRecords).toEqual([]);
    expect(await rows(`SELECT "Name", "VIN__c", "Price__c" FROM "Vehicle__c"`)).toEqual([{ Name: 'Model 3', VIN__c: vin(1), Price__c: 41990 }]);
  });

  it('inserts from a stream, updates from records (null as #N/A), upserts by VIN__c, deletes and hard-deletes', async () => {
    async function* csv() {
      yield 'Name,VIN__c,Model__c,Price__c\n';
      for (let i = 0; i < 30; i++) yield `Car ${i},${vin(i)},Model S,${80_000 + i}\n`;
    }
    const inserted = await conn.bulk2.loadAndWaitForResults({ object: 'Vehicle__c', operation: 'insert', input: Readable.from(csv()) });
    expect(inserted.successfulResults).toHaveLength(30);
    const idOf = new Map(inserted.successfulResults.map((r) => [column(r, 'VIN__c'), r.sf__Id]));

    const updated = await conn.bulk2.loadAndWaitForResults({
      object: 'Vehicle__c',
      operation: 'update',
      input: [
        { Id: idOf.get(vin(0)), Price__c: 79_000, Model__c: null },
        // jsforce takes the CSV columns from the first record.
        { Id: idOf.get(vin(1)), Price__c: 80_500, Model__c: 'Model X' },
      ],
    });
    expect(updated.failedResults).toEqual([]);
    expect(updated.successfulResults.map((r) => [r.sf__Id, r.sf__Created])).toEqual([
      [idOf.get(vin(0)), 'false'],
      [idOf.get(vin(1)), 'false'],
    ]);
    expect(await rows(`SELECT "Name", "Model__c", "Price__c" FROM "Vehicle__c" WHERE "VIN__c" IN ($1, $2) ORDER BY "VIN__c"`, [vin(0), vin(1)])).toEqual([
      { Name: 'Car 0', Model__c: null, Price__c: 79_000 },
      { Name: 'Car 1', Model__c: 'Model X', Price__c: 80_500 },
    ]);

    const upserted = await conn.bulk2.loadAndWaitForResults({
      object: 'Vehicle__c',
      operation: 'upsert',
      externalIdFieldName: 'VIN__c',
      input: `VIN__c,Name\n${vin(2)},Upserted old\n${vin(99)},Upserted new\n`,
    });
    expect(upserted.successfulResults.map((r) => [column(r, 'VIN__c'), r.sf__Created, r.sf__Id])).toEqual([
      [vin(2), 'false', idOf.get(vin(2))],
      [vin(99), 'true', expect.stringMatching(/^a\w{17}$/)],
    ]);

    const deleted = await conn.bulk2.loadAndWaitForResults({
      object: 'Vehicle__c',
      operation: 'delete',
      input: [{ Id: idOf.get(vin(3)) }, { Id: idOf.get(vin(4)) }],
    });
    expect(deleted.successfulResults).toHaveLength(2);
    const hard = await conn.bulk2.loadAndWaitForResults({
      object: 'Vehicle__c',
      operation: 'hardDelete',
      input: `Id\n${idOf.get(vin(5))}\n${idOf.get(vin(3))}\n`,
    });
    expect(hard.successfulResults.map((r) => r.sf__Id)).toEqual([idOf.get(vin(5))]);
    expect(hard.failedResults).toEqual([{ sf__Id: '', sf__Error: 'ENTITY_IS_DELETED:entity is deleted:--', Id: idOf.get(vin(3)) }]);
    expect(await rows(`SELECT count(*)::int AS live FROM "Vehicle__c" WHERE NOT "IsDeleted"`)).toEqual([{ live: 28 }]);
    // In the recycle bin: the soft-deleted pair (hardDelete refused the one already deleted).
    expect(await rows(`SELECT "VIN__c" FROM "Vehicle__c" WHERE "IsDeleted" ORDER BY "VIN__c"`)).toEqual([{ VIN__c: vin(3) }, { VIN__c: vin(4) }]);
    expect(await rows(`SELECT count(*)::int AS n FROM "Vehicle__c" WHERE "VIN__c" = $1`, [vin(5)])).toEqual([{ n: 0 }]);
  });

  it('rejects with the errorMessage of a job that failed on a malformed CSV', async () => {
    await expect(
      conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input: 'Name,Bogus__c\nAcme,1\n' }),
    ).rejects.toThrow('Ingest job failed to complete due to: InvalidBatch : Field name not found : Bogus__c');
  });

  it('rejects with Salesforce’s error when the job cannot be created', async () => {
    await expect(conn.bulk2.loadAndWaitForResults({ object: 'Spaceship__c', operation: 'insert', input: 'Name\nX\n' })).rejects.toMatchObject({
      errorCode: 'INVALIDJOB',
      message: 'InvalidJob : Unable to find object: Spaceship__c',
    });
  });
});

describe('conn.bulk2.query', () => {
  it('streams the records of a query job, parent paths included', async () => {
    const { store } = org.runtime;
    await store.transaction(async (tx) => {
      const [account] = await store.create(tx, 'Account', [{ Name: 'Fleet Co' }]);
      const accountId = account?.ok ? account.id : '';
      await store.create(
        tx,
        'Opportunity',
        Array.from({ length: 1500 }, (_x, i) => ({ Name: `Fleet ${i}`, StageName: 'Prospecting', CloseDate: '2026-06-30', AccountId: accountId })),
      );
    });
    const records = await collect(await conn.bulk2.query('SELECT Id, Name, Account.Name FROM Opportunity ORDER BY Name'));
    expect(records).toHaveLength(1500);
    expect(records[0]).toEqual({ Id: expect.stringMatching(/^006\w{15}$/), Name: 'Fleet 0', 'Account.Name': 'Fleet Co' });
    expect(new Set(records.map((r) => r['Id'])).size).toBe(1500);
  });

  it('rejects a query Bulk API 2.0 refuses', async () => {
    await expect(conn.bulk2.query('SELECT Id, (SELECT Id FROM Contacts) FROM Account')).rejects.toMatchObject({
      errorCode: 'API_ERROR',
      message: 'Aggregate Relationships not supported in Bulk V2 Query with CSV content type',
    });
  });
});
