/**
 * Which entities produce change events and on which channels: force-app enables `Vehicle__c`,
 * `cdcEntities: ['Account']` adds Account; `/data/ChangeEvents` carries both, an entity that is not
 * enabled (Contact) produces nothing. Also what `reset()` does to the logs and live subscriptions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../src/index.js';
import type { StreamingMessage } from '../src/streaming/index.js';
import { call } from './utils/org-fixture.js';
import { startStreamingOrg, sleep } from './utils/streaming-fixture.js';

let org: LocalOrg;
let base: string;

beforeAll(async () => {
  org = await startStreamingOrg({ cdcEntities: ['Account'] });
  base = `/services/data/v${org.apiVersion}`;
});
afterAll(async () => {
  await org?.stop();
});

/** Subscribes in-process and collects messages. */
async function collect(channel: string, replayId?: number): Promise<{ messages: StreamingMessage[]; stop: () => void }> {
  const messages: StreamingMessage[] = [];
  const stop = await org.subscribe(channel, (m) => messages.push(m), replayId === undefined ? {} : { replayId });
  return { messages, stop };
}

const summary = (messages: StreamingMessage[]) =>
  messages.map((m) => {
    const h = m.data.payload['ChangeEventHeader'] as { entityName: string; changeType: string };
    return `${m.channel} ${h.entityName} ${h.changeType}`;
  });

describe('CDC selection', () => {
  it('adds cdcEntities to force-app\'s selection', () => {
    const enabled = org.runtime.schema.objects().filter((o) => o.cdcEnabled).map((o) => o.name);
    expect(enabled.sort()).toEqual(['Account', 'Vehicle__c']);
  });

  it('carries every enabled entity on /data/ChangeEvents and nothing of the others', async () => {
    const all = await collect('/data/ChangeEvents');
    const accounts = await collect('/data/AccountChangeEvent');
    const account = await call(org, 'POST', `${base}/sobjects/Account`, { Name: 'Acme' });
    expect(account.status).toBe(201);
    const accountId = (account.body as { id: string }).id;
    expect((await call(org, 'POST', `${base}/sobjects/Contact`, { LastName: 'Not enabled', AccountId: accountId })).status).toBe(201);
    expect((await call(org, 'POST', `${base}/sobjects/Vehicle__c`, { Name: 'V', VIN__c: 'CHN00000000000001' })).status).toBe(201);
    expect((await call(org, 'PATCH', `${base}/sobjects/Account/${accountId}`, { Phone: '555-0100' })).status).toBe(204);

    await expect.poll(() => all.messages.length, { timeout: 5000 }).toBe(3);
    await sleep(200);
    expect(summary(all.messages)).toEqual([
      '/data/ChangeEvents Account CREATE',
      '/data/ChangeEvents Vehicle__c CREATE',
      '/data/ChangeEvents Account UPDATE',
    ]);
    expect(summary(accounts.messages)).toEqual(['/data/AccountChangeEvent Account CREATE', '/data/AccountChangeEvent Account UPDATE']);
    // The same events, numbered once: per-entity and all-entity channels share replay ids.
    expect(accounts.messages.map((m) => m.data.event.replayId)).toEqual(
      all.messages.filter((m) => (m.data.payload['ChangeEventHeader'] as { entityName: string }).entityName === 'Account').map((m) => m.data.event.replayId),
    );
    expect(accounts.messages[1]!.data.payload).toMatchObject({
      ChangeEventHeader: { changedFields: ['Phone', 'LastModifiedDate'], recordIds: [accountId] },
      Phone: '555-0100',
    });
    all.stop();
    accounts.stop();
    const contactLog = await org.runtime.db.query(`SELECT 1 FROM _change_log WHERE entity = 'Contact'`);
    expect(contactLog.rows).toHaveLength(0);
  });

  it('refuses the channel of an entity that is not enabled', async () => {
    await expect(collect('/data/ContactChangeEvent')).rejects.toMatchObject({
      message: '400::The channel you requested to subscribe to does not exist {/data/ContactChangeEvent}',
    });
  });
});

describe('reset', () => {
  it('empties both event logs, restarts replay ids and keeps live subscriptions going', async () => {
    await call(org, 'POST', `${base}/sobjects/Account`, { Name: 'Before reset' });
    await org.publish('Car_Telemetry_Alert__e', { VIN__c: 'BEFORE', Alert_Type__c: 'x' });
    const changes = await collect('/data/ChangeEvents');
    const events = await collect('/event/Car_Telemetry_Alert__e');
    await org.reset();
    const logs = await org.runtime.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM _change_log)::int + (SELECT count(*) FROM _event_log)::int AS n`,
    );
    expect(logs.rows[0]?.n).toBe(0);

    await call(org, 'POST', `${base}/sobjects/Account`, { Name: 'After reset' });
    await org.publish('Car_Telemetry_Alert__e', { VIN__c: 'AFTER', Alert_Type__c: 'x' });
    await expect.poll(() => changes.messages.length + events.messages.length, { timeout: 5000 }).toBe(2);
    expect(changes.messages.map((m) => [m.data.payload['Name'], m.data.event.replayId])).toEqual([['After reset', 1]]);
    expect(events.messages.map((m) => [m.data.payload['VIN__c'], m.data.event.replayId])).toEqual([['AFTER', 1]]);
    changes.stop();
    events.stop();
    // -2 after a reset replays only what came after it.
    const replay = await collect('/data/ChangeEvents', -2);
    await expect.poll(() => replay.messages.length, { timeout: 5000 }).toBe(1);
    replay.stop();
  });
});
