/**
 * The event-log contract suite: every adapter runs exactly these tests (the aedes-persistence /
 * mqemitter "abstract test" pattern). A target opens logs in a fresh namespace per test and says
 * whether records outlive the log instance (`durable`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventLogErrorCode, partitionOf, type CommonEventLogOptions, type Delivered, type EventLog } from '../src/index.js';

/** Value used by the suite: the key again and a per-key sequence number. */
export interface TestValue {
  k: string;
  seq: number;
}

/** Options the suite may set on a log it opens. */
export type ContractLogOptions = Pick<CommonEventLogOptions<TestValue>, 'maxBuffered' | 'groups'>;

/** One isolated namespace (stream prefix, topic); logs opened from it see each other's records. */
export interface ContractNamespace {
  /** Partition count the namespace's logs use (the suite checks keys land where `partitionOf` says). */
  partitions: number;
  open(options?: ContractLogOptions): Promise<EventLog<TestValue>>;
  /** Deletes what the namespace left on the backend. */
  cleanup(): Promise<void>;
}

export interface ContractTarget {
  name: string;
  /** Records survive `close()` and a new log instance in the same namespace sees them. */
  durable: boolean;
  namespace(): Promise<ContractNamespace>;
  /** How long a wait may take on this backend (group joins on Kafka take seconds). @defaultValue 10000 */
  timeoutMs?: number;
}

/** Gates not yet opened: afterEach opens them, so a failed test cannot leave a handler blocked. */
const openGates = new Set<() => void>();

/** A gate a handler can wait on, opened by the test. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  openGates.add(open);
  return { wait, open };
}

/** Collects deliveries and wakes waiters whose condition became true. */
class Collector {
  readonly deliveries: { consumer: string; record: Delivered<TestValue> }[] = [];
  #waiters: { check: () => boolean; resolve: () => void }[] = [];

  add(consumer: string, batch: readonly Delivered<TestValue>[]): void {
    for (const record of batch) this.deliveries.push({ consumer, record });
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.check()) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Distinct `key:seq` delivered (to anyone, or to `consumer`). */
  ids(consumer?: string): Set<string> {
    return new Set(
      this.deliveries.filter((d) => consumer === undefined || d.consumer === consumer).map((d) => `${d.record.value.k}:${d.record.value.seq}`),
    );
  }

  until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${this.deliveries.length} deliveries)`)), timeoutMs);
      this.#waiters.push({
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

/** Polls an async condition (for figures the backend computes, such as lag) until it holds. */
async function eventually(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `perKey` records for each of `keys` keys, interleaved, seq numbers from `from`. */
function records(keys: number, perKey: number, from = 0): { key: string; value: TestValue }[] {
  const out: { key: string; value: TestValue }[] = [];
  for (let seq = from; seq < from + perKey; seq++) {
    for (let k = 0; k < keys; k++) out.push({ key: `VIN${String(k).padStart(14, '0')}`, value: { k: `VIN${String(k).padStart(14, '0')}`, seq } });
  }
  return out;
}

async function appendInBatches(log: EventLog<TestValue>, all: { key: string; value: TestValue }[], size: number): Promise<void> {
  for (let i = 0; i < all.length; i += size) await log.append(all.slice(i, i + size));
}

/** Per key, the sequence numbers in first-delivery order must be increasing. */
function expectPerKeyOrder(collector: Collector): void {
  const seen = new Set<string>();
  const last = new Map<string, number>();
  for (const { record } of collector.deliveries) {
    const id = `${record.value.k}:${record.value.seq}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const previous = last.get(record.value.k) ?? -1;
    expect(record.value.seq, `order of ${record.value.k}`).toBeGreaterThan(previous);
    last.set(record.value.k, record.value.seq);
  }
}

