/**
 * Multi-process mode: the broker (IOT_ROLE=broker) and persistence (IOT_ROLE=persist) run as
 * separate processes joined by the Redis Streams event log. The persistence process is killed
 * with SIGKILL mid-flow and restarted; every message must be persisted exactly once. Then both
 * stop on SIGTERM with exit code 0.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import { CredentialStore } from '../src/services/credentials.js';
import { PG_URL, REDIS_URL } from './helpers/env.js';
import { fleet } from '../src/services/simulator.js';
import { runFleet } from './helpers/fleet.js';
import { dropSchema, pgQuery, randomSchema, waitFor } from './helpers/harness.js';
import { startServer, type ServerProcess } from './helpers/process.js';

const schema = randomSchema();
const prefix = `test:iot:${randomBytes(4).toString('hex')}`;
const procs: ServerProcess[] = [];

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
  await dropSchema(schema);
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
});

describe('IOT_ROLE=broker + IOT_ROLE=persist over Redis Streams', () => {
  it('persists every message exactly once although the persistence process is killed and restarted mid-flow', async () => {
    const common = { DATABASE_URL: PG_URL, DB_SCHEMA: schema, EVENT_LOG: 'redis', REDIS_URL, EVENT_LOG_PREFIX: prefix, EVENT_LOG_CLAIM_IDLE_MS: '1000', PERSIST_FLUSH_MS: '50', PERSIST_BATCH_SIZE: '500' };
    const broker = await startServer({ ...common, IOT_ROLE: 'broker' });
    procs.push(broker);
    let persist = await startServer({ ...common, IOT_ROLE: 'persist' });
    procs.push(persist);

    const db = await openDatabase({ url: PG_URL, schema, poolSize: 2 });
    const tokens = new Map<string, string>();
    try {
      const store = new CredentialStore(db);
      for (const car of fleet(20, 11, 0)) tokens.set(car.vin, await store.addVehicle(car.vin));
    } finally {
      await db.close();
    }
    const count = async () => (await pgQuery<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.telemetry`))[0]!.n;
    const sim = runFleet({ brokerUrl: `mqtt://127.0.0.1:${broker.mqttPort}`, cars: 20, messagesPerCar: 500, intervalMs: 0, qos: 1, seed: 11, seqStart: 0, tokens }, 90_000);

    await waitFor('some rows persisted', async () => (await count()) > 1500, 60_000, 100);
    persist.child.kill('SIGKILL');
    expect(await persist.exited).toBe('SIGKILL');
    const before = await count();
    persist = await startServer({ ...common, IOT_ROLE: 'persist' });
    procs.push(persist);

    const stats = await sim;
    expect({ sent: stats.sent, acked: stats.acked, errors: stats.errors }).toEqual({ sent: 10_000, acked: 10_000, errors: 0 });
    await waitFor('10,000 rows', async () => (await count()) >= 10_000, 60_000, 200);
    const [r] = await pgQuery<{ n: number; keys: number }>(`SELECT count(*)::int AS n, count(DISTINCT (vin, seq))::int AS keys FROM ${schema}.telemetry`);
    expect(r).toEqual({ n: 10_000, keys: 10_000 });
    expect(before).toBeLessThan(10_000);

    for (const p of [broker, persist]) p.child.kill('SIGTERM');
    expect(await broker.exited).toBe(0);
    expect(await persist.exited).toBe(0);
  }, 180_000);
});
