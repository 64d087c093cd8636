// The contract suite on the Redis Streams adapter (the shared Redis at 127.0.0.1:6379; every test
// uses its own random key prefix and deletes its keys afterwards).
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { EventLogErrorCode, RedisEventLog } from '../src/index.js';
import { eventLogContract, type TestValue } from './contract.js';
import { REDIS_URL, redisNamespace } from './redis-helpers.js';

eventLogContract({
  name: 'Redis Streams',
  durable: true,
  async namespace() {
    const { prefix, cleanup } = redisNamespace();
    return {
      partitions: 4,
      open: (options) =>
        RedisEventLog.open<TestValue>({ kind: 'redis', url: REDIS_URL, prefix, partitions: 4, blockMs: 100, claimIdleMs: 1000, saturationCheckMs: 20, ...options }),
      cleanup,
    };
  },
});

describe('Redis Streams consumer names', () => {
  it('are removed from the group when a stopped consumer owns nothing pending, and kept while it does', async () => {
    const { prefix, cleanup } = redisNamespace();
    const log = await RedisEventLog.open<TestValue>({ kind: 'redis', url: REDIS_URL, prefix, partitions: 2, blockMs: 100 });
    const redis = new Redis(REDIS_URL);
    try {
      const consumersOf = async (): Promise<string[]> => {
        const names: string[] = [];
        for (const stream of [`${prefix}:0`, `${prefix}:1`]) {
          for (const entry of (await redis.call('XINFO', 'CONSUMERS', stream, 'sink')) as unknown[][]) names.push(String(entry[1]));
        }
        return names;
      };
      let resolve!: () => void;
      const seen = new Promise<void>((r) => (resolve = r));
      const clean = await log.consume('sink', async () => resolve(), { consumer: 'clean' });
      await log.append([{ key: 'a', value: { k: 'a', seq: 0 } }]);
      await seen;
      await clean.stop();
      expect(await consumersOf()).not.toContain('clean');

      let failed!: () => void;
      const failedOnce = new Promise<void>((r) => (failed = r));
      const failing = await log.consume(
        'sink',
        async () => {
          failed();
          throw new Error('not committed');
        },
        { consumer: 'failing' },
      );
      await log.append([{ key: 'b', value: { k: 'b', seq: 0 } }]);
      await failedOnce;
      await failing.stop();
      expect(await consumersOf()).toContain('failing');
      expect(await log.lag('sink')).toBe(1);
    } finally {
      redis.disconnect();
      await log.close();
      await cleanup();
    }
  });
});

describe('Redis Streams backpressure without a known group', () => {
  it('never makes append wait when no group is consumed here or declared (nothing to bound)', async () => {
    const { prefix, cleanup } = redisNamespace();
    const log = await RedisEventLog.open<TestValue>({ kind: 'redis', url: REDIS_URL, prefix, partitions: 2, maxBuffered: 5, maxLen: 1000 });
    try {
      for (let i = 0; i < 4; i++) await log.append(Array.from({ length: 5 }, (_, seq) => ({ key: 'a', value: { k: 'a', seq: i * 5 + seq } })));
      expect(log.saturated).toBe(false);
      expect(await log.lag('nobody')).toBe(20);
    } finally {
      await log.close();
      await cleanup();
    }
  });
});

describe('Redis Streams leases', () => {
  it('a consumer that finds its lease taken (it stalled past claimIdleMs) stops reading that stream until it wins it back', async () => {
    const { prefix, cleanup } = redisNamespace();
    const log = await RedisEventLog.open<TestValue>({ kind: 'redis', url: REDIS_URL, prefix, partitions: 1, blockMs: 50, claimIdleMs: 300 });
    const redis = new Redis(REDIS_URL);
    const seen: number[] = [];
    let wake: (() => void) | undefined;
    const until = (count: number): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${seen.length} records`)), 10_000);
        wake = () => {
          if (seen.length < count) return;
          clearTimeout(timer);
          resolve();
        };
        wake();
      });
    try {
      await log.consume('sink', async (batch) => {
        seen.push(...batch.map((r) => r.value.seq));
        wake?.();
      });
      await log.append([{ key: 'a', value: { k: 'a', seq: 0 } }]);
      await until(1);
      // Another consumer holds the stream now, as after this one's lease expired.
      await redis.set(`${prefix}:lease:sink:0`, 'intruder', 'PX', 60_000);
      // Two heartbeats (every claimIdleMs / 3): enough for the consumer to notice.
      await new Promise((resolve) => setTimeout(resolve, 250));
      await log.append([{ key: 'a', value: { k: 'a', seq: 1 } }]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(seen).toEqual([0]);
      await redis.del(`${prefix}:lease:sink:0`);
      await until(2);
      expect(seen).toEqual([0, 1]);
    } finally {
      redis.disconnect();
      await log.close();
      await cleanup();
    }
  });
});

describe('Redis Streams undecodable entries', () => {
  it('are reported to onError with UNDECODABLE and acknowledged, so the stream is not blocked', async () => {
    const { prefix, cleanup } = redisNamespace();
    const log = await RedisEventLog.open<TestValue>({ kind: 'redis', url: REDIS_URL, prefix, partitions: 1, blockMs: 50 });
    const redis = new Redis(REDIS_URL);
    try {
      const errors: unknown[] = [];
      const seen: number[] = [];
      let done!: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      await log.consume(
        'sink',
        async (batch) => {
          seen.push(...batch.map((r) => r.value.seq));
          if (seen.includes(1)) done();
        },
        { onError: (error) => errors.push(error) },
      );
      await log.append([{ key: 'a', value: { k: 'a', seq: 0 } }]);
      await redis.xadd(`${prefix}:0`, '*', 'k', 'a', 'v', '{not json');
      await log.append([{ key: 'a', value: { k: 'a', seq: 1 } }]);
      await finished;
      expect(seen).toEqual([0, 1]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: EventLogErrorCode.UNDECODABLE });
      // The last batch is acknowledged right after its handler resolved: poll briefly for it.
      const deadline = Date.now() + 5000;
      while ((await log.lag('sink')) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await log.lag('sink')).toBe(0);
    } finally {
      redis.disconnect();
      await log.close();
      await cleanup();
    }
  });
});
