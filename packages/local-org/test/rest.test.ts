/**
 * The REST surface over real HTTP, through jsforce and plain fetch: versions, describe, sObject
 * rows, upsert by external id, errors, auth, limits header.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type jsforce from 'jsforce';
import type { LocalOrg } from '../src/index.js';
import { call, connect, startTestOrg } from './utils/org-fixture.js';

let org: LocalOrg;
let conn: jsforce.Connection;
const v = () => `/services/data/v${org.apiVersion}`;

beforeAll(async () => {
  org = await startTestOrg({ seed: 'demo' });
  conn = connect(org);
});
afterAll(() => org.stop());
beforeEach(() => org.reset());

describe('versions and describe', () => {
  it('lists the API versions without a session and the resources of one version', async () => {
    const res = await fetch(`${org.instanceUrl}/services/data`);
    const versions = (await res.json()) as { version: string; url: string }[];
    expect(versions.at(-1)).toEqual({ label: "Winter '26", url: `/services/data/v${org.apiVersion}`, version: org.apiVersion });
    const resources = await call(org, 'GET', v());
    expect(resources.body).toMatchObject({ sobjects: `${v()}/sobjects`, query: `${v()}/query`, composite: `${v()}/composite` });
  });

  it('describes the org globally and the custom Vehicle__c object from force-app', async () => {
    const global = await conn.describeGlobal();
    const names = global.sobjects.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['Account', 'Opportunity', 'Quote', 'QuoteLineItem', 'Vehicle__c', 'Car_Configuration__c']));
    const vehicle = await conn.sobject('Vehicle__c').describe();
    const vin = vehicle.fields.find((f) => f.name === 'VIN__c');
    expect(vin).toMatchObject({ type: 'string', length: 17, externalId: true, unique: true, custom: true });
    const status = vehicle.fields.find((f) => f.name === 'Status__c');
    expect(status?.picklistValues?.map((p) => p.value)).toEqual(['Available', 'On Hold', 'Sold']);
    expect(vehicle.childRelationships).toEqual(
      expect.arrayContaining([expect.objectContaining({ childSObject: 'Case', field: 'Vehicle__c', relationshipName: 'Cases__r' })]),
    );
  });

  it('answers 404 NOT_FOUND for an unknown object and an unknown API version', async () => {
    const a = await call(org, 'GET', `${v()}/sobjects/Spaceship__c/describe`);
    expect(a.status).toBe(404);
    expect(a.body).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] }]);
    const b = await call(org, 'GET', '/services/data/v12.0/sobjects');
    expect(b.status).toBe(404);
  });
});

describe('sObject rows', () => {
  it('creates, retrieves, updates and deletes a record through jsforce', async () => {
    const created = await conn.sobject('Account').create({ Name: 'Orbital Cars', Region__c: 'EMEA' });
    expect(created).toMatchObject({ success: true, errors: [] });
    const id = (created as { id: string }).id;
    expect(id).toMatch(/^001\w{15}$/);
    const got = (await conn.sobject('Account').retrieve(id)) as unknown as Record<string, unknown>;
    expect(got).toMatchObject({ Name: 'Orbital Cars', Region__c: 'EMEA', attributes: { type: 'Account', url: `${v()}/sobjects/Account/${id}` } });
    await conn.sobject('Account').update({ Id: id, Name: 'Orbital Cars AG' });
    expect(((await conn.sobject('Account').retrieve(id)) as unknown as Record<string, unknown>)['Name']).toBe('Orbital Cars AG');
    await conn.sobject('Account').destroy(id);
    await expect(conn.sobject('Account').retrieve(id)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });

  it('answers 201 with Location on create, 204 on update, and the error array on bad input', async () => {
    const created = await call(org, 'POST', `${v()}/sobjects/Account`, { Name: 'Acme' });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect(created.headers.get('location')).toBe(`${v()}/sobjects/Account/${id}`);
    expect((await call(org, 'PATCH', `${v()}/sobjects/Account/${id}`, { Phone: '555' })).status).toBe(204);
    const bad = await call(org, 'POST', `${v()}/sobjects/Opportunity`, { Name: 'No stage' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual([
      { message: 'Required fields are missing: [StageName, CloseDate]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['StageName', 'CloseDate'] },
    ]);
    const restricted = await call(org, 'POST', `${v()}/sobjects/Account`, { Name: 'X', Region__c: 'MARS' });
    expect(restricted.body).toEqual([
      { message: 'Region: bad value for restricted picklist field: MARS', errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['Region__c'] },
    ]);
    const malformed = await fetch(`${org.instanceUrl}${v()}/sobjects/Account`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${org.accessToken}`, 'Content-Type': 'application/json' },
      body: '{"Name": ',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { errorCode: string }[])[0]?.errorCode).toBe('JSON_PARSER_ERROR');
  });

  it('upserts by external id: 201 created, then 200 updated, DUPLICATE_VALUE on a second VIN holder', async () => {
    const url = `${v()}/sobjects/Vehicle__c/VIN__c/5YJ3E1EA7KF999999`;
    const first = await call(org, 'PATCH', url, { Name: 'Test car', Status__c: 'Available' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ success: true, created: true });
    const second = await call(org, 'PATCH', url, { Status__c: 'Sold' });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: (first.body as { id: string }).id, created: false });
    const dup = await call(org, 'POST', `${v()}/sobjects/Vehicle__c`, { Name: 'Clone', VIN__c: '5yj3e1ea7kf999999' });
    expect(dup.status).toBe(400);
    expect((dup.body as { errorCode: string }[])[0]?.errorCode).toBe('DUPLICATE_VALUE');
  });

  it('accepts 15-character ids in the URL', async () => {
    const id = ((await call(org, 'POST', `${v()}/sobjects/Account`, { Name: 'Short' })).body as { id: string }).id;
    const got = await call(org, 'GET', `${v()}/sobjects/Account/${id.slice(0, 15)}?fields=Name`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ attributes: { type: 'Account', url: `${v()}/sobjects/Account/${id}` }, Name: 'Short' });
  });
});

describe('sessions and usage', () => {
  it('refuses a missing or unknown token with 401 INVALID_SESSION_ID', async () => {
    const none = await fetch(`${org.instanceUrl}${v()}/sobjects`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    const wrong = await fetch(`${org.instanceUrl}${v()}/sobjects`, { headers: { Authorization: 'Bearer 00Dxx!nope' } });
    expect(wrong.status).toBe(401);
  });

  it('reports API usage in Sforce-Limit-Info and /limits', async () => {
    const a = await call(org, 'GET', `${v()}/sobjects`);
    const b = await call(org, 'GET', `${v()}/sobjects/Account/describe`);
    const used = (h: Headers) => Number(/api-usage=(\d+)\/(\d+)/.exec(h.get('sforce-limit-info') ?? '')?.[1]);
    expect(used(b.headers)).toBe(used(a.headers) + 1);
    const limits = await call(org, 'GET', `${v()}/limits`);
    expect(limits.body).toMatchObject({ DailyApiRequests: { Max: expect.any(Number), Remaining: expect.any(Number) } });
  });
});
