// A consumer process killed with SIGKILL mid-batch (durable adapters only: nothing in-process
// survives its process): the records it held unacknowledged go to the group's next consumer —
// Redis Streams by lease expiry and XAUTOCLAIM, Kafka by session expiry and rebalance.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEventLog, type Delivered, type EventLog, type EventLogOptions } from '../src/index.js';
import type { TestValue } from './contract.js';
import { KafkaTestBroker } from './kafka-broker/kafka-test-broker.js';
import { REDIS_URL, redisNamespace } from './redis-helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/stalled-consumer.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));

let broker: KafkaTestBroker;
beforeAll(async () => {
  broker = await new KafkaTestBroker().start();
});
afterAll(async () => {
  await broker.close();
});

/** Starts the fixture and resolves once it received (and sits on) its first batch. */
function startStalledConsumer(options: EventLogOptions<TestValue>, group: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@ecars/source', fixture, JSON.stringify({ options, group })], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the stalled consumer never got a batch; stderr: ${stderr}`));
    }, 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('delivered')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the stalled consumer exited (${code}); stderr: ${stderr}`));
    });
  });
}

const targets: { name: string; options: () => EventLogOptions<TestValue>; cleanup: () => Promise<void> }[] = [];
{
  const ns = redisNamespace();
  targets.push({
    name: 'Redis Streams',
    options: () => ({ kind: 'redis', url: REDIS_URL, prefix: ns.prefix, partitions: 4, blockMs: 100, claimIdleMs: 1000 }),
    cleanup: ns.cleanup,
  });
}
{
  const prefix = `crash-${randomUUID().slice(0, 8)}-`;
  targets.push({
    name: 'Kafka (test broker)',
    options: () => ({ kind: 'kafka', brokers: broker.address, prefix, partitions: 4, sessionTimeoutMs: 1500, heartbeatIntervalMs: 100, rebalanceTimeoutMs: 3000, maxWaitTimeMs: 100 }),
    cleanup: async () => undefined,
  });
}

describe.each(targets)('a killed consumer on $name', (target) => {
  let log: EventLog<TestValue> | undefined;
  let child: ChildProcess | undefined;

  afterEach(async () => {
    child?.kill('SIGKILL');
    await log?.close();
    await target.cleanup();
  });

  it('leaves its unacknowledged records to the next consumer of the group, in per-key order', async () => {
    log = await createEventLog<TestValue>(target.options());
    const all = Array.from({ length: 40 }, (_, i) => ({ key: `VIN-${i % 8}`, value: { k: `VIN-${i % 8}`, seq: Math.floor(i / 8) } }));
    await log.append(all);
    child = await startStalledConsumer(target.options(), 'sink');
    child.kill('SIGKILL');

    const seen: Delivered<TestValue>[] = [];
    let resolveAll!: () => void;
    const allSeen = new Promise<void>((resolve) => (resolveAll = resolve));
    await log.consume('sink', async (batch) => {
      seen.push(...batch);
      if (new Set(seen.map((r) => `${r.key}:${r.value.seq}`)).size === all.length) resolveAll();
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([allSeen, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`only ${seen.length} records after 20 s`)), 20_000)))]);
    clearTimeout(timer);
    const last = new Map<string, number>();
    for (const record of seen) {
      expect(record.value.seq).toBeGreaterThan(last.get(record.key) ?? -1);
      last.set(record.key, record.value.seq);
    }
    const deadline = Date.now() + 10_000;
    while ((await log.lag('sink')) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await log.lag('sink')).toBe(0);
  });
});
