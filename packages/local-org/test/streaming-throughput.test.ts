/**
 * Delivery at volume: 1,000 change events and 1,000 platform events to one jsforce subscriber,
 * complete, in replay-id order, without duplicates (prints the measured rate: events/s from the
 * first write to the last message received), and the events of one Bulk API sized batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../src/index.js';
import { call } from './utils/org-fixture.js';
import { startStreamingOrg, Subscriber } from './utils/streaming-fixture.js';

const TOTAL = 1000;
const PER_CALL = 200;
let org: LocalOrg;
let base: string;

beforeAll(async () => {
  org = await startStreamingOrg();
  base = `/services/data/v${org.apiVersion}`;
});
afterAll(async () => {
  await org?.stop();
});

async function measure(channel: string, record: (i: number) => Record<string, unknown>): Promise<{ s: Subscriber; perSecond: number }> {
  const s = await Subscriber.open(org, channel);
  const started = performance.now();
  for (let start = 0; start < TOTAL; start += PER_CALL) {
    const records = Array.from({ length: PER_CALL }, (_, k) => record(start + k));
    const r = await call(org, 'POST', `${base}/composite/sobjects`, { allOrNone: true, records });
    expect((r.body as { success: boolean }[]).every((x) => x.success)).toBe(true);
  }
  await s.waitFor(TOTAL, 20_000);
  const perSecond = Math.round(TOTAL / ((performance.now() - started) / 1000));
  s.close();
  return { s, perSecond };
}

function expectInOrderOnce(s: Subscriber, field: string, expected: string[]): void {
  expect(s.received).toHaveLength(TOTAL);
  expect(s.received.map((m) => m.payload[field])).toEqual(expected);
  const ids = s.received.map((m) => m.event.replayId);
  expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
}

describe('delivery at volume', () => {
  it('delivers 1,000 change events to one subscriber, complete and in order', async () => {
    const name = (i: number) => `Bulk ${String(i).padStart(4, '0')}`;
    const { s, perSecond } = await measure('/data/Vehicle__ChangeEvent', (i) => ({
      attributes: { type: 'Vehicle__c' },
      Name: name(i),
      VIN__c: `THR${String(i).padStart(14, '0')}`,
    }));
    console.log(`change events: ${TOTAL} in 5 collections → ${perSecond} events/s delivered to one CometD subscriber`);
    expectInOrderOnce(s, 'Name', Array.from({ length: TOTAL }, (_, i) => name(i)));

    // Delivery alone: the same 1,000, already committed, replayed with -2.
    const started = performance.now();
    const replay = await Subscriber.open(org, '/data/Vehicle__ChangeEvent', { replayId: -2 });
    await replay.waitFor(TOTAL, 20_000);
    console.log(`replay -2: ${TOTAL} change events → ${Math.round(TOTAL / ((performance.now() - started) / 1000))} events/s`);
    replay.close();
    expectInOrderOnce(replay, 'Name', Array.from({ length: TOTAL }, (_, i) => name(i)));
  });

  it('delivers 1,000 platform events to one subscriber, complete and in order', async () => {
    const vin = (i: number) => `EVT${String(i).padStart(14, '0')}`;
    const { s, perSecond } = await measure('/event/Car_Telemetry_Alert__e', (i) => ({
      attributes: { type: 'Car_Telemetry_Alert__e' },
      VIN__c: vin(i),
      Alert_Type__c: 'Tyre_Pressure',
    }));
    console.log(`platform events: ${TOTAL} in 5 collections → ${perSecond} events/s delivered to one CometD subscriber`);
    expectInOrderOnce(s, 'VIN__c', Array.from({ length: TOTAL }, (_, i) => vin(i)));
  });

  it('numbers the events of a Bulk API sized batch (5,200 records, one transaction) 1..5200 under one transaction key', async () => {
    const seen: { seq: number; key: string }[] = [];
    const stop = await org.subscribe('/data/Vehicle__ChangeEvent', (m) => {
      const h = m.data.payload['ChangeEventHeader'] as { sequenceNumber: number; transactionKey: string };
      seen.push({ seq: h.sequenceNumber, key: h.transactionKey });
    });
    const { store } = org.runtime;
    const results = await store.transaction((tx) =>
      store.create(tx, 'Vehicle__c', Array.from({ length: 5200 }, (_, i) => ({ Name: `Batch ${i}`, VIN__c: `BAT${String(i).padStart(14, '0')}` }))),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    await expect.poll(() => seen.length, { timeout: 20_000 }).toBe(5200);
    stop();
    expect(seen.map((x) => x.seq)).toEqual(Array.from({ length: 5200 }, (_, i) => i + 1));
    expect(new Set(seen.map((x) => x.key)).size).toBe(1);
  });
});
