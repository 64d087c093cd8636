/**
 * Streaming on PostgreSQL, where writes really run concurrently (PGlite serialises them): many
 * requests committing change and platform events at once must reach a subscriber complete, each
 * once, in replay-id order — the event-log lock makes replay ids commit in order, so no cursor
 * can pass an id that commits later. Needs the PostgreSQL server of DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../src/index.js';
import { publishPlatformEvents, type StreamingMessage } from '../src/streaming/index.js';
import { call, POSTGRES_URL } from './utils/org-fixture.js';
import { sleep, startStreamingOrg, Subscriber } from './utils/streaming-fixture.js';

let org: LocalOrg;
let base: string;

beforeAll(async () => {
  org = await startStreamingOrg({ databaseUrl: POSTGRES_URL });
  base = `/services/data/v${org.apiVersion}`;
});
afterAll(async () => {
  await org?.stop();
});

describe('streaming on PostgreSQL', () => {
  it('delivers every event of 40 concurrent writers once, in replay-id order', async () => {
    const cometd = await Subscriber.open(org, '/data/Vehicle__ChangeEvent');
    const events: StreamingMessage[] = [];
    const stop = await org.subscribe('/event/Car_Telemetry_Alert__e', (m) => events.push(m));

    const writes = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0
        ? call(org, 'POST', `${base}/composite/sobjects`, {
            allOrNone: true,
            records: [0, 1, 2].map((k) => ({ attributes: { type: 'Vehicle__c' }, Name: `PG ${i}.${k}`, VIN__c: `PG${String(i * 3 + k).padStart(15, '0')}` })),
          })
        : call(org, 'POST', `${base}/sobjects/Car_Telemetry_Alert__e`, { VIN__c: `PGEVT${i}`, Alert_Type__c: 'x' }),
    );
    const results = await Promise.all(writes);
    expect(results.every((r) => r.status === 200 || r.status === 201)).toBe(true);

    await cometd.waitFor(60, 15_000);
    await expect.poll(() => events.length, { timeout: 10_000 }).toBe(20);
    cometd.close();
    stop();

    const changeIds = cometd.received.map((m) => m.event.replayId);
    const stored = await org.runtime.db.query<{ replay_id: number }>(`SELECT replay_id FROM _change_log ORDER BY replay_id`);
    expect(changeIds).toEqual(stored.rows.map((r) => Number(r.replay_id)));
    // Each collection is one transaction: its three events are adjacent, numbered 1..3.
    for (let i = 0; i < 60; i += 3) {
      const keys = cometd.received.slice(i, i + 3).map((m) => m.payload.ChangeEventHeader.transactionKey);
      expect(new Set(keys).size).toBe(1);
      expect(cometd.received.slice(i, i + 3).map((m) => m.payload.ChangeEventHeader.sequenceNumber)).toEqual([1, 2, 3]);
    }
    const eventIds = events.map((m) => m.data.event.replayId);
    expect(eventIds).toEqual([...eventIds].sort((a, b) => a - b));
    expect(new Set(events.map((m) => m.data.payload['VIN__c'])).size).toBe(20);
  });

  it('does not let a later commit overtake an earlier replay id that is still committing', async () => {
    const seen: unknown[] = [];
    const stop = await org.subscribe('/event/Car_Telemetry_Alert__e', (m) => seen.push(m.data.payload['VIN__c']));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The first transaction takes its replay id, then stalls before committing.
    const first = org.runtime.store.transaction(async (tx) => {
      publishPlatformEvents(org.runtime, tx, 'Car_Telemetry_Alert__e', [{ VIN__c: 'FIRST', Alert_Type__c: 'x' }]);
      tx.beforeCommit.push(() => gate);
    });
    await sleep(200);
    const second = org.publish('Car_Telemetry_Alert__e', { VIN__c: 'SECOND', Alert_Type__c: 'x' });
    await sleep(300);
    // Had SECOND committed (and been delivered) now, FIRST, committing later with a smaller
    // replay id, would never reach the subscriber: replay ids must commit in order.
    expect(seen).toEqual([]);
    release();
    await Promise.all([first, second]);
    await expect.poll(() => seen, { timeout: 5000 }).toEqual(['FIRST', 'SECOND']);
    stop();
  });
});
