/**
 * Requests as real clients send them (issue 18 §2–§3): every API version Salesforce still serves,
 * empty JSON bodies on GET/DELETE, the headers jsforce, AppLink and the `sf` CLI send, 304 on
 * describe, the identity link, the POST collection retrieve, upsert's 300 and Id upserts, custom
 * objects inserted without a Name, and one clear error for resources local-org does not emulate.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../src/index.js';
import { call, startTestOrg } from './utils/org-fixture.js';

const here = dirname(fileURLToPath(import.meta.url));
const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
let org: LocalOrg;
let forceApp: string;
const v = () => `/services/data/v${org.apiVersion}`;

/** The project's force-app plus `Part__c`, whose external id `Code__c` is not unique (for upsert's 300). */
function forceAppWithPart(): string {
  const root = mkdtempSync(join(tmpdir(), 'force-app-'));
  cpSync(resolve(here, '../../../force-app'), join(root, 'force-app'), { recursive: true });
  writeFileSync(join(root, 'sfdx-project.json'), '{"packageDirectories":[{"path":"force-app","default":true}]}');
  const dir = join(root, 'force-app/main/default/objects/Part__c');
  mkdirSync(join(dir, 'fields'), { recursive: true });
  writeFileSync(
    join(dir, 'Part__c.object-meta.xml'),
    `<?xml version="1.0" encoding="UTF-8"?><CustomObject ${NS}><label>Part</label><pluralLabel>Parts</pluralLabel>` +
      `<nameField><label>Part Name</label><type>Text</type></nameField><deploymentStatus>Deployed</deploymentStatus><sharingModel>ReadWrite</sharingModel></CustomObject>`,
  );
  writeFileSync(
    join(dir, 'fields/Code__c.field-meta.xml'),
    `<?xml version="1.0" encoding="UTF-8"?><CustomField ${NS}><fullName>Code__c</fullName><label>Code</label>` +
      `<externalId>true</externalId><unique>false</unique><length>20</length><type>Text</type></CustomField>`,
  );
  return root;
}

beforeAll(async () => {
  forceApp = forceAppWithPart();
  org = await startTestOrg({ seed: 'demo', forceAppDir: join(forceApp, 'force-app/main/default') });
}, 120_000);
afterAll(async () => {
  await org.stop();
  rmSync(forceApp, { recursive: true, force: true });
});

