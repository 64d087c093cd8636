/**
 * Replay: `-1` (new only), `-2` (all retained), `N` (after N) through jsforce's Replay extension,
 * Salesforce's error for a replay id outside retention, resuming after a disconnect, and the
 * 72-hour retention with an injected clock.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../src/index.js';
import { startingCursor } from '../src/streaming/replay.js';
import { call } from './utils/org-fixture.js';
import { startStreamingOrg, Subscriber, sleep } from './utils/streaming-fixture.js';

const HOUR = 3_600_000;
let org: LocalOrg;
let base: string;
let now = Date.now();
const open: Subscriber[] = [];
let vins = 0;

beforeAll(async () => {
  // The hub's clock (retention) is injected; commit timestamps stay real time.
  org = await startStreamingOrg({ streaming: { clock: () => now } });
  base = `/services/data/v${org.apiVersion}`;
});
afterEach(async () => {
  for (const s of open.splice(0)) s.close();
  now = Date.now();
  await org.reset();
});
afterAll(async () => {
  await org?.stop();
});

async function subscriber(channel: string, replayId?: number): Promise<Subscriber> {
  const s = await Subscriber.open(org, channel, replayId === undefined ? {} : { replayId });
  open.push(s);
  return s;
}

async function createVehicles(...names: string[]): Promise<void> {
  for (const Name of names) {
    const r = await call(org, 'POST', `${base}/sobjects/Vehicle__c`, { Name, VIN__c: `RPL${String(++vins).padStart(14, '0')}` });
    expect(r.status).toBe(201);
  }
}

const names = (s: Subscriber) => s.received.map((m) => m.payload['Name']);
const invalid = (n: number | string) =>
  `400::The replayId {${n}} you provided was invalid. Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`;

describe('replay options', () => {
  it('gives a -1 subscriber only what commits after it subscribed', async () => {
    await createVehicles('Old');
    const s = await subscriber('/data/Vehicle__ChangeEvent', -1);
    await createVehicles('New');
    expect((await s.waitFor(1)).map((m) => m.payload['Name'])).toEqual(['New']);
    await sleep(300);
    expect(names(s)).toEqual(['New']);
  });

  it('replays everything retained with -2 after a disconnect, then goes on live', async () => {
    const first = await subscriber('/data/Vehicle__ChangeEvent');
    await createVehicles('A', 'B');
    await first.waitFor(2);
    first.close();
    await createVehicles('C', 'D'); // missed while disconnected
    const again = await subscriber('/data/Vehicle__ChangeEvent', -2);
    await again.waitFor(4);
    await createVehicles('E');
    await again.waitFor(5);
    expect(names(again)).toEqual(['A', 'B', 'C', 'D', 'E']);
    const ids = again.received.map((m) => m.event.replayId);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(5);
  });

  it('replays only the events after N', async () => {
    const s = await subscriber('/data/Vehicle__ChangeEvent');
    await createVehicles('1', '2', '3');
    const [, second] = await s.waitFor(3);
    const n = second!.event.replayId;
    const after = await subscriber('/data/Vehicle__ChangeEvent', n);
    await after.waitFor(1);
    await sleep(300);
    expect(names(after)).toEqual(['3']);
    expect(after.received[0]!.event.replayId).toBeGreaterThan(n);
  });

  it('refuses a replay id that is not in the log with Salesforce\'s error', async () => {
    await createVehicles('Only');
    await expect(subscriber('/data/Vehicle__ChangeEvent', 9999)).rejects.toMatchObject({ message: invalid(9999) });
    await expect(subscriber('/data/Vehicle__ChangeEvent', -3)).rejects.toMatchObject({ message: invalid(-3) });
    // The newest id is valid: nothing to replay, then live.
    const s = await subscriber('/data/Vehicle__ChangeEvent', 1);
    await createVehicles('Next');
    expect((await s.waitFor(1)).map((m) => m.payload['Name'])).toEqual(['Next']);
  });

  it('lets the programmatic API replay and reject the same way', async () => {
    await createVehicles('P1', 'P2');
    const seen: unknown[] = [];
    const stop = await org.subscribe('/data/Vehicle__ChangeEvent', (m) => seen.push(m.data.payload['Name']), { replayId: -2 });
    await createVehicles('P3');
    await expect.poll(() => seen, { timeout: 5000 }).toEqual(['P1', 'P2', 'P3']);
    stop();
    await expect(org.subscribe('/data/Vehicle__ChangeEvent', () => undefined, { replayId: 42 })).rejects.toMatchObject({
      errorCode: 'INVALID_REPLAY_ID',
      message: invalid(42),
    });
  });
});

describe('retention', () => {
  it('keeps events replayable for 72 hours and purges them after', async () => {
    await createVehicles('R1', 'R2');
    const seen: string[] = [];
    now = Date.now() + 71 * HOUR;
    const stop = await org.subscribe('/data/Vehicle__ChangeEvent', (m) => seen.push(m.data.payload['Name'] as string), { replayId: -2 });
    await expect.poll(() => seen, { timeout: 5000 }).toEqual(['R1', 'R2']);
    stop();

    now = Date.now() + 73 * HOUR;
    const late: string[] = [];
    const stopLate = await org.subscribe('/data/Vehicle__ChangeEvent', (m) => late.push(m.data.payload['Name'] as string), { replayId: -2 });
    await sleep(300);
    expect(late).toEqual([]);
    stopLate();
    // The purged ids are now outside retention; the last one handed out stays a valid resume point.
    await expect(org.subscribe('/data/Vehicle__ChangeEvent', () => undefined, { replayId: 1 })).rejects.toMatchObject({ message: invalid(1) });
    const count = await org.runtime.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM _change_log`);
    expect(count.rows[0]?.n).toBe(0);
    await expect(org.subscribe('/data/Vehicle__ChangeEvent', () => undefined, { replayId: 2 })).resolves.toBeTypeOf('function');
  });
});

describe('starting cursor', () => {
  const bounds = { oldest: 5, newest: 9 };
  it('maps -1, -2 and N to the last replay id already seen', () => {
    expect(startingCursor(-1, bounds)).toBe(9);
    expect(startingCursor(undefined, bounds)).toBe(9);
    expect(startingCursor(-2, bounds)).toBe(4);
    expect(startingCursor('-2', bounds)).toBe(4);
    expect(startingCursor(4, bounds)).toBe(4);
    expect(startingCursor(9, bounds)).toBe(9);
  });

  it('refuses ids before the retained range, after the newest, and non-numbers', () => {
    for (const bad of [3, 10, -3, 'abc', 1.5]) {
      expect(() => startingCursor(bad, bounds)).toThrow(invalid(bad));
    }
  });

  it('accepts only the last handed-out id on an empty log', () => {
    const empty = { oldest: 8, newest: 7 };
    expect(startingCursor(-2, empty)).toBe(7);
    expect(startingCursor(7, empty)).toBe(7);
    expect(() => startingCursor(6, empty)).toThrow(invalid(6));
  });
});
