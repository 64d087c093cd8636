/**
 * Authentication and ACL over real MQTT clients, TCP and WebSocket: refusals with the right codes,
 * revocation that disconnects, per-VIN topics, service users, the $SYS guard.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeTelemetry, sampleTelemetry, topics } from '@ecars/telemetry';
import { connect, metric, once, randomVin, startApp, subscribeCodes, waitFor, type Running } from './helpers/harness.js';

let run: Running;
beforeEach(async () => {
  run = await startApp();
});
afterEach(async () => {
  await run.close();
});

describe.each(['tcp', 'ws'] as const)('authentication over %s', (transport) => {
  const url = () => (transport === 'tcp' ? run.mqttUrl : run.wsUrl);

  it('refuses a connection without credentials with CONNACK 4', async () => {
    await expect(connect(url())).rejects.toMatchObject({ code: 4 });
    expect(await metric(run.app, 'iot_refused_total', { action: 'connect', reason: 'no_credentials' })).toBe(1);
  });

  it('refuses a wrong token with CONNACK 4 and an unknown VIN with CONNACK 4', async () => {
    const vin = randomVin();
    await run.app.iot.credentials.addVehicle(vin);
    await expect(connect(url(), { username: vin, password: 'not-the-token' })).rejects.toMatchObject({ code: 4 });
    await expect(connect(url(), { username: randomVin(), password: 'whatever' })).rejects.toMatchObject({ code: 4 });
    expect(await metric(run.app, 'iot_refused_total', { reason: 'bad_token' })).toBe(1);
    expect(await metric(run.app, 'iot_refused_total', { reason: 'unknown_user' })).toBe(1);
  });

  it('accepts the device token, then refuses it with CONNACK 5 once revoked, and revocation disconnects', async () => {
    const vin = randomVin();
    const token = await run.app.iot.credentials.addVehicle(vin);
    const car = await connect(url(), { username: vin, password: token });
    const closed = once(car, 'close');
    await run.app.iot.credentials.revokeVehicle(vin);
    await closed;
    await expect(connect(url(), { username: vin, password: token })).rejects.toMatchObject({ code: 5 });
    car.end(true);
  });
});

describe('ACL', () => {
  async function car() {
    const vin = randomVin();
    const token = await run.app.iot.credentials.addVehicle(vin);
    return { vin, client: await connect(run.mqttUrl, { username: vin, password: token }) };
  }

  it("closes the connection of a car that publishes on another car's topic", async () => {
    const a = await car();
    const closed = once(a.client, 'close');
    a.client.publish(topics.telemetry(randomVin()), encodeTelemetry(sampleTelemetry({ vin: a.vin })), { qos: 0 });
    await closed;
    expect(await metric(run.app, 'iot_refused_total', { action: 'publish', reason: 'foreign_topic' })).toBe(1);
  });

  it('closes the connection of a client publishing under $SYS/', async () => {
    const a = await car();
    const closed = once(a.client, 'close');
    a.client.publish('$SYS/broker/clients/kick', 'x');
    await closed;
    expect(await metric(run.app, 'iot_refused_total', { action: 'publish', reason: 'reserved_topic' })).toBe(1);
  });

  it("answers SUBACK 0x80 for another car's commands and grants the car's own", async () => {
    const a = await car();
    expect(await subscribeCodes(a.client, [topics.commands(randomVin()), topics.commands(a.vin), topics.allTelemetry])).toEqual([128, 1, 128]);
    expect(a.client.connected).toBe(true);
    expect(await metric(run.app, 'iot_refused_total', { action: 'subscribe' })).toBe(2);
    a.client.end(true);
  });

  it('lets a service user subscribe to every car and publish commands, a car receive its own commands only', async () => {
    const token = await run.app.iot.credentials.addServiceUser('dashboard', { subscribe: [topics.allTelemetry], publish: ['ecars/vehicles/+/commands'] });
    const svc = await connect(run.mqttUrl, { username: 'dashboard', password: token });
    expect(await subscribeCodes(svc, topics.allTelemetry)).toEqual([1]);
    expect(await subscribeCodes(svc, 'ecars/#', 0)).toEqual([128]);
    const a = await car();
    const b = await car();
    await a.client.subscribeAsync(topics.commands(a.vin), { qos: 1 });
    await b.client.subscribeAsync(topics.commands(b.vin), { qos: 1 });
    const got = once<string>(svc, "message");
    await a.client.publishAsync(topics.telemetry(a.vin), encodeTelemetry(sampleTelemetry({ vin: a.vin })), { qos: 1 });
    expect(await got).toBe(topics.telemetry(a.vin));
    const cmd = once<string>(a.client, 'message');
    let bGot = 0;
    b.client.on('message', () => bGot++);
    await svc.publishAsync(topics.commands(a.vin), '{"honk":true}', { qos: 1 });
    expect(await cmd).toBe(topics.commands(a.vin));
    expect(bGot).toBe(0);
    for (const c of [svc, a.client, b.client]) c.end(true);
  });

  it('refuses mosquitto_pub with a wrong password', async () => {
    const vin = randomVin();
    await run.app.iot.credentials.addVehicle(vin);
    const port = String(run.app.iot.mqttPort);
    const err = await promisify(execFile)('mosquitto_pub', ['-h', '127.0.0.1', '-p', port, '-u', vin, '-P', 'wrong', '-t', topics.telemetry(vin), '-m', 'x', '-V', 'mqttv311'], { timeout: 5000 }).then(
      () => null,
      (e: { stderr: string }) => e,
    );
    expect(err?.stderr).toMatch(/not authori[sz]ed|bad user name or password/i);
    await waitFor('the refusal to be counted', async () => (await metric(run.app, 'iot_refused_total', { reason: 'bad_token' })) === 1, 3000);
  });
});
