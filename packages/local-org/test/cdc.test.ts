/**
 * Change Data Capture through jsforce's `conn.streaming`: what REST, composite, collection and
 * Bulk API 2.0 writes of a CDC-enabled entity (force-app enables `Vehicle__c`) deliver on
 * `/data/Vehicle__ChangeEvent`, header and body, like Salesforce's CometD events.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../src/index.js';
import { call, connect } from './utils/org-fixture.js';
import { startStreamingOrg, Subscriber, type EventData } from './utils/streaming-fixture.js';

let org: LocalOrg;
let base: string;
const open: Subscriber[] = [];
let vins = 0;
const vin = () => `CDC${String(++vins).padStart(14, '0')}`;

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

async function subscriber(channel = '/data/Vehicle__ChangeEvent'): Promise<Subscriber> {
  const s = await Subscriber.open(org, channel);
  open.push(s);
  return s;
}

const header = (m: EventData | undefined) => m?.payload.ChangeEventHeader;

describe('change events of REST writes', () => {
  it('delivers CREATE, UPDATE and DELETE of a Vehicle__c in order, with Salesforce\'s header and body', async () => {
    const s = await subscriber();
    const v = vin();
    const created = await call(org, 'POST', `${base}/sobjects/Vehicle__c`, { Name: 'Neutron 1', VIN__c: v, Model__c: 'Neutron', Price__c: 42000 });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect((await call(org, 'PATCH', `${base}/sobjects/Vehicle__c/${id}`, { Price__c: 39999.5, Model__c: null, Name: 'Neutron 1' })).status).toBe(204);
    expect((await call(org, 'DELETE', `${base}/sobjects/Vehicle__c/${id}`)).status).toBe(204);

    const [create, update, remove] = await s.waitFor(3);
    expect([header(create)?.changeType, header(update)?.changeType, header(remove)?.changeType]).toEqual(['CREATE', 'UPDATE', 'DELETE']);
    const replayIds = [create, update, remove].map((m) => m!.event.replayId);
    expect(replayIds[0]).toBeLessThan(replayIds[1]!);
    expect(replayIds[1]).toBeLessThan(replayIds[2]!);
    for (const m of [create, update, remove]) {
      expect(header(m)).toMatchObject({
        entityName: 'Vehicle__c',
        recordIds: [id],
        changeOrigin: '',
        sequenceNumber: 1,
        commitUser: org.userId,
        diffFields: [],
      });
      expect(m!.schema).toMatch(/^[A-Za-z0-9_-]{22}$/);
    }
    // Separate requests are separate transactions.
    expect(new Set([create, update, remove].map((m) => header(m)?.transactionKey)).size).toBe(3);
    expect(header(create)!.commitNumber).toBeLessThan(header(update)!.commitNumber);

    // CREATE: every non-empty field (system fields included), empty changedFields.
    expect(header(create)).toMatchObject({ changedFields: [], nulledFields: [] });
    const { ChangeEventHeader: _h, ...createBody } = create!.payload;
    expect(createBody).toEqual({
      Name: 'Neutron 1',
      VIN__c: v,
      Model__c: 'Neutron',
      Price__c: 42000,
      Status__c: 'Available',
      OwnerId: org.userId,
      CreatedById: org.userId,
      CreatedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      LastModifiedById: org.userId,
      LastModifiedDate: createBody['CreatedDate'],
    });
    expect(header(create)!.commitTimestamp).toBe(Date.parse(createBody['CreatedDate'] as string));

    // UPDATE: only what changed (Name did not) plus LastModifiedDate; the cleared field is nulled.
    expect(header(update)).toMatchObject({ changedFields: ['Model__c', 'Price__c', 'LastModifiedDate'], nulledFields: ['Model__c'] });
    const { ChangeEventHeader: _u, ...updateBody } = update!.payload;
    expect(updateBody).toEqual({ Model__c: null, Price__c: 39999.5, LastModifiedDate: expect.stringMatching(/Z$/) });

    // DELETE: the header only.
    expect(header(remove)).toMatchObject({ changedFields: [], nulledFields: [] });
    expect(Object.keys(remove!.payload)).toEqual(['ChangeEventHeader']);
  });

  it('delivers nothing for an update that changes no value', async () => {
    const s = await subscriber();
    const created = await call(org, 'POST', `${base}/sobjects/Vehicle__c`, { Name: 'Same', VIN__c: vin() });
    const id = (created.body as { id: string }).id;
    expect((await call(org, 'PATCH', `${base}/sobjects/Vehicle__c/${id}`, { Name: 'Same' })).status).toBe(204);
    expect((await call(org, 'PATCH', `${base}/sobjects/Vehicle__c/${id}`, { Name: 'Changed' })).status).toBe(204);
    const got = await s.waitFor(2);
    expect(got.map((m) => header(m)?.changeType)).toEqual(['CREATE', 'UPDATE']);
    expect(got[1]!.payload['Name']).toBe('Changed');
  });

  it('delivers nothing for a write that failed', async () => {
    const s = await subscriber();
    const bad = await call(org, 'POST', `${base}/sobjects/Vehicle__c`, { Name: 'No VIN' });
    expect(bad.status).toBe(400);
    const ok = await call(org, 'POST', `${base}/sobjects/Vehicle__c`, { Name: 'After failure', VIN__c: vin() });
    expect(ok.status).toBe(201);
    const [first] = await s.waitFor(1);
    expect(first!.payload['Name']).toBe('After failure');
  });
});

describe('change events of composite, collection and bulk writes', () => {
  it('gives the three creates of one composite graph one transaction key and sequence numbers 1..3', async () => {
    const s = await subscriber();
    const compositeRequest = [1, 2, 3].map((n) => ({
      method: 'POST',
      url: `${base}/sobjects/Vehicle__c`,
      referenceId: `v${n}`,
      body: { Name: `Graph ${n}`, VIN__c: vin() },
    }));
    const r = await call(org, 'POST', `${base}/composite/graph`, { graphs: [{ graphId: 'g1', compositeRequest }] });
    expect(r.status).toBe(200);
    expect((r.body as { graphs: { isSuccessful: boolean }[] }).graphs[0]?.isSuccessful).toBe(true);
    const got = await s.waitFor(3);
    expect(got.map((m) => m.payload['Name'])).toEqual(['Graph 1', 'Graph 2', 'Graph 3']);
    expect(got.map((m) => header(m)?.sequenceNumber)).toEqual([1, 2, 3]);
    expect(new Set(got.map((m) => header(m)?.transactionKey)).size).toBe(1);
    expect(new Set(got.map((m) => header(m)?.commitNumber)).size).toBe(1);
    expect(new Set(got.map((m) => header(m)?.commitTimestamp)).size).toBe(1);
  });

  it('delivers nothing for a composite graph that rolled back', async () => {
    const s = await subscriber();
    const compositeRequest = [
      { method: 'POST', url: `${base}/sobjects/Vehicle__c`, referenceId: 'ok', body: { Name: 'Rolled back', VIN__c: vin() } },
      { method: 'POST', url: `${base}/sobjects/Vehicle__c`, referenceId: 'bad', body: { Name: 'No VIN' } },
    ];
    const r = await call(org, 'POST', `${base}/composite/graph`, { graphs: [{ graphId: 'g1', compositeRequest }] });
    expect((r.body as { graphs: { isSuccessful: boolean }[] }).graphs[0]?.isSuccessful).toBe(false);
    expect((await call(org, 'POST', `${base}/sobjects/Vehicle__c`, { Name: 'Marker', VIN__c: vin() })).status).toBe(201);
    const [first] = await s.waitFor(1);
    expect(first!.payload['Name']).toBe('Marker');
  });

  it('gives the records of one sObject Collections call one transaction, separate calls separate ones', async () => {
    const s = await subscriber();
    const records = (names: string[]) => names.map((Name) => ({ attributes: { type: 'Vehicle__c' }, Name, VIN__c: vin() }));
    const first = await call(org, 'POST', `${base}/composite/sobjects`, { allOrNone: true, records: records(['C1', 'C2']) });
    expect((first.body as { success: boolean }[]).map((x) => x.success)).toEqual([true, true]);
    await call(org, 'POST', `${base}/composite/sobjects`, { allOrNone: true, records: records(['C3']) });
    const got = await s.waitFor(3);
    expect(got.map((m) => [m.payload['Name'], header(m)?.sequenceNumber])).toEqual([
      ['C1', 1],
      ['C2', 2],
      ['C3', 1],
    ]);
    expect(header(got[0])?.transactionKey).toBe(header(got[1])?.transactionKey);
    expect(header(got[2])?.transactionKey).not.toBe(header(got[0])?.transactionKey);
  });

  it('delivers one DELETE per record of a collection delete', async () => {
    const created = await call(org, 'POST', `${base}/composite/sobjects`, {
      records: ['D1', 'D2'].map((Name) => ({ attributes: { type: 'Vehicle__c' }, Name, VIN__c: vin() })),
    });
    const ids = (created.body as { id: string }[]).map((x) => x.id);
    const s = await subscriber();
    expect((await call(org, 'DELETE', `${base}/composite/sobjects?ids=${ids.join(',')}`)).status).toBe(200);
    const got = await s.waitFor(2);
    expect(got.map((m) => [header(m)?.changeType, header(m)?.recordIds])).toEqual([
      ['DELETE', [ids[0]]],
      ['DELETE', [ids[1]]],
    ]);
  });

  it('delivers one CREATE per record of a Bulk API 2.0 insert, the internal batch being one transaction', async () => {
    const s = await subscriber();
    const conn = connect(org);
    conn.bulk2.pollInterval = 25;
    const csv = `Name,VIN__c\nBulk A,${vin()}\nBulk B,${vin()}\nBulk C,${vin()}\n`;
    const { successfulResults } = await conn.bulk2.loadAndWaitForResults({ object: 'Vehicle__c', operation: 'insert', input: csv });
    expect(successfulResults).toHaveLength(3);
    const got = await s.waitFor(3);
    expect(got.map((m) => [m.payload['Name'], header(m)?.changeType, header(m)?.sequenceNumber])).toEqual([
      ['Bulk A', 'CREATE', 1],
      ['Bulk B', 'CREATE', 2],
      ['Bulk C', 'CREATE', 3],
    ]);
    expect(got.map((m) => header(m)?.recordIds[0])).toEqual(successfulResults.map((r) => r.sf__Id));
    expect(new Set(got.map((m) => header(m)?.transactionKey)).size).toBe(1);
  });
});
