/**
 * The API at its edges (issue 11): the trust boundary of x-client-context, the idempotency key,
 * status reads that do not eat the job budget, numbers that are numbers, a 503 on a read that
 * does not talk about accepting a job, Redis persistence in /health, the production guard, and an
 * OpenAPI render that touches no Redis. Real Redis (its own BullMQ prefix, removed afterwards).
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, redisOptions } from '@ecars/job-queue';
import { renderApiDocs } from '../src/api-docs.js';
import { buildApp, type AppOptions } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `ecars-test-${randomUUID()}`;
const LOCAL = 'http://127.0.0.1:6565';

function context(orgDomainUrl = LOCAL, orgId = '00D8d0000000001EAA'): string {
  return Buffer.from(
    JSON.stringify({
      accessToken: '00D8d0000000001!AQ4AQSecret',
      apiVersion: '65.0',
      requestId: 'req-1',
      namespace: '',
      orgId,
      orgDomainUrl,
      userContext: { userId: '0058d0000000001AAA', username: 'ada@example.com' },
    }),
  ).toString('base64');
}

const apps: FastifyInstance[] = [];
async function app(options: AppOptions = {}): Promise<FastifyInstance> {
  const a = await buildApp({ redisUrl: REDIS_URL, queuePrefix: prefix, allowedOrigins: [LOCAL], logger: false, ...options });
  apps.push(a);
  return a;
}

let trap: Server;
let trapUrl: string;
let trapConnections = 0;
beforeAll(async () => {
  trap = createServer((socket) => {
    trapConnections += 1;
    socket.destroy();
  });
  trap.listen(0, '127.0.0.1');
  await once(trap, 'listening');
  trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
});
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});
afterAll(async () => {
  for (const name of Object.values(QUEUES)) {
    const q = new Queue(name, { connection: redisOptions({ url: REDIS_URL }), prefix });
    await q.obliterate({ force: true });
    await q.close();
  }
  trap.close();
});

const batch = (a: FastifyInstance, body: object, headers: Record<string, string> = {}) =>
  a.inject({ method: 'POST', url: '/api/executebatch', headers: { 'x-client-context': context(), ...headers }, payload: body });

describe('the trust boundary', () => {
  it('refuses a context whose org URL is neither a Salesforce domain nor allowed: 401, nothing queued, no connection made', async () => {
    const a = await app();
    const r = await a.inject({
      method: 'POST',
      url: '/api/executebatch',
      headers: { 'x-client-context': context(trapUrl) },
      payload: { soqlWhereClause: "Name = 'x'" },
    });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ code: 'CLIENT_CONTEXT_ORG_URL_NOT_ALLOWED', message: expect.stringContaining(`${trapUrl} is not https`) });
    expect(await a.queues.quoteBatches.getJobCounts()).toMatchObject({ waiting: 0, active: 0, delayed: 0 });
    expect(trapConnections).toBe(0);
    // An https Salesforce domain is accepted.
    const ok = await batch(a, { soqlWhereClause: "Name = 'x'" }, { 'x-client-context': context('https://acme.my.salesforce.com') });
    expect(ok.statusCode).toBe(202);
  });

  it('refuses to start in production on a public interface without the AppLink mesh, unless told explicitly', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', HOST: '0.0.0.0' })).toThrow(/without the AppLink service mesh/);
    expect(loadConfig({ NODE_ENV: 'production', HOST: '0.0.0.0', APP_PORT: '3000' }).APP_PORT).toBe(3000);
    expect(loadConfig({ NODE_ENV: 'production', HOST: '0.0.0.0', TRUST_CLIENT_CONTEXT_WITHOUT_MESH: 'true' }).HOST).toBe('0.0.0.0');
    expect(loadConfig({ NODE_ENV: 'production', HOST: '127.0.0.1' }).SF_ALLOWED_ORIGINS).toEqual([]);
    expect(loadConfig({}).SF_ALLOWED_ORIGINS).toEqual(['http://127.0.0.1:6565', 'http://localhost:6565']);
    expect(() => loadConfig({ SF_ALLOWED_ORIGINS: 'http://127.0.0.1:6565/path' })).toThrow(/is not an origin/);
  });
});

describe('the idempotency key', () => {
  it('travels from the Idempotency-Key header or the batchKey field into the job, and the response says what a resubmission does', async () => {
    const a = await app();
    const byHeader = await batch(a, { soqlWhereClause: "Name = 'x'" }, { 'idempotency-key': 'quarter-close.2026' });
    expect(byHeader.statusCode).toBe(202);
    expect(byHeader.json()).toMatchObject({ batchKey: 'quarter-close.2026', resumable: true });
    const job = await a.queues.quoteBatches.getJob(byHeader.json().jobId);
    expect(job?.data).toMatchObject({ batchKey: 'quarter-close.2026' });
    const byField = await batch(a, { soqlWhereClause: "Name = 'x'", batchKey: 'quarter-close.2026' });
    expect(byField.json()).toMatchObject({ batchKey: 'quarter-close.2026', resumable: true });
    expect(byField.json().jobId).not.toBe(byHeader.json().jobId);
    const none = await batch(a, { soqlWhereClause: "Name = 'x'" });
    expect(none.json()).toEqual({ jobId: expect.any(String), resumable: false });
    expect((await a.queues.quoteBatches.getJob(none.json().jobId))?.data.batchKey).toBeUndefined();
  });

  it('refuses a key that does not fit the quote key, and a header and field that differ', async () => {
    const a = await app();
    const bad = await batch(a, { soqlWhereClause: "Name = 'x'" }, { 'idempotency-key': 'has:colon' });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'BAD_REQUEST']);
    const long = await batch(a, { soqlWhereClause: "Name = 'x'", batchKey: 'k'.repeat(41) });
    expect([long.statusCode, long.json().code]).toEqual([400, 'BAD_REQUEST']);
    const conflict = await batch(a, { soqlWhereClause: "Name = 'x'", batchKey: 'one' }, { 'idempotency-key': 'two' });
    expect([conflict.statusCode, conflict.json().code]).toEqual([400, 'BATCH_KEY_CONFLICT']);
  });
});

describe('status reads', () => {
  it('have their own budget: polling past the job limit is not refused, while submissions still are', async () => {
    const a = await app({ rateLimit: { max: 3, windowMs: 60_000 }, statusRateLimitMax: 100 });
    const accepted = await batch(a, { soqlWhereClause: "Name = 'x'" });
    const codes: number[] = [];
    for (let i = 0; i < 20; i++) {
      codes.push((await a.inject({ url: `/api/jobs/${accepted.json().jobId}`, headers: { 'x-client-context': context() } })).statusCode);
    }
    expect(codes).toEqual(Array(20).fill(200));
    expect([(await batch(a, { soqlWhereClause: "Name = 'x'" })).statusCode, (await batch(a, { soqlWhereClause: "Name = 'x'" })).statusCode]).toEqual([202, 202]);
    expect((await batch(a, { soqlWhereClause: "Name = 'x'" })).statusCode).toBe(429);
  });

  it('answer 503 without saying a job was not accepted when Redis is down', async () => {
    const down = await app({ redisUrl: 'redis://127.0.0.1:1', enqueueTimeoutMs: 300 });
    const r = await down.inject({ url: '/api/jobs/abc', headers: { 'x-client-context': context() } });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toMatchObject({ code: 'QUEUE_UNREACHABLE' });
    expect(r.json().message).not.toMatch(/not accepted/);
  });
});

describe('small things', () => {
  it.each(['0x10', ' 5', '1e3', '5.0'])('refuses numberOfOpportunities=%j as not a number', async (value) => {
    const a = await app();
    const r = await a.inject({
      method: 'POST',
      url: `/api/data/create?numberOfOpportunities=${encodeURIComponent(value)}`,
      headers: { 'x-client-context': context() },
    });
    expect([r.statusCode, r.json().code]).toEqual([400, 'BAD_REQUEST']);
  });

  it('refuses impossible dates at the API, not three job attempts later', async () => {
    const a = await app();
    const r = await batch(a, { soqlWhereClause: 'CloseDate = 2024-02-30' });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'INVALID_WHERE_CLAUSE', message: 'Invalid soqlWhereClause: 2024-02-30 is not a date that exists' });
  });

  it('reports Redis persistence in /health', async () => {
    const a = await app();
    const r = await a.inject({ url: '/health' });
    expect(r.statusCode).toBe(200);
    expect(['aof', 'rdb', 'aof+rdb', 'none', 'unknown']).toContain(r.json().persistence);
  });

  it('renders the OpenAPI document without touching Redis', async () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      // Keys an older generator left behind are garbage of this project: clear them, then render.
      const stale = await redis.keys('ecars-openapi:*');
      if (stale.length > 0) await redis.del(...stale);
      const clients = Number(/connected_clients:(\d+)/.exec(await redis.info('clients'))?.[1]);
      await renderApiDocs();
      expect(await redis.keys('ecars-openapi:*')).toEqual([]);
      expect(Number(/connected_clients:(\d+)/.exec(await redis.info('clients'))?.[1])).toBeLessThanOrEqual(clients);
    } finally {
      redis.disconnect();
    }
  });
});