/** Registers the contract tests for `target`. */
export function eventLogContract(target: ContractTarget): void {
  const timeout = target.timeoutMs ?? 10_000;

  describe(`event log contract: ${target.name}`, () => {
    let namespace: ContractNamespace;
    const toClose: { close(): Promise<void> }[] = [];
    const toStop: { stop(): Promise<void> }[] = [];

    async function open(options?: ContractLogOptions): Promise<EventLog<TestValue>> {
      namespace ??= await target.namespace();
      const log = await namespace.open(options);
      toClose.push(log);
      return log;
    }

    afterEach(async () => {
      for (const open of openGates) open();
      openGates.clear();
      await Promise.all(toStop.splice(0).map((s) => s.stop()));
      await Promise.all(toClose.splice(0).map((l) => l.close()));
      await namespace?.cleanup();
      namespace = undefined as unknown as ContractNamespace;
    });

    it('delivers every record to a group, per key in append order, on the key’s partition, then reports no lag', async () => {
      const log = await open();
      const collector = new Collector();
      toStop.push(await log.consume('sink', async (batch) => collector.add('a', batch)));
      const all = records(6, 40);
      await appendInBatches(log, all, 30);
      await collector.until(() => collector.ids().size === all.length, timeout, 'all records');
      expectPerKeyOrder(collector);
      for (const { record } of collector.deliveries) {
        expect(record.key).toBe(record.value.k);
        expect(record.partition).toBe(partitionOf(record.key, namespace.partitions));
      }
      await eventually(async () => (await log.lag('sink')) === 0, timeout, 'lag 0');
    });

    it('gives every group every record; a stalled group neither holds back nor shares another group’s progress', async () => {
      const log = await open();
      const fast = new Collector();
      const slow = new Collector();
      const release = gate();
      toStop.push(await log.consume('fast', async (batch) => fast.add('fast', batch)));
      toStop.push(
        await log.consume('slow', async (batch) => {
          slow.add('slow', batch);
          await release.wait;
        }),
      );
      const all = records(5, 10);
      await log.append(all);
      await fast.until(() => fast.ids().size === all.length, timeout, 'fast group');
      await eventually(async () => (await log.lag('fast')) === 0, timeout, 'fast lag 0');
      await slow.until(() => slow.deliveries.length > 0, timeout, 'slow group’s first batch');
      expect(await log.lag('slow')).toBe(all.length);
      release.open();
      await slow.until(() => slow.ids().size === all.length, timeout, 'slow group');
      await eventually(async () => (await log.lag('slow')) === 0, timeout, 'slow lag 0');
    });

    it('delivers again a batch whose handler failed (a crash before commit) to the next consumer, and never what was acknowledged', async () => {
      const log = await open();
      const first = new Collector();
      let failing = false;
      const a = await log.consume(
        'sink',
        async (batch) => {
          first.add('a', batch);
          if (failing) throw new Error('crash before commit');
        },
        { consumer: 'a', retryDelayMs: 20 },
      );
      toStop.push(a);
      const acked = records(4, 5);
      await log.append(acked);
      await first.until(() => first.ids().size === acked.length, timeout, 'first records');
      await eventually(async () => (await log.lag('sink')) === 0, timeout, 'first records acknowledged');
      failing = true;
      const lost = records(4, 5, 5);
      await log.append(lost);
      await first.until(() => first.ids().size > acked.length, timeout, 'a failing batch');
      await a.stop();
      expect(await log.lag('sink')).toBe(lost.length);

      const second = new Collector();
      toStop.push(await log.consume('sink', async (batch) => second.add('b', batch), { consumer: 'b' }));
      await second.until(() => second.ids().size === lost.length, timeout, 'redelivery to b');
      expect([...second.ids()].sort()).toEqual(lost.map((r) => `${r.value.k}:${r.value.seq}`).sort());
      expectPerKeyOrder(second);
      await eventually(async () => (await log.lag('sink')) === 0, timeout, 'lag 0 after redelivery');
    });

    it('gives a batch whose handler failed to the same consumer again, before anything newer of its keys', async () => {
      const log = await open();
      const delivered = new Collector();
      const acked = new Collector();
      const errors: unknown[] = [];
      let failures = 0;
      toStop.push(
        await log.consume(
          'sink',
          async (batch) => {
            delivered.add('a', batch);
            if (failures < 2) {
              failures++;
              throw new Error('database unavailable');
            }
            acked.add('a', batch);
          },
          { retryDelayMs: 20, onError: (error) => errors.push(error) },
        ),
      );
      const all = records(3, 10);
      await appendInBatches(log, all, 10);
      await acked.until(() => acked.ids().size === all.length, timeout, 'all records acknowledged');
      await eventually(async () => (await log.lag('sink')) === 0, timeout, 'lag 0');
      expect(errors).toHaveLength(2);
      expect(delivered.deliveries.length).toBeGreaterThan(all.length);
      // What the handler committed, in commit order: each record once, per key in append order —
      // so no newer record of a key overtook the replay of a failed one.
      expect(acked.deliveries).toHaveLength(all.length);
      const last = new Map<string, number>();
      for (const { record } of acked.deliveries) {
        expect(record.value.seq, `commit order of ${record.key}`).toBeGreaterThan(last.get(record.key) ?? -1);
        last.set(record.key, record.value.seq);
      }
    });

    it('shares the partitions with a second consumer that joins, keeping per-key order', async () => {
      const log = await open();
      const collector = new Collector();
      toStop.push(await log.consume('sink', async (batch) => collector.add('a', batch), { consumer: 'a', maxBatch: 20 }));
      const before = records(16, 10);
      await appendInBatches(log, before, 40);
      await collector.until(() => collector.ids().size === before.length, timeout, 'records before the join');
      toStop.push(await log.consume('sink', async (batch) => collector.add('b', batch), { consumer: 'b', maxBatch: 20 }));
      // Keep appending until the second consumer got a share (a rebalance takes a while on Kafka).
      let from = 10;
      const deadline = Date.now() + timeout;
      while (collector.ids('b').size === 0) {
        if (Date.now() > deadline) throw new Error('the second consumer never received a record');
        await log.append(records(16, 2, from));
        from += 2;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const after = records(16, 10, from);
      await appendInBatches(log, after, 40);
      const total = 16 * (from + 10);
      await collector.until(() => collector.ids().size === total, timeout, 'all records');
      expect(collector.ids('a').size).toBeGreaterThan(0);
      expect(collector.ids('b').size).toBeGreaterThan(0);
      expectPerKeyOrder(collector);
      await eventually(async () => (await log.lag('sink')) === 0, timeout, 'lag 0');
    });

    it('is saturated and makes append wait while the slowest group holds maxBuffered records', async () => {
      const log = await open({ maxBuffered: 20, groups: ['slow'] });
      const release = gate();
      const collector = new Collector();
      toStop.push(
        await log.consume('slow', async (batch) => {
          collector.add('slow', batch);
          await release.wait;
        }),
      );
      expect(log.saturated, 'saturated before any append').toBe(false);
      await log.append(records(4, 5));
      await eventually(() => log.saturated, timeout, 'saturated');
      let accepted = false;
      const waiting = log.append(records(4, 1, 5)).then(() => (accepted = true));
      // Proving a negative needs a pause: long enough for a wrongly accepted append to resolve.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(accepted, 'append accepted while saturated').toBe(false);
      release.open();
      await waiting;
      await collector.until(() => collector.ids().size === 24, timeout, 'all records');
      await eventually(async () => !log.saturated && (await log.lag('slow')) === 0, timeout, 'room again');
    });

    it('stop() waits for the batch in flight and acknowledges it', async () => {
      const log = await open();
      const release = gate();
      const collector = new Collector();
      const sub = await log.consume('sink', async (batch) => {
        collector.add('a', batch);
        await release.wait;
      });
      toStop.push(sub);
      await log.append(records(2, 3));
      await collector.until(() => collector.deliveries.length > 0, timeout, 'a batch in flight');
      let stopped = false;
      const stopping = sub.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(stopped, 'stop() resolved with a batch in flight').toBe(false);
      release.open();
      await stopping;
      expect(await log.lag('sink')).toBe(6 - collector.ids().size);
    });

    it('close() flushes what append accepted, is idempotent, and refuses appends after', async () => {
      const log = await open({ groups: ['sink'] });
      const collector = new Collector();
      toStop.push(await log.consume('sink', async (batch) => collector.add('a', batch)));
      const all = records(3, 10);
      const appends = [log.append(all.slice(0, 10)), log.append(all.slice(10, 20)), log.append(all.slice(20))];
      await log.close();
      await Promise.all(appends);
      await log.close();
      await expect(log.append(records(1, 1))).rejects.toMatchObject({ code: EventLogErrorCode.CLOSED });
      if (target.durable) {
        const again = await open();
        toStop.push(await again.consume('sink', async (batch) => collector.add('b', batch)));
        await collector.until(() => collector.ids().size === all.length, timeout, 'records after reopening');
      }
      expect(collector.ids().size).toBe(all.length);
    });
  });
}
