/**
 * Ingest: invalid payloads are dropped, counted per reason and sampled to the dead-letter table
 * while the car stays connected; random bytes never crash the broker; status is retained and the
 * will says offline; QoS 0 reaches subscribers and the database.
 */
import { connect as netConnect } from 'node:net';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeTelemetry, sampleTelemetry, topics } from '@ecars/telemetry';
import { connect, metric, once, pgQuery, randomVin, startApp, waitFor, type Running } from './helpers/harness.js';

let run: Running;
beforeEach(async () => {
  run = await startApp({ persist: { flushMs: 20 } });
});
afterEach(async () => {
  await run.close();
});

async function car(url = run.mqttUrl) {
  const vin = randomVin();
  const token = await run.app.iot.credentials.addVehicle(vin);
  return { vin, token, client: await connect(url, { username: vin, password: token }) };
}

describe('ingest validation', () => {
  it('drops invalid telemetry, counts it per reason, samples it to the dead-letter table, and keeps the car connected', async () => {
    const a = await car();
    const t = topics.telemetry(a.vin);
    await a.client.publishAsync(t, 'not json', { qos: 1 });
    await a.client.publishAsync(t, JSON.stringify({ ...sampleTelemetry({ vin: a.vin }), lat: '37.7' }), { qos: 1 });
    await a.client.publishAsync(t, encodeTelemetry(sampleTelemetry({ vin: randomVin() })), { qos: 1 });
    await a.client.publishAsync(t, Buffer.alloc(17 * 1024, 0x20), { qos: 1 });
    await a.client.publishAsync(t, encodeTelemetry(sampleTelemetry({ vin: a.vin, seq: 1 })), { qos: 1 });
    expect(a.client.connected).toBe(true);
    for (const reason of ['not_json', 'schema', 'vin_mismatch', 'too_large']) {
      expect(await metric(run.app, 'iot_messages_invalid_total', { reason })).toBe(1);
    }
    expect(await metric(run.app, 'iot_messages_in_total')).toBe(1);
    await waitFor('dead letters', async () => (await pgQuery(`SELECT 1 FROM ${run.schema}.telemetry_dead_letter`)).length === 4, 5000);
    // Samples are written in the background on pooled connections: compare as a set.
    const dl = await pgQuery<{ reason: string; username: string; topic: string }>(`SELECT reason, username, topic FROM ${run.schema}.telemetry_dead_letter ORDER BY reason`);
    expect(dl).toEqual(['not_json', 'schema', 'too_large', 'vin_mismatch'].map((reason) => ({ reason, username: a.vin, topic: t })));
    await waitFor('the valid row', async () => (await pgQuery(`SELECT 1 FROM ${run.schema}.telemetry WHERE vin = $1`, [a.vin])).length === 1, 5000);
    a.client.end(true);
  });

  it('never delivers an invalid message to subscribers', async () => {
    const token = await run.app.iot.credentials.addServiceUser('watcher', { subscribe: ['ecars/vehicles/+/telemetry'] });
    const svc = await connect(run.mqttUrl, { username: 'watcher', password: token });
    await svc.subscribeAsync(topics.allTelemetry, { qos: 1 });
    const got: string[] = [];
    svc.on('message', (_t, p) => got.push(JSON.parse(p.toString()).seq));
    const a = await car();
    await a.client.publishAsync(topics.telemetry(a.vin), '{"v":2}', { qos: 1 });
    await a.client.publishAsync(topics.telemetry(a.vin), encodeTelemetry(sampleTelemetry({ vin: a.vin, seq: 9 })), { qos: 1 });
    await waitFor('the valid message', () => got.length === 1, 5000);
    expect(got).toEqual([9]);
    for (const c of [svc, a.client]) c.end(true);
  });

  it('survives random bytes on raw TCP and random payloads from an authenticated car', async () => {
    const port = run.app.iot.mqttPort!;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 512 }), async (bytes) => {
        const s = netConnect(port, '127.0.0.1');
        await once(s, 'connect', 2000);
        s.write(bytes);
        s.end();
        await once(s, 'close', 5000);
      }),
      { numRuns: 40 },
    );
    const a = await car();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 4096 }), fc.jsonValue({ maxDepth: 6 }).map((j) => JSON.stringify(j) ?? '')), async (payload) => {
        await a.client.publishAsync(topics.telemetry(a.vin), typeof payload === 'string' ? payload : Buffer.from(payload), { qos: 1 });
      }),
      { numRuns: 150 },
    );
    expect(a.client.connected).toBe(true);
    const res = await run.app.inject({ method: 'GET', url: '/health' });
    expect(res.json()).toMatchObject({ status: 'ok' });
    a.client.end(true);
  });
});

describe('status and QoS 0', () => {
  it('retains the last status and publishes the will (offline) when a car drops', async () => {
    const vin = randomVin();
    const token = await run.app.iot.credentials.addVehicle(vin);
    const will = { v: 1, vin, online: false, ts: Date.now() };
    const a = await connect(run.mqttUrl, { username: vin, password: token, will: { topic: topics.status(vin), payload: Buffer.from(JSON.stringify(will)), qos: 1, retain: true } });
    await a.publishAsync(topics.status(vin), JSON.stringify({ v: 1, vin, online: true, ts: Date.now() }), { qos: 1, retain: true });
    const svcToken = await run.app.iot.credentials.addServiceUser('fleet', { subscribe: [topics.allStatus] });
    const svc = await connect(run.mqttUrl, { username: 'fleet', password: svcToken });
    const first = once<string>(svc, 'message');
    const statuses: Array<{ online: boolean }> = [];
    svc.on('message', (_t, p) => statuses.push(JSON.parse(p.toString())));
    await svc.subscribeAsync(topics.allStatus, { qos: 1 });
    await first;
    expect(statuses[0]).toMatchObject({ vin, online: true });
    a.stream.destroy(); // no DISCONNECT: the broker publishes the will
    await waitFor('the will', () => statuses.length === 2, 5000);
    expect(statuses[1]).toMatchObject({ vin, online: false });
    svc.end(true);
    a.end(true);
  });

  it('delivers and persists QoS 0 telemetry, over WebSocket too', async () => {
    const a = await car(run.wsUrl);
    for (let seq = 0; seq < 20; seq++) a.client.publish(topics.telemetry(a.vin), encodeTelemetry(sampleTelemetry({ vin: a.vin, seq })), { qos: 0 });
    await waitFor('20 rows', async () => (await pgQuery(`SELECT 1 FROM ${run.schema}.telemetry WHERE vin = $1`, [a.vin])).length === 20, 10_000);
    expect(await metric(run.app, 'iot_messages_in_total', { qos: '0' })).toBe(20);
    a.client.end(true);
  });

  it('answers /health with every check and /metrics in Prometheus text', async () => {
    const a = await car();
    const health = await run.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok', role: 'all', checks: { broker: true, eventLog: true, database: true }, connectedVehicles: 1, persistenceLag: 0 });
    const m = await run.app.inject({ method: 'GET', url: '/metrics' });
    expect(m.headers['content-type']).toMatch(/^text\/plain/);
    expect(m.body).toMatch(/^iot_connected_vehicles 1$/m);
    expect(m.body).toMatch(/^iot_event_log_lag\{group="persistence"\} 0$/m);
    a.client.end(true);
  });
});

