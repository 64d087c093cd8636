/**
 * Backpressure and slow consumers. The database is made slower than ingest by locking THIS test's
 * own telemetry table (private schema) from another connection — the shared PostgreSQL is never
 * paused. QoS 1 publishers must be slowed (PUBACK withheld) and lose nothing; QoS 0 overflow is
 * dropped and counted. A subscriber that stops reading is cut off after drainTimeout instead of
 * stalling delivery to everyone else.
 */
import type { Socket } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeTelemetry, sampleTelemetry, topics } from '@ecars/telemetry';
import { PG_URL } from './helpers/env.js';
import { connect, metric, pgQuery, randomVin, startApp, waitFor, type Running } from './helpers/harness.js';

let run: Running | null = null;
afterEach(async () => {
  await run?.close();
  run = null;
});

describe('backpressure', () => {
  it('withholds PUBACK from QoS 1 cars while the database is blocked, drops and counts QoS 0, and loses no QoS 1 message', async () => {
    run = await startApp({ eventLog: { kind: 'memory', maxBuffered: 100 }, persist: { batchSize: 50, flushMs: 10, consumers: 1 } });
    const vin = randomVin();
    const token = await run.app.iot.credentials.addVehicle(vin);
    const car = await connect(run.mqttUrl, { username: vin, password: token });
    const vin0 = randomVin();
    const car0 = await connect(run.mqttUrl, { username: vin0, password: await run.app.iot.credentials.addVehicle(vin0) });

    const locker = new pg.Client({ connectionString: PG_URL });
    await locker.connect();
    let locked = true;
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${run.schema}.telemetry IN ACCESS EXCLUSIVE MODE`);
      let acked = 0;
      const all = Array.from({ length: 400 }, (_, seq) =>
        car.publishAsync(topics.telemetry(vin), encodeTelemetry(sampleTelemetry({ vin, seq })), { qos: 1 }).then(() => acked++),
      );
      await waitFor('the event log to saturate', () => run!.app.iot.eventLog.saturated, 10_000);
      // Saturated: QoS 0 is dropped (and counted), not queued.
      for (let seq = 0; seq < 30; seq++) car0.publish(topics.telemetry(vin0), encodeTelemetry(sampleTelemetry({ vin: vin0, seq })), { qos: 0 });
      await waitFor('QoS 0 drops', async () => (await metric(run!.app, 'iot_messages_dropped_total')) === 30, 5000);
      expect(acked).toBeLessThanOrEqual(100);
      expect(await metric(run.app, 'iot_puback_withheld_total')).toBeGreaterThan(0);
      expect(car.connected).toBe(true);

      await locker.query('COMMIT');
      locked = false;
      await Promise.all(all);
      expect(acked).toBe(400);
      await waitFor('400 rows', async () => (await pgQuery(`SELECT 1 FROM ${run!.schema}.telemetry WHERE vin = $1`, [vin])).length === 400, 20_000, 50);
      const [r] = await pgQuery<{ n: number; lo: number; hi: number }>(`SELECT count(DISTINCT seq)::int AS n, min(seq)::int AS lo, max(seq)::int AS hi FROM ${run.schema}.telemetry WHERE vin = $1`, [vin]);
      expect(r).toEqual({ n: 400, lo: 0, hi: 399 });
      const [q0] = await pgQuery<{ n: number }>(`SELECT count(*)::int AS n FROM ${run.schema}.telemetry WHERE vin = $1`, [vin0]);
      expect(q0!.n).toBe(0);
    } finally {
      if (locked) await locker.query('ROLLBACK').catch(() => {});
      await locker.end();
      car.end(true);
      car0.end(true);
    }
  }, 60_000);
});

describe('slow subscribers', () => {
  it('disconnects a subscriber that stops reading after drainTimeout, and the others keep receiving', async () => {
    run = await startApp({ drainTimeoutMs: 300 });
    const { credentials } = run.app.iot;
    const pubToken = await credentials.addServiceUser('loader', { publish: ['ecars/test/#'] });
    const subToken = await credentials.addServiceUser('reader', { subscribe: ['ecars/test/#'] });
    const stuck = await connect(run.mqttUrl, { username: 'reader', password: subToken, clientId: 'stuck' });
    const healthy = await connect(run.mqttUrl, { username: 'reader', password: subToken, clientId: 'healthy' });
    await stuck.subscribeAsync('ecars/test/#', { qos: 0 });
    await healthy.subscribeAsync('ecars/test/#', { qos: 0 });
    let received = 0;
    healthy.on('message', () => received++);
    let stuckClosed = false;
    run.app.iot.broker!.aedes.on('clientDisconnect', (c) => {
      if (c.id === 'stuck') stuckClosed = true;
    });
    // The stuck client stops reading: its socket buffers fill and writes stop draining.
    (stuck.stream as Socket).pause();
    const loader = await connect(run.mqttUrl, { username: 'loader', password: pubToken });
    const blob = Buffer.alloc(64 * 1024, 0x61);
    const n = 600; // ~38 MB: more than loopback socket buffers hold
    for (let i = 0; i < n; i++) await loader.publishAsync('ecars/test/blob', blob, { qos: 1 });
    await waitFor('the healthy subscriber to receive everything', () => received === n, 30_000);
    expect(stuckClosed).toBe(true);
    for (const c of [stuck, healthy, loader]) c.end(true);
  }, 60_000);
});
