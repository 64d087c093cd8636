/**
 * API usage counting, the Sforce-Limit-Info header, REQUEST_LIMIT_EXCEEDED and GET /limits, on a
 * bare Fastify app with the limits plugin (and the auth plugin where the order matters).
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { authPlugin, TokenStore } from '../src/auth/index.js';
import { SalesforceError } from '../src/errors.js';
import { ApiUsage, endpointKey, limitsPlugin } from '../src/limits/index.js';
import type { LimitsPluginOptions } from '../src/limits/index.js';
import { INSTANCE_URL, INTEGRATION_USERNAME, ORG_ID, SECRET_CLIENT, USER_ID } from './utils/auth-app.js';

const API = '/services/data/v64.0';
let app: FastifyInstance | undefined;
let handled = 0;

afterEach(async () => {
  await app?.close();
  app = undefined;
  handled = 0;
});

async function build(options: LimitsPluginOptions = {}, withAuth = false): Promise<FastifyInstance> {
  app = Fastify();
  if (withAuth) {
    await app.register(authPlugin, {
      orgId: ORG_ID, userId: USER_ID, username: INTEGRATION_USERNAME, instanceUrl: INSTANCE_URL,
      tokens: new TokenStore(), clients: [SECRET_CLIENT],
    });
  }
  await app.register(limitsPlugin, options);
  app.get(`${API}/sobjects/Account/:id`, async (request) => {
    handled += 1;
    return { id: (request.params as { id: string }).id };
  });
  app.get(`${API}/broken`, async () => {
    handled += 1;
    throw new SalesforceError('MALFORMED_QUERY', 'unexpected token', 400);
  });
  if (!withAuth) app.post('/services/oauth2/token', async () => ({ access_token: 'x' }));
  await app.ready();
  return app;
}

describe('Sforce-Limit-Info', () => {
  it('counts each API call and reports it on the response', async () => {
    const a = await build({ apiLimit: 100 });
    const first = await a.inject(`${API}/sobjects/Account/001000000000001AAA`);
    const second = await a.inject(`${API}/sobjects/Account/001000000000002AAA`);
    expect(first.headers['sforce-limit-info']).toBe('api-usage=1/100');
    expect(second.headers['sforce-limit-info']).toBe('api-usage=2/100');
    expect(a.apiUsage.snapshot().byEndpoint).toEqual({ 'GET /sobjects/Account/{id}': 2 });
  });

  it('is on error responses too: thrown errors and unknown API paths', async () => {
    const a = await build({ apiLimit: 100 });
    const broken = await a.inject(`${API}/broken`);
    expect(broken.statusCode).toBe(400);
    expect(broken.headers['sforce-limit-info']).toBe('api-usage=1/100');
    const missing = await a.inject(`${API}/nothing/here`);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['sforce-limit-info']).toBe('api-usage=2/100');
  });

  it('is on 401 responses, which do not count when the auth plugin is registered first', async () => {
    const a = await build({ apiLimit: 100 }, true);
    const denied = await a.inject(`${API}/sobjects/Account/001000000000001AAA`);
    expect(denied.statusCode).toBe(401);
    expect(denied.headers['sforce-limit-info']).toBe('api-usage=0/100');
    a.tokenStore.issueFixed('tok', { userId: USER_ID, username: INTEGRATION_USERNAME, orgId: ORG_ID, clientId: 'c' });
    const ok = await a.inject({ url: `${API}/limits`, headers: { authorization: 'Bearer tok' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['sforce-limit-info']).toBe('api-usage=1/100');
  });

  it('neither counts nor marks OAuth token requests', async () => {
    const a = await build({ apiLimit: 100 });
    const res = await a.inject({ method: 'POST', url: '/services/oauth2/token' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['sforce-limit-info']).toBeUndefined();
    expect(a.apiUsage.used).toBe(0);
  });
});

describe('daily limit', () => {
  it('answers 403 REQUEST_LIMIT_EXCEEDED once the allocation is used, without running the handler', async () => {
    const a = await build({ apiLimit: 2 });
    await a.inject(`${API}/sobjects/Account/001000000000001AAA`);
    await a.inject(`${API}/sobjects/Account/001000000000001AAA`);
    const refused = await a.inject(`${API}/sobjects/Account/001000000000001AAA`);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toBe('[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]');
    expect(refused.headers['sforce-limit-info']).toBe('api-usage=2/2');
    expect(handled).toBe(2);
  });

  it('counts into a shared ApiUsage and serves again after reset()', async () => {
    const usage = new ApiUsage({ apiLimit: 1 });
    const a = await build({ usage });
    expect((await a.inject(`${API}/sobjects/Account/001000000000001AAA`)).statusCode).toBe(200);
    expect((await a.inject(`${API}/sobjects/Account/001000000000001AAA`)).statusCode).toBe(403);
    usage.reset();
    expect((await a.inject(`${API}/sobjects/Account/001000000000001AAA`)).statusCode).toBe(200);
    expect(a.apiUsage).toBe(usage);
  });
});

describe('GET /limits', () => {
  it('reports DailyApiRequests from the counter and the other allocations in Salesforce’s shape', async () => {
    const a = await build();
    const res = await a.inject(`${API}/limits`);
    expect(res.statusCode).toBe(200);
    const body = res.json<Record<string, { Max: number; Remaining: number }>>();
    expect(body.DailyApiRequests).toEqual({ Max: 5_000_000, Remaining: 4_999_999 });
    expect(body.DailyBulkApiBatches).toEqual({ Max: 15_000, Remaining: 15_000 });
    expect(body.DailyBulkV2QueryJobs).toEqual({ Max: 10_000, Remaining: 10_000 });
    expect(body.HourlyPublishedPlatformEvents).toEqual({ Max: 250_000, Remaining: 250_000 });
    expect(body.DailyStreamingApiEvents).toEqual({ Max: 1_000_000, Remaining: 1_000_000 });
    expect(body.ConcurrentAsyncGetReportInstances).toEqual({ Max: 200, Remaining: 200 });
    expect(body.DataStorageMB).toEqual({ Max: 10_240, Remaining: 10_240 });
    const names = Object.keys(body);
    expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y)));
    for (const value of Object.values(body)) expect(Object.keys(value)).toEqual(['Max', 'Remaining']);
    const slashed = await a.inject(`${API}/limits/`);
    expect(slashed.json<typeof body>().DailyApiRequests).toEqual({ Max: 5_000_000, Remaining: 4_999_998 });
  });

  it('serves live readings registered by other modules', async () => {
    const a = await build();
    let batches = 15_000;
    a.registerLimit('DailyBulkApiBatches', () => ({ Max: 15_000, Remaining: batches }));
    a.registerLimit('DailyBulkV2IngestRecords', () => ({ Max: 150_000_000, Remaining: 149_999_000 }));
    batches = 14_990;
    const body = (await a.inject(`${API}/limits`)).json<Record<string, unknown>>();
    expect(body.DailyBulkApiBatches).toEqual({ Max: 15_000, Remaining: 14_990 });
    expect(body.DailyBulkV2IngestRecords).toEqual({ Max: 150_000_000, Remaining: 149_999_000 });
  });
});

describe('endpointKey', () => {
  it('keeps the resource and replaces ids and query locators', () => {
    expect(endpointKey('get', '/services/data/v64.0/query?q=SELECT+Id+FROM+Account')).toBe('GET /query');
    expect(endpointKey('GET', '/services/data/v64.0/query/01gD0000002HU6KIAW-2000')).toBe('GET /query/{locator}');
    expect(endpointKey('PATCH', '/services/data/v64.0/sobjects/Account/001D000000IqhSLIAZ')).toBe('PATCH /sobjects/Account/{id}');
    expect(endpointKey('GET', '/services/data/v64.0/sobjects/ContentDocument/describe')).toBe('GET /sobjects/ContentDocument/describe');
    expect(endpointKey('POST', '/services/data/v64.0/composite/graph')).toBe('POST /composite/graph');
    expect(endpointKey('PUT', '/services/data/v64.0/jobs/ingest/7505g00000ABCDE/batches')).toBe('PUT /jobs/ingest/{id}/batches');
    expect(endpointKey('POST', '/services/async/64.0/job/750D000000001SRIAY/batch')).toBe('POST /async/job/{id}/batch');
    expect(endpointKey('POST', '/cometd/64.0')).toBe('POST /cometd');
  });
});

describe('ApiUsage', () => {
  it('starts a new window 24 hours after the first call of the current one', () => {
    let now = Date.UTC(2024, 0, 15, 10, 0, 0);
    const usage = new ApiUsage({ apiLimit: 3, now: () => now });
    expect(usage.snapshot().windowStartedAt).toBeNull();
    usage.tryCount('GET /query');
    now += 60_000;
    usage.tryCount('GET /query');
    usage.tryCount('POST /composite/graph');
    expect(usage.tryCount('GET /query')).toBe(false);
    expect(usage.snapshot()).toEqual({
      used: 3,
      max: 3,
      remaining: 0,
      windowStartedAt: '2024-01-15T10:00:00.000Z',
      byEndpoint: { 'GET /query': 2, 'POST /composite/graph': 1 },
    });
    now = Date.UTC(2024, 0, 16, 10, 0, 0);
    expect(usage.used).toBe(0);
    expect(usage.tryCount('GET /query')).toBe(true);
    expect(usage.snapshot().windowStartedAt).toBe('2024-01-16T10:00:00.000Z');
  });

  it('refuses a negative or fractional limit', () => {
    expect(() => new ApiUsage({ apiLimit: -1 })).toThrow(RangeError);
    expect(() => new ApiUsage({ apiLimit: 1.5 })).toThrow(RangeError);
  });
});
