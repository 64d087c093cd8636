/**
 * What a batch tells its caller, and how it behaves at its edges (issue 11), in one process: the
 * real workers on a redis-server of the test's own (it is flushed on purpose), the local org over
 * HTTP with injected faults.
 * - every chunk read failing: the batch ends failed, its opportunities counted failed, with the error;
 * - an org outage during writes longer than the unit of work's own retries: the batch completes
 *   after it, no per-record failure, and its timings cover the whole run;
 * - the queue lost mid-batch (FLUSHALL) and the batch resubmitted with the same key: exactly one
 *   quote per opportunity;
 * - SIGTERM to a worker process whose chunk outlasts the grace: it exits soon after the grace and
 *   another worker finishes the chunk, one quote per opportunity.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, quoteBatchStatus, redisOptions, type JobStatus, type QuoteBatchPayload } from '@ecars/job-queue';
import { startLocalOrg, type LocalOrg } from '@ecars/local-org';
import { startWorkers, type RunningWorkers } from '../src/workers.js';
import { startPrivateRedis, type PrivateRedis } from './utils/private-redis.js';

for (const v of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[v];

let org: LocalOrg;
let redis: PrivateRedis;
let workers: RunningWorkers | undefined;
let queue: Queue | undefined;

beforeAll(async () => {
  redis = await startPrivateRedis();
  org = await startLocalOrg({ seed: 'demo' });
}, 60_000);

afterEach(async () => {
  await workers?.close(true);
  await queue?.close();
  workers = undefined;
  queue = undefined;
  org.setFaults({ faultRate: 0, latencyMs: 0 });
});

afterAll(async () => {
  await org?.stop();
  await redis?.stop();
});

async function seed(tag: string, n: number): Promise<string[]> {
  const { store, db } = org.runtime;
  const entries = (await db.query<{ Id: string }>(`SELECT "Id" FROM "PricebookEntry" WHERE "IsActive" ORDER BY "Id"`)).rows;
  const accounts = (await db.query<{ Id: string }>(`SELECT "Id" FROM "Account" ORDER BY "Id"`)).rows;
  return store.transaction(async (tx) => {
    const opps = await store.create(
      tx,
      'Opportunity',
      Array.from({ length: n }, (_x, i) => ({ Name: `${tag} ${i}`, StageName: 'Prospecting', CloseDate: '2027-01-15', AccountId: accounts[i % accounts.length]!.Id })),
    );
    const ids = opps.map((r) => (r.ok ? r.id : ''));
    await store.create(
      tx,
      'OpportunityLineItem',
      ids.flatMap((id, i) => [
        { OpportunityId: id, PricebookEntryId: entries[i % entries.length]!.Id, Quantity: 2, UnitPrice: 100 + i },
        { OpportunityId: id, PricebookEntryId: entries[(i + 1) % entries.length]!.Id, Quantity: 1 },
      ]),
    );
    return ids;
  });
}

async function start(prefix: string, chunkRetry: { attempts: number; backoffMs: number }): Promise<void> {
  workers = await startWorkers({ redisUrl: redis.url, prefix, concurrency: 2, writeConcurrency: 2, chunkRetry, allowedOrigins: [org.instanceUrl], logger: pino({ level: 'silent' }) });
  queue = new Queue(QUEUES.quoteBatches, { connection: redisOptions({ url: redis.url }), prefix });
}

async function submit(tag: string, chunkSize: number, batchKey?: string): Promise<string> {
  const data: QuoteBatchPayload = {
    kind: 'quote-batch',
    org: { instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: org.apiVersion, orgId: org.orgId, userId: org.userId, username: org.username },
    soqlWhereClause: `Name LIKE '${tag} %'`,
    chunkSize,
    requestedAt: new Date().toISOString(),
    ...(batchKey ? { batchKey } : {}),
  };
  const jobId = randomUUID();
  await queue!.add('quote-batch', data, { jobId, attempts: 3 });
  return jobId;
}

/** Polls the status until `until` holds (every wait bounded). */
async function waitFor(jobId: string, until: (s: JobStatus) => boolean, timeoutMs = 90_000): Promise<JobStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: JobStatus | undefined;
  for (;;) {
    const job = await queue!.getJob(jobId).catch(() => undefined);
    last = job ? await quoteBatchStatus(job).catch(() => last) : last;
    if (last && until(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for batch ${jobId}; last status ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const finished = (s: JobStatus) => s.state === 'completed' || s.state === 'failed';

async function quotesPerOpportunity(tag: string): Promise<number[]> {
  const r = await org.runtime.db.query<{ n: number }>(
    `SELECT count(q."Id")::int AS n FROM "Opportunity" o LEFT JOIN "Quote" q ON q."OpportunityId" = o."Id" AND NOT q."IsDeleted"
      WHERE o."Name" LIKE $1 GROUP BY o."Id"`,
    [`${tag} %`],
  );
  return r.rows.map((x) => x.n);
}

describe('a batch whose chunks fail for good', () => {
  it('ends failed, counts the chunks\' opportunities failed and carries their Salesforce error', async () => {
    await start(`ecars-hon-${randomUUID()}`, { attempts: 2, backoffMs: 50 });
    await seed('Unreadable', 30);
    // Every chunk read (one /composite call) answers 503; finding (GET /query) works.
    org.setFaults({ faultRate: 1, faults: ['503'], faultPaths: [{ method: 'POST', path: /\/composite$/ }] });
    const jobId = await submit('Unreadable', 10);
    const s = await waitFor(jobId, finished);
    expect(s.state, JSON.stringify(s)).toBe('failed');
    expect(s.counts).toEqual({ found: 30, priced: 0, quoted: 0, failed: 30, skipped: 0 });
    expect(s.errors).toHaveLength(3);
    expect(s.errors.every((e) => e.errorCode === 'SERVER_UNAVAILABLE' && e.recordId === null)).toBe(true);
    expect(String(s.failedReason), JSON.stringify(s)).toMatch(/^3 of 3 chunks failed for good \(30 opportunities not quoted\); chunk \S+-chunk-0: SERVER_UNAVAILABLE: /);
    expect(s.progress).toBe(100);
    expect(await quotesPerOpportunity('Unreadable')).toEqual(Array(30).fill(0));
  }, 90_000);
});

describe('an org outage during writes', () => {
  it('completes after the outage with no per-record failure, and times the whole batch', async () => {
    await start(`ecars-hon-${randomUUID()}`, { attempts: 8, backoffMs: 1000 });
    await seed('Outage', 40);
    const graphs = [{ method: 'POST', path: /\/composite\/graph$/ }];
    org.setFaults({ faultRate: 1, faults: ['503'], faultPaths: graphs });
    const outageEnds = Date.now() + 10_000;
    const jobId = await submit('Outage', 20);
    await new Promise((r) => setTimeout(r, outageEnds - Date.now()));
    org.setFaults({ faultRate: 0 });
    const s = await waitFor(jobId, finished, 120_000);
    expect(s).toMatchObject({ state: 'completed', counts: { found: 40, priced: 40, quoted: 40, failed: 0 }, errors: [] });
    expect(await quotesPerOpportunity('Outage')).toEqual(Array(40).fill(1));
    // The batch started before the outage and ended after it: the first start is kept.
    expect(s.timings.elapsedMs).toBeGreaterThanOrEqual(9_000);
    expect(s.timings.phases?.writingMs).toBeGreaterThanOrEqual(9_000);
    expect(s.timings.phases?.findingMs).toBeGreaterThanOrEqual(0);
    expect(s.timings.phases?.finishingMs).toBeGreaterThanOrEqual(0);
  }, 150_000);
});

describe('the queue lost mid-batch', () => {
  it('resubmitted with the same batch key, completes the rest and writes no quote twice', async () => {
    const prefix = `ecars-hon-${randomUUID()}`;
    await start(prefix, { attempts: 3, backoffMs: 200 });
    await seed('Lost', 200);
    org.setFaults({ latencyMs: 40 });
    const first = await submit('Lost', 20, 'lost-batch-1');
    await waitFor(first, (s) => s.counts.quoted > 0 && s.progress < 70);
    await redis.client.flushall();
    // The job is gone for good, with the quotes it wrote.
    expect(await queue!.getJob(first)).toBeUndefined();
    const written = (await quotesPerOpportunity('Lost')).filter((n) => n > 0).length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(200);
    const again = await submit('Lost', 20, 'lost-batch-1');
    const s = await waitFor(again, finished, 120_000);
    expect(s).toMatchObject({ state: 'completed', counts: { found: 200, failed: 0 } });
    expect(await quotesPerOpportunity('Lost')).toEqual(Array(200).fill(1));
    const keys = await org.runtime.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Quote" WHERE "Batch_Key__c" LIKE 'lost-batch-1:%'`);
    expect(keys.rows[0]?.n).toBe(200);
  }, 150_000);
});

describe('SIGTERM with a chunk longer than the grace', () => {
  it('exits soon after the grace, without finishing the chunk, and another worker finishes it', async () => {
    const prefix = `ecars-hon-${randomUUID()}`;
    queue = new Queue(QUEUES.quoteBatches, { connection: redisOptions({ url: redis.url }), prefix });
    await seed('Graceful', 166);
    // One chunk, one graph request of 498 records at 20 ms each: about 10 s of writing.
    org.setFaults({ latencyPerRecordMs: 20 });
    const appRoot = new URL('..', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@ecars/source', join(appRoot, 'src/worker.ts')], {
      cwd: appRoot,
      env: {
        ...process.env,
        REDIS_URL: redis.url,
        QUEUE_PREFIX: prefix,
        LOG_LEVEL: 'silent',
        WORKER_CONCURRENCY: '1',
        WRITE_CONCURRENCY: '1',
        SHUTDOWN_GRACE_MS: '1000',
        LOCK_DURATION_MS: '2000',
        STALLED_INTERVAL_MS: '1000',
        SF_ALLOWED_ORIGINS: org.instanceUrl,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = once(child, 'exit');
    const graphs = () => (org.stats()['api'] as { byEndpoint: Record<string, number> }).byEndpoint['POST /composite/graph'] ?? 0;
    const before = graphs();
    try {
      const jobId = await submit('Graceful', 2490);
      // The chunk is writing once its one graph request reached the org.
      const deadline = Date.now() + 60_000;
      while (graphs() === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(graphs()).toBe(before + 1);
      const signalled = Date.now();
      child.kill('SIGTERM');
      const [code] = await exited;
      const exitMs = Date.now() - signalled;
      expect(code).toBe(0);
      // 1 s of grace plus the release, far less than the 10 s chunk (before: it ran the chunk to its end).
      expect(exitMs).toBeLessThan(5000);
      await start(prefix, { attempts: 3, backoffMs: 200 });
      const s = await waitFor(jobId, finished, 120_000);
      expect(s).toMatchObject({ state: 'completed', counts: { found: 166, quoted: 166, failed: 0 } });
      expect(await quotesPerOpportunity('Graceful')).toEqual(Array(166).fill(1));
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 180_000);
});
