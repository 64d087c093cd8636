/**
 * The job API contract over `inject`, with a real Redis (each test file gets its own BullMQ
 * prefix and removes its keys afterwards).
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, redisOptions } from '@ecars/job-queue';
import { buildApp, type AppOptions } from '../src/app.js';
import { ApiError, errorSchema } from '../src/errors.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `ecars-test-${randomUUID()}`;
const TOKEN = '00D8d0000000001!AQ4AQSecretTokenValueNeverLogged';

function context(over: Record<string, unknown> = {}, orgId = '00D8d0000000001EAA'): string {
  return Buffer.from(
    JSON.stringify({
      accessToken: TOKEN,
      apiVersion: '65.0',
      requestId: 'req-1',
      namespace: '',
      orgId,
      orgDomainUrl: 'http://127.0.0.1:6565',
      userContext: { userId: '0058d0000000001AAA', username: 'ada@example.com' },
      ...over,
    }),
  ).toString('base64');
}

const logLines: string[] = [];
const apps: FastifyInstance[] = [];
async function app(options: AppOptions = {}): Promise<FastifyInstance> {
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  const a = await buildApp({ redisUrl: REDIS_URL, queuePrefix: prefix, allowedOrigins: ['http://127.0.0.1:6565'], logger: { level: 'info', stream: sink }, ...options });
  apps.push(a);
  return a;
}

let api: FastifyInstance;
beforeAll(async () => {
  api = await app();
});
afterEach(async () => {
  for (const a of apps.splice(1)) await a.close();
});
afterAll(async () => {
  for (const name of Object.values(QUEUES)) {
    const q = new Queue(name, { connection: redisOptions({ url: REDIS_URL }), prefix });
    await q.obliterate({ force: true });
    await q.close();
  }
  await api.close();
});

const post = (a: FastifyInstance, url: string, body?: unknown, headers: Record<string, string> = { 'x-client-context': context() }) =>
  a.inject({ method: 'POST', url, headers, ...(body !== undefined ? { payload: body as object } : {}) });

describe('authentication with x-client-context', () => {
  it('answers 401 CLIENT_CONTEXT_MISSING without the header', async () => {
    const r = await post(api, '/api/executebatch', { soqlWhereClause: 'Id != null' }, {});
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual({
      statusCode: 401,
      code: 'CLIENT_CONTEXT_MISSING',
      error: 'Unauthorized',
      message: 'The x-client-context header is missing: call this API through Heroku AppLink (or `pnpm invoke`).',
    });
  });

  it('answers 401 CLIENT_CONTEXT_MALFORMED for a header that is not base64 JSON', async () => {
    const r = await post(api, '/api/data/delete', undefined, { 'x-client-context': 'not base64 json!' });
    expect(r.statusCode).toBe(401);
    expect(r.json().code).toBe('CLIENT_CONTEXT_MALFORMED');
  });

  it('answers 401 CLIENT_CONTEXT_INCOMPLETE naming what is missing', async () => {
    const r = await post(api, '/api/data/delete', undefined, { 'x-client-context': context({ userContext: undefined, accessToken: '' }) });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({
      code: 'CLIENT_CONTEXT_INCOMPLETE',
      message: 'The x-client-context header lacks: accessToken, userContext.userId, userContext.username.',
    });
  });
});

describe('POST /api/executebatch', () => {
  it('queues a quote batch and answers 202 with its id; the token is stored with the job but never logged', async () => {
    const r = await post(api, '/api/executebatch', { soqlWhereClause: "Name LIKE 'Sample Opportunity%'" });
    expect(r.statusCode).toBe(202);
    const { jobId } = r.json() as { jobId: string };
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    const job = await api.queues.quoteBatches.getJob(jobId);
    expect(job?.data).toMatchObject({
      kind: 'quote-batch',
      soqlWhereClause: "Name LIKE 'Sample Opportunity%'",
      chunkSize: 2490,
      org: { orgId: '00D8d0000000001EAA', instanceUrl: 'http://127.0.0.1:6565', accessToken: TOKEN, apiVersion: '65.0' },
    });
    expect(job?.opts).toMatchObject({ attempts: 3, backoff: { type: 'exponential', delay: 2000 } });
    expect(logLines.join('')).toContain(jobId);
    expect(logLines.join('')).not.toContain('SecretTokenValue');
  });

  it.each([
    ["Name = 'x' LIMIT 1", /LIMIT/],
    ['Id != null ORDER BY Name', /ORDER BY/],
    ["Name = 'a'; DELETE", /semicolons are not allowed: the clause must be one condition/],
    ['Bogus__c = 1', /Bogus__c/],
  ])('refuses the WHERE clause %s with 400 INVALID_WHERE_CLAUSE and the reason', async (clause, reason) => {
    const r = await post(api, '/api/executebatch', { soqlWhereClause: clause });
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('INVALID_WHERE_CLAUSE');
    expect(r.json().message).toMatch(reason);
  });

  it('refuses a body without soqlWhereClause, with extra keys, or that is not JSON', async () => {
    expect((await post(api, '/api/executebatch', {})).json()).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST' });
    expect((await post(api, '/api/executebatch', { soqlWhereClause: 'Id != null', extra: 1 })).statusCode).toBe(400);
    const notJson = await api.inject({
      method: 'POST',
      url: '/api/executebatch',
      headers: { 'x-client-context': context(), 'content-type': 'application/json' },
      payload: '{"soqlWhereClause": ',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().code).toBe('BAD_REQUEST');
  });

  it('answers 413 PAYLOAD_TOO_LARGE for an oversized body', async () => {
    const r = await post(api, '/api/executebatch', { soqlWhereClause: `Name = '${'x'.repeat(70_000)}'` });
    expect(r.statusCode).toBe(413);
    expect(r.json().code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('sample data jobs', () => {
  it('queues a data-create job with 10 opportunities by default and the number asked for otherwise', async () => {
    const a = await post(api, '/api/data/create', {});
    expect(a.statusCode).toBe(202);
    expect((await api.queues.sampleData.getJob(a.json().jobId))?.data).toMatchObject({ kind: 'data-create', numberOfOpportunities: 10 });
    const b = await post(api, '/api/data/create?numberOfOpportunities=5000', {});
    expect((await api.queues.sampleData.getJob(b.json().jobId))?.data).toMatchObject({ numberOfOpportunities: 5000 });
  });

  it.each(['0', '1000001', 'abc', '2.5'])('refuses numberOfOpportunities=%s with 400', async (n) => {
    const r = await post(api, `/api/data/create?numberOfOpportunities=${n}`, {});
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('BAD_REQUEST');
  });

  it('queues a data-delete job', async () => {
    const r = await post(api, '/api/data/delete');
    expect(r.statusCode).toBe(202);
    expect((await api.queues.sampleData.getJob(r.json().jobId))?.data.kind).toBe('data-delete');
  });
});

describe('GET /api/jobs/:id', () => {
  it('shows a job to the org that created it and to no other', async () => {
    const { jobId } = (await post(api, '/api/executebatch', { soqlWhereClause: 'Amount > 100' })).json() as { jobId: string };
    const mine = await api.inject({ url: `/api/jobs/${jobId}`, headers: { 'x-client-context': context() } });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({
      jobId,
      kind: 'quote-batch',
      state: 'waiting',
      progress: 0,
      counts: { found: 0, priced: 0, quoted: 0, failed: 0, skipped: 0 },
      errors: [],
    });
    const theirs = await api.inject({ url: `/api/jobs/${jobId}`, headers: { 'x-client-context': context({}, '00D8d0000000002EAA') } });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().code).toBe('JOB_NOT_FOUND');
    const unknown = await api.inject({ url: `/api/jobs/${randomUUID()}`, headers: { 'x-client-context': context() } });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('rate limit per org', () => {
  it('answers 429 RATE_LIMITED past the limit for one org while another org is unaffected', async () => {
    const limited = await app({ rateLimit: { max: 2, windowMs: 60_000 } });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await post(limited, '/api/data/delete')).statusCode);
    expect(codes).toEqual([202, 202, 429]);
    const r = await post(limited, '/api/data/delete');
    expect(r.json()).toMatchObject({ code: 'RATE_LIMITED', message: 'Too many requests for this org: at most 2 per 60 s. Retry later.' });
    const other = await post(limited, '/api/data/delete', undefined, { 'x-client-context': context({}, '00D8d0000000003EAA') });
    expect(other.statusCode).toBe(202);
  });
});

describe('operations', () => {
  it('reports health 200 with Redis up and 503 when Redis is unreachable', async () => {
    const ok = await api.inject({ url: '/health' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: 'ok', redis: 'ok', persistence: expect.stringMatching(/^(aof|rdb|aof\+rdb|none|unknown)$/) });
    const down = await app({ redisUrl: 'redis://127.0.0.1:1', logger: false });
    const r = await down.inject({ url: '/health' });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toEqual({ status: 'unavailable', redis: 'unreachable', persistence: 'unknown' });
  });

  it('answers 503 QUEUE_UNAVAILABLE and queues nothing when Redis is down', async () => {
    const before = await api.queues.sampleData.getJobCounts();
    const down = await app({ redisUrl: 'redis://127.0.0.1:1', logger: false, enqueueTimeoutMs: 300 });
    const r = await post(down, '/api/data/delete');
    expect(r.statusCode).toBe(503);
    expect(r.json().code).toBe('QUEUE_UNAVAILABLE');
    // Seen through the app whose Redis is up (same prefix): the queue holds what it held before.
    expect(await api.queues.sampleData.getJobCounts()).toEqual(before);
  });

  it('serves the OpenAPI document at /docs and JSON 404s elsewhere', async () => {
    const docs = (await api.inject({ url: '/docs' })).json() as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(docs.paths['/api/executebatch']?.['post']?.operationId).toBe('executeBatch');
    const missing = await api.inject({ url: '/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'NOT_FOUND', message: 'Route GET /nope not found.' });
  });

  it('has no dashboard without credentials, and guards it with Basic auth when configured', async () => {
    expect((await api.inject({ url: '/admin/queues' })).statusCode).toBe(404);
    const admin = await app({ admin: { user: 'ops', password: 'correct horse' }, logger: false });
    const refused = await admin.inject({ url: '/admin/queues' });
    expect(refused.statusCode).toBe(401);
    // A code of the catalogue, in the catalogue's shape, like every other error of the API.
    expect(refused.json()).toEqual(new ApiError('ADMIN_AUTH_REQUIRED').toJSON());
    expect(errorSchema.properties.code.enum).toContain('ADMIN_AUTH_REQUIRED');
    const bad = Buffer.from('ops:wrong').toString('base64');
    expect((await admin.inject({ url: '/admin/queues', headers: { authorization: `Basic ${bad}` } })).statusCode).toBe(401);
    const good = Buffer.from('ops:correct horse').toString('base64');
    const page = await admin.inject({ url: '/admin/queues', headers: { authorization: `Basic ${good}` } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });
});
