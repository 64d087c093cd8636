/**
 * A persistent org in a PGlite data directory, started three times on the same directory: what
 * jsforce wrote before a stop is there after the next start; ids, auto-numbers and change-log
 * replay ids continue where they stopped; and the demo seed is loaded when first asked for, even
 * into an org that already has records of its own, and never twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg, LocalOrgOptions } from '../src/index.js';
import { connect, startTestOrg } from './utils/org-fixture.js';

let dataDir: string;
let org: LocalOrg | undefined;
let conn: jsforce.Connection;

/** Written by the first runs, read back by the later ones. */
const seen = { accountId: '', contactId: '', configName: '', allIds: [] as string[], maxReplayId: 0, counts: {} as Record<string, number> };

const COUNTED = ['Account', 'Contact', 'Product2', 'PricebookEntry', 'Pricebook2', 'Vehicle__c', 'Lead', 'Case', 'User', 'Organization'];

async function start(seed: LocalOrgOptions['seed']): Promise<void> {
  org = await startTestOrg({ dataDir, seed });
  conn = connect(org);
}

async function stop(): Promise<void> {
  await org?.stop();
  org = undefined;
}

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const o of COUNTED) out[o] = (await conn.query(`SELECT COUNT() FROM ${o}`)).totalSize;
  return out;
}

/** Every record id of the objects the tests and the seed write. */
async function allIds(): Promise<string[]> {
  const ids: string[] = [];
  for (const o of ['Account', 'Contact', 'Car_Configuration__c', 'Vehicle__c', 'Product2', 'PricebookEntry', 'Lead', 'Case']) {
    ids.push(...(await conn.query<{ Id: string }>(`SELECT Id FROM ${o} ORDER BY Id`)).records.map((r) => r.Id));
  }
  return ids;
}

/** The serial part of an id (9 base-62 digits, whose ASCII order is their numeric order). */
const serialOf = (id: string) => id.slice(6, 15);

async function maxReplayId(): Promise<number> {
  const r = await org!.runtime.db.query<{ m: number | null }>('SELECT max(replay_id) AS m FROM _change_log');
  return Number(r.rows[0]?.m ?? 0);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-org-datadir-'));
  await start('none');
});
afterAll(async () => {
  await stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a PGlite data directory', () => {
  it('takes writes in a first run without the seed', async () => {
    expect(await counts()).toMatchObject({ Account: 0, Product2: 0, Pricebook2: 1, User: 1, Organization: 1 });
    const account = (await conn.sobject('Account').create({ Name: 'Persistent Motors', Region__c: 'EMEA' })) as { id: string };
    const contact = (await conn.sobject('Contact').create({ LastName: 'Durable', AccountId: account.id })) as { id: string };
    const config = (await conn.sobject('Car_Configuration__c').create({ Range__c: 'Long_Range' })) as { id: string };
    await conn.sobject('Vehicle__c').create({ Name: 'Persistent car', VIN__c: '5YJ3E1EA7KF600001', Status__c: 'Available' });
    seen.accountId = account.id;
    seen.contactId = contact.id;
    seen.configName = ((await conn.sobject('Car_Configuration__c').retrieve(config.id)) as unknown as { Name: string }).Name;
    expect(seen.configName).toBe('CC-00001');
    await stop();
  });

  it('loads the demo seed on a restart that asks for it, next to the records already there', async () => {
    await start('demo');
    seen.counts = await counts();
    // The seed's 5 accounts and 3 vehicles plus the first run's one each.
    expect(seen.counts).toEqual({
      Account: 6,
      Contact: 1,
      Product2: 8,
      PricebookEntry: 8,
      Pricebook2: 1,
      Vehicle__c: 4,
      Lead: 2,
      Case: 1,
      User: 1,
      Organization: 1,
    });
    const contact = await conn.query<{ Id: string; LastName: string; Account: { Name: string; Region__c: string } }>(
      `SELECT Id, LastName, Account.Name, Account.Region__c FROM Contact WHERE Id = '${seen.contactId}'`,
    );
    expect(contact.records).toEqual([
      expect.objectContaining({ Id: seen.contactId, LastName: 'Durable', Account: expect.objectContaining({ Name: 'Persistent Motors', Region__c: 'EMEA' }) }),
    ]);
    seen.allIds = await allIds();
    seen.maxReplayId = await maxReplayId();
    expect(seen.maxReplayId).toBeGreaterThan(0);
    await stop();
  });

  it('keeps every record and does not seed twice when started with the seed again', async () => {
    await start('demo');
    expect(await counts()).toEqual(seen.counts);
    expect(await allIds()).toEqual(seen.allIds);
  });

  it('continues ids, auto-numbers and replay ids where the last run stopped', async () => {
    const account = (await conn.sobject('Account').create({ Name: 'Third Run Motors' })) as { id: string };
    expect(seen.allIds).not.toContain(account.id);
    const newest = seen.allIds.map(serialOf).sort().at(-1)!;
    expect(serialOf(account.id) > newest).toBe(true);

    const config = (await conn.sobject('Car_Configuration__c').create({ Range__c: 'Short_Range' })) as { id: string };
    expect(((await conn.sobject('Car_Configuration__c').retrieve(config.id)) as unknown as { Name: string }).Name).toBe('CC-00002');

    await conn.sobject('Vehicle__c').create({ Name: 'Third car', VIN__c: '5YJ3E1EA7KF600002', Status__c: 'Available' });
    expect(await maxReplayId()).toBe(seen.maxReplayId + 1);

    // The unique VIN written in the first run is still enforced.
    await expect(conn.sobject('Vehicle__c').create({ Name: 'Clone', VIN__c: '5YJ3E1EA7KF600001' })).rejects.toMatchObject({
      errorCode: 'DUPLICATE_VALUE',
    });
  });
});