describe('API versions', () => {
  it('lists v31.0 to the newest with their release names, and serves the oldest and a middle one', async () => {
    const versions = (await (await fetch(`${org.instanceUrl}/services/data`)).json()) as { label: string; version: string; url: string }[];
    expect(versions[0]).toEqual({ label: "Summer '14", url: '/services/data/v31.0', version: '31.0' });
    expect(versions.find((x) => x.version === '50.0')).toEqual({ label: "Winter '21", url: '/services/data/v50.0', version: '50.0' });
    expect(versions.at(-1)).toEqual({ label: "Winter '26", url: '/services/data/v65.0', version: '65.0' });
    expect(versions).toHaveLength(35);
    for (const version of ['31.0', '50.0']) {
      const res = await call(org, 'GET', `/services/data/v${version}/query?q=${encodeURIComponent('SELECT Name FROM Account LIMIT 1')}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ totalSize: 1, records: [{ attributes: { type: 'Account', url: expect.stringMatching(new RegExp(`^/services/data/v${version}/sobjects/Account/001`)) } }] });
    }
    expect((await call(org, 'GET', '/services/data/v30.0/sobjects')).status).toBe(404);
  });

  it('answers a resource only from the version it came in: collections from v42.0, composite graph from v50.0', async () => {
    const collection = { records: [{ attributes: { type: 'Account' }, Name: 'Versioned' }] };
    expect((await call(org, 'POST', '/services/data/v41.0/composite/sobjects', collection)).status).toBe(404);
    expect((await call(org, 'POST', '/services/data/v42.0/composite/sobjects', collection)).status).toBe(200);
    const graph = { graphs: [{ graphId: 'g', compositeRequest: [{ method: 'POST', url: '/services/data/v49.0/sobjects/Account', referenceId: 'a', body: { Name: 'Graph' } }] }] };
    expect((await call(org, 'POST', '/services/data/v49.0/composite/graph', graph)).status).toBe(404);
    const g50 = { graphs: [{ graphId: 'g', compositeRequest: [{ method: 'POST', url: '/services/data/v50.0/sobjects/Account', referenceId: 'a', body: { Name: 'Graph' } }] }] };
    expect((await call(org, 'POST', '/services/data/v50.0/composite/graph', g50)).body).toMatchObject({ graphs: [{ isSuccessful: true }] });
  });

  it('lists the identity URL among a version’s resources, and the identity URL takes the token as oauth_token', async () => {
    const resources = (await call(org, 'GET', `${v()}`)).body as Record<string, string>;
    expect(resources).toMatchObject({ sobjects: `${v()}/sobjects`, identity: `${org.instanceUrl}/id/${org.orgId}/${org.runtime.userId}` });
    const byParam = await fetch(`${resources['identity']}?oauth_token=${encodeURIComponent(org.accessToken)}`);
    expect(byParam.status).toBe(200);
    expect(await byParam.json()).toMatchObject({ user_id: org.runtime.userId, organization_id: org.orgId });
    const wrong = await fetch(`${resources['identity']}?oauth_token=nope`);
    expect([wrong.status, await wrong.text()]).toEqual([403, 'Bad_OAuth_Token']);
  });
});

describe('requests as clients send them', () => {
  it('reads an empty JSON body on GET and DELETE as no body, and a PATCH of {} as an empty update', async () => {
    const json = { 'Content-Type': 'application/json' };
    const created = await call(org, 'POST', `${v()}/sobjects/Account`, { Name: 'Empty Body Co' });
    const id = (created.body as { id: string }).id;
    const get = await fetch(`${org.instanceUrl}${v()}/sobjects/Account/${id}`, { headers: { Authorization: `Bearer ${org.accessToken}`, ...json } });
    expect(get.status).toBe(200);
    expect(await get.json()).toMatchObject({ Id: id, Name: 'Empty Body Co' });
    expect((await call(org, 'PATCH', `${v()}/sobjects/Account/${id}`, {})).status).toBe(204);
    const del = await fetch(`${org.instanceUrl}${v()}/sobjects/Account/${id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${org.accessToken}`, ...json },
    });
    expect(del.status).toBe(204);
    expect((await call(org, 'GET', `${v()}/sobjects/Account/${id}`)).status).toBe(404);
    const broken = await fetch(`${org.instanceUrl}${v()}/sobjects/Account`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${org.accessToken}`, ...json },
      body: '{"Name":',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual([expect.objectContaining({ errorCode: 'JSON_PARSER_ERROR' })]);
  });

  it('accepts Sforce-Call-Options and indents the JSON for X-PrettyPrint: 1', async () => {
    const headers = { 'Sforce-Call-Options': 'client=SfdxCLI/2.0', 'X-PrettyPrint': '1' };
    const res = await fetch(`${org.instanceUrl}${v()}/sobjects/Account/describe`, { headers: { Authorization: `Bearer ${org.accessToken}`, ...headers } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.startsWith('{\n  "name": "Account"')).toBe(true);
    const plain = await fetch(`${org.instanceUrl}${v()}/sobjects/Account/describe`, { headers: { Authorization: `Bearer ${org.accessToken}` } });
    expect((await plain.text()).startsWith('{"name":"Account"')).toBe(true);
  });

  it('answers describe with 304 for an If-Modified-Since after the data model was loaded, 200 before', async () => {
    for (const path of [`${v()}/sobjects/Account/describe`, `${v()}/sobjects`]) {
      const later = await call(org, 'GET', path, undefined, { 'If-Modified-Since': new Date(Date.now() + 60_000).toUTCString() });
      expect([later.status, later.body]).toEqual([304, null]);
      const earlier = await call(org, 'GET', path, undefined, { 'If-Modified-Since': 'Mon, 01 Jan 2024 00:00:00 GMT' });
      expect(earlier.status).toBe(200);
    }
  });
});

describe('what jsforce’s suite found', () => {
  it('retrieves a collection by POST {ids, fields}, null for an id that matches nothing', async () => {
    const [a, b] = (await org.runtime.db.query<{ Id: string }>(`SELECT "Id" FROM "Account" WHERE NOT "IsDeleted" ORDER BY "Name" LIMIT 2`)).rows;
    const missing = `${a!.Id.slice(0, 10)}ZZZZZZZZ`;
    const res = await call(org, 'POST', `${v()}/composite/sobjects/Account`, { ids: [a!.Id, missing, b!.Id], fields: ['Id', 'Name'] });
    expect(res.status).toBe(200);
    const body = res.body as ({ Id: string; Name: string } | null)[];
    expect(body.map((r) => r?.Id ?? null)).toEqual([a!.Id, null, b!.Id]);
    expect(body[0]).toMatchObject({ attributes: { type: 'Account' }, Name: expect.any(String) });
    expect((await call(org, 'POST', `${v()}/composite/sobjects/Account`, { ids: 'x', fields: ['Id'] })).status).toBe(400);
  });

  it('answers an upsert whose external id matches several records with 300 and their URLs, on PATCH and GET', async () => {
    const first = await call(org, 'POST', `${v()}/sobjects/Part__c`, { Name: 'Bolt', Code__c: 'B-1' });
    const second = await call(org, 'POST', `${v()}/sobjects/Part__c`, { Name: 'Bolt again', Code__c: 'B-1' });
    const ids = [(first.body as { id: string }).id, (second.body as { id: string }).id].sort();
    const urls = ids.map((id) => `${v()}/sobjects/Part__c/${id}`);
    const patch = await call(org, 'PATCH', `${v()}/sobjects/Part__c/Code__c/B-1`, { Name: 'Which one?' });
    expect(patch.status).toBe(300);
    expect([...(patch.body as string[])].sort()).toEqual(urls);
    const get = await call(org, 'GET', `${v()}/sobjects/Part__c/Code__c/B-1`);
    expect([get.status, get.body]).toEqual([300, urls]);
    const names = await org.runtime.db.query(`SELECT "Name" FROM "Part__c" WHERE "Code__c" = 'B-1' ORDER BY "Name"`);
    expect(names.rows).toEqual([{ Name: 'Bolt' }, { Name: 'Bolt again' }]);
  });

  it('creates on an upsert by Id without a value, over REST and in a composite request', async () => {
    const rest = await call(org, 'POST', `${v()}/sobjects/Account/Id`, { Name: 'Upserted by Id' });
    expect(rest.status).toBe(201);
    expect(rest.body).toMatchObject({ id: expect.stringMatching(/^001/), success: true, created: true });
    const composite = await call(org, 'POST', `${v()}/composite`, {
      compositeRequest: [{ method: 'POST', url: `${v()}/sobjects/Account/Id`, referenceId: 'a', body: { Name: 'Composite by Id' } }],
    });
    expect(composite.body).toMatchObject({ compositeResponse: [{ httpStatusCode: 201, body: { created: true } }] });
    const named = await org.runtime.db.query(`SELECT "Name" FROM "Account" WHERE "Name" IN ('Upserted by Id', 'Composite by Id') ORDER BY "Name"`);
    expect(named.rows).toHaveLength(2);
  });

  it('reports created on every row of a collection upsert, failed and rolled-back ones included', async () => {
    const records = (prefix: string) => [
      { attributes: { type: 'Vehicle__c' }, VIN__c: `${prefix}0000001`, Name: 'New one' },
      { attributes: { type: 'Vehicle__c' }, VIN__c: `${prefix}0000002`, Year__c: 'not a number' },
    ];
    const existing = await call(org, 'POST', `${v()}/sobjects/Vehicle__c`, { VIN__c: 'COLLUPSERT0000003', Name: 'Old one' });
    expect(existing.status).toBe(201);
    const res = await call(org, 'PATCH', `${v()}/composite/sobjects/Vehicle__c/VIN__c`, {
      allOrNone: false,
      records: [...records('COLLUPSERT'), { attributes: { type: 'Vehicle__c' }, VIN__c: 'COLLUPSERT0000003', Year__c: 'nope' }],
    });
    expect(res.status).toBe(200);
    const failed = { success: false, errors: [expect.objectContaining({ statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD' })] };
    expect(res.body).toEqual([
      { id: expect.stringMatching(/^a/), success: true, errors: [], created: true },
      { id: null, ...failed, created: true },
      { id: null, ...failed, created: false },
    ]);
    // allOrNone: the rolled-back row that would have been inserted still says created (jsforce's suite checks it).
    const all = await call(org, 'PATCH', `${v()}/composite/sobjects/Vehicle__c/VIN__c`, { allOrNone: true, records: records('ALLORNONE') });
    expect(all.body).toEqual([
      { id: null, success: false, errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })], created: true },
      { id: null, ...failed, created: true },
    ]);
  });

  it('answers one documented error for the resources local-org does not emulate', async () => {
    const paths = [
      `${v()}/search?q=${encodeURIComponent('FIND {x}')}`,
      `${v()}/recent`,
      `${v()}/sobjects/Account/updated/?start=2026-01-01T00:00:00Z&end=2026-01-02T00:00:00Z`,
      `${v()}/sobjects/Account/deleted/?start=2026-01-01T00:00:00Z&end=2026-01-02T00:00:00Z`,
      `${v()}/sobjects/Account/listviews`,
      `${v()}/query?explain=${encodeURIComponent('SELECT Id FROM Account')}`,
    ];
    for (const path of paths) {
      const res = await call(org, 'GET', path);
      expect(res.status, path).toBe(501);
      expect(res.body, path).toEqual([{ errorCode: 'NOT_SUPPORTED_BY_LOCAL_ORG', message: expect.stringContaining('is not supported by local-org'), fields: [] }]);
    }
    const bulkV1 = await fetch(`${org.instanceUrl}/services/async/${org.apiVersion}/job`, {
      method: 'POST',
      headers: { 'X-SFDC-Session': org.accessToken, 'Content-Type': 'application/json' },
      body: JSON.stringify({ operation: 'insert', object: 'Account', contentType: 'CSV' }),
    });
    expect(bulkV1.status).toBe(501);
    expect(await bulkV1.json()).toEqual([expect.objectContaining({ errorCode: 'NOT_SUPPORTED_BY_LOCAL_ORG' })]);
  });
});

describe('custom objects without a Name', () => {
  it('names a record inserted without a Name by its Id: REST insert, upsert by external id, composite', async () => {
    const inserted = await call(org, 'POST', `${v()}/sobjects/Vehicle__c`, { VIN__c: 'NONAME00000000001' });
    expect(inserted.status).toBe(201);
    const upserted = await call(org, 'PATCH', `${v()}/sobjects/Vehicle__c/VIN__c/NONAME00000000002`, { Model__c: 'Model E' });
    expect(upserted.status).toBe(201);
    const composite = await call(org, 'POST', `${v()}/composite/sobjects`, {
      records: [{ attributes: { type: 'Vehicle__c' }, VIN__c: 'NONAME00000000003' }],
    });
    expect(composite.body).toEqual([expect.objectContaining({ success: true })]);
    const rows = await org.runtime.db.query<{ Id: string; Name: string }>(`SELECT "Id", "Name" FROM "Vehicle__c" WHERE "VIN__c" LIKE 'NONAME%'`);
    expect(rows.rows).toHaveLength(3);
    for (const row of rows.rows) expect(row.Name).toBe(row.Id);
    const describe = (await call(org, 'GET', `${v()}/sobjects/Vehicle__c/describe`)).body as { fields: { name: string }[] };
    expect(describe.fields.find((f) => f.name === 'Name')).toMatchObject({ nillable: false, defaultedOnCreate: true, createable: true });
    const autoName = (await call(org, 'GET', `${v()}/sobjects/Vehicle_Order__c/describe`)).body as { fields: { name: string }[] };
    expect(autoName.fields.find((f) => f.name === 'Name')).toMatchObject({ createable: false, updateable: false, autoNumber: true });
  });
});
