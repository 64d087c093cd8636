/**
 * Platform events: publishing `Car_Telemetry_Alert__e` through REST, `/composite` and sObject
 * Collections (Salesforce's OPERATION_ENQUEUED save results, field validation, publish after
 * commit) and receiving them on `/event/Car_Telemetry_Alert__e` with jsforce and in-process.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../src/index.js';
import { call } from './utils/org-fixture.js';
import { startStreamingOrg, Subscriber, sleep } from './utils/streaming-fixture.js';

const CHANNEL = '/event/Car_Telemetry_Alert__e';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let org: LocalOrg;
let base: string;
const open: Subscriber[] = [];

beforeAll(async () => {
  org = await startStreamingOrg();
  base = `/services/data/v${org.apiVersion}`;
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
afterAll(async () => {
  await org?.stop();
});

async function subscriber(): Promise<Subscriber> {
  const s = await Subscriber.open(org, CHANNEL);
  open.push(s);
  return s;
}

const alert = (vin: string, extra: Record<string, unknown> = {}) => ({ VIN__c: vin, Alert_Type__c: 'Battery_Temperature', ...extra });

describe('publishing over REST', () => {
  it('answers 201 with OPERATION_ENQUEUED and the EventUuid, and delivers the event with a replay id', async () => {
    const s = await subscriber();
    const r = await call(org, 'POST', `${base}/sobjects/Car_Telemetry_Alert__e`, alert('1HGCM82633A004352', { Severity__c: 'Critical' }));
    expect(r.status).toBe(201);
    const body = r.body as { id: string; success: boolean; errors: { statusCode: string; message: string; fields: string[] }[] };
    expect(body.success).toBe(true);
    expect(body.id).toMatch(/^e[0-9A-Za-z]{17}$/);
    expect(body.errors).toEqual([{ statusCode: 'OPERATION_ENQUEUED', message: expect.stringMatching(UUID), fields: [] }]);

    const [m] = await s.waitFor(1);
    expect(m!.payload).toEqual({
      CreatedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      CreatedById: org.userId,
      EventUuid: body.errors[0]!.message,
      VIN__c: '1HGCM82633A004352',
      Alert_Type__c: 'Battery_Temperature',
      Message__c: null,
      Severity__c: 'Critical',
    });
    expect(m!.event.replayId).toBeGreaterThan(0);
    expect(m!.schema).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('validates fields like a record: unknown field, system field, missing required field, wrong type', async () => {
    const s = await subscriber();
    const post = (b: unknown) => call(org, 'POST', `${base}/sobjects/Car_Telemetry_Alert__e`, b);
    expect(await post(alert('V1', { Speed__c: 1 }))).toMatchObject({
      status: 400,
      body: [{ errorCode: 'INVALID_FIELD', message: "No such column 'Speed__c' on sobject of type Car_Telemetry_Alert__e", fields: ['Speed__c'] }],
    });
    expect(await post(alert('V1', { EventUuid: 'mine' }))).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['EventUuid'] }] });
    expect(await post({ Alert_Type__c: 'X' })).toMatchObject({
      status: 400,
      body: [{ errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [VIN__c]', fields: ['VIN__c'] }],
    });
    expect(await post(alert('V1', { Message__c: { nested: true } }))).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD' }] });
    expect(await post(alert('TOO-LONG-FOR-A-VIN-FIELD'))).toMatchObject({ status: 400, body: [{ errorCode: 'STRING_TOO_LONG' }] });
    expect((await post(alert('V-OK'))).status).toBe(201);
    await s.waitFor(1);
    await sleep(300);
    expect(s.received.map((m) => m.payload['VIN__c'])).toEqual(['V-OK']);
  });

  it('stores no record: the event object has no rows to query', async () => {
    await call(org, 'POST', `${base}/sobjects/Car_Telemetry_Alert__e`, alert('NOROW'));
    const rows = await org.runtime.db.query(`SELECT 1 FROM "Car_Telemetry_Alert__e"`);
    expect(rows.rows).toHaveLength(0);
  });
});

describe('publishing in composite requests', () => {
  it('publishes inside /composite with the records, after the commit', async () => {
    const s = await subscriber();
    const r = await call(org, 'POST', `${base}/composite`, {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: `${base}/sobjects/Vehicle__c`, referenceId: 'car', body: { Name: 'Alerting car', VIN__c: 'PEV00000000000001' } },
        { method: 'POST', url: `${base}/sobjects/Car_Telemetry_Alert__e`, referenceId: 'a1', body: alert('PEV00000000000001', { Message__c: '@{car.id}' }) },
        { method: 'POST', url: `${base}/sobjects/Car_Telemetry_Alert__e`, referenceId: 'a2', body: alert('PEV00000000000001', { Severity__c: 'Info' }) },
      ],
    });
    const results = (r.body as { compositeResponse: { httpStatusCode: number; body: { id: string; errors: { statusCode: string }[] } }[] }).compositeResponse;
    expect(results.map((x) => x.httpStatusCode)).toEqual([201, 201, 201]);
    expect(results[1]!.body.errors[0]?.statusCode).toBe('OPERATION_ENQUEUED');
    const got = await s.waitFor(2);
    expect(got.map((m) => m.payload['Message__c'])).toEqual([results[0]!.body.id, null]);
    expect(got[1]!.event.replayId).toBeGreaterThan(got[0]!.event.replayId);
  });

  it('publishes nothing when the all-or-none composite rolls back', async () => {
    const s = await subscriber();
    await call(org, 'POST', `${base}/composite`, {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: `${base}/sobjects/Car_Telemetry_Alert__e`, referenceId: 'a1', body: alert('ROLLEDBACK') },
        { method: 'POST', url: `${base}/sobjects/Vehicle__c`, referenceId: 'bad', body: { Name: 'No VIN' } },
      ],
    });
    await call(org, 'POST', `${base}/sobjects/Car_Telemetry_Alert__e`, alert('MARKER'));
    await s.waitFor(1);
    await sleep(300);
    expect(s.received.map((m) => m.payload['VIN__c'])).toEqual(['MARKER']);
  });

  it('publishes through sObject Collections with one save result per event', async () => {
    const s = await subscriber();
    const r = await call(org, 'POST', `${base}/composite/sobjects`, {
      allOrNone: false,
      records: [
        { attributes: { type: 'Car_Telemetry_Alert__e' }, ...alert('COLL1') },
        { attributes: { type: 'Car_Telemetry_Alert__e' }, Alert_Type__c: 'No VIN' },
        { attributes: { type: 'Car_Telemetry_Alert__e' }, ...alert('COLL3') },
      ],
    });
    const results = r.body as { success: boolean; errors: { statusCode: string; message: string }[] }[];
    expect(results.map((x) => [x.success, x.errors[0]?.statusCode])).toEqual([
      [true, 'OPERATION_ENQUEUED'],
      [false, 'REQUIRED_FIELD_MISSING'],
      [true, 'OPERATION_ENQUEUED'],
    ]);
    const got = await s.waitFor(2);
    expect(got.map((m) => [m.payload['VIN__c'], m.payload['EventUuid']])).toEqual([
      ['COLL1', results[0]!.errors[0]!.message],
      ['COLL3', results[2]!.errors[0]!.message],
    ]);
  });
});

describe('the programmatic API', () => {
  it('publishes and subscribes in-process with the CometD message shape', async () => {
    const got: { channel: string; vin: unknown; replayId: number }[] = [];
    const stop = await org.subscribe(CHANNEL, (m) => got.push({ channel: m.channel, vin: m.data.payload['VIN__c'], replayId: m.data.event.replayId }));
    const s = await subscriber();
    const published = await org.publish('Car_Telemetry_Alert__e', alert('HANDLE1'));
    expect(published).toEqual({ id: expect.stringMatching(/^e/), eventUuid: expect.stringMatching(UUID) });
    const [viaCometd] = await s.waitFor(1);
    await expect.poll(() => got.length, { timeout: 5000 }).toBe(1);
    expect(got[0]).toEqual({ channel: CHANNEL, vin: 'HANDLE1', replayId: viaCometd!.event.replayId });
    stop();
    await org.publish('Car_Telemetry_Alert__e', alert('HANDLE2'));
    await s.waitFor(2);
    expect(got).toHaveLength(1);
  });

  it('rejects what REST would reject', async () => {
    await expect(org.publish('Car_Telemetry_Alert__e', { Alert_Type__c: 'x' })).rejects.toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING' });
    await expect(org.publish('Account', { Name: 'x' })).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    await expect(org.subscribe('/event/Nope__e', () => undefined)).rejects.toMatchObject({
      errorCode: 'INVALID_CHANNEL',
      message: '400::The channel you requested to subscribe to does not exist {/event/Nope__e}',
    });
  });
});
