/**
 * Reliability with real processes: worker processes (`src/worker.ts` under tsx) on a Redis of
 * the test's own (so it can be killed and restarted without touching the machine's), against
 * the local org over HTTP.
 * - SIGKILL a worker mid-batch and start another: every opportunity ends with exactly one quote.
 * - Restart Redis mid-batch (append-only file, as managed Redis persists): the batch completes.
 * - 10% injected org faults, some records that fail for good: the batch completes, each permanent
 *   failure is reported with its Salesforce error code, nothing is written twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, quoteBatchStatus, redisOptions, type JobStatus, type QuoteBatchPayload } from '@ecars/job-queue';
import { startLocalOrg, type LocalOrg } from '@ecars/local-org';

for (const v of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[v];
const appRoot = new URL('..', import.meta.url).pathname;
const repoRoot = new URL('../../..', import.meta.url).pathname;

/** Real processes on a shared 2-core CI machine: generous, bounded time (the checks are not about speed). */
const PROCESS_TEST_TIMEOUT = 240_000;

let org: LocalOrg;
let redisPort: number;
let redisDir: string;
let redis: ChildProcess | undefined;
const workers: ChildProcess[] = [];
let prefix: string;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function startRedis(): Promise<void> {
  redis = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', redisDir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
    { stdio: 'ignore' },
  );
  const probe = new Queue('probe', { connection: { ...redisOptions({ url: `redis://127.0.0.1:${redisPort}` }), retryStrategy: () => 100 } });
  await probe.waitUntilReady();
  await probe.close();
}

async function stopRedis(): Promise<void> {
  const r = redis;
  if (!r || r.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    r.once('exit', () => resolve());
    r.kill('SIGTERM');
  });
}

function startWorker(): ChildProcess {
  // node itself with tsx's loader (not the tsx launcher, which would leave its node child running
  // after a SIGKILL): the pid we kill is the worker.
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@ecars/source', join(appRoot, 'src/worker.ts')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'silent',
      WORKER_CONCURRENCY: '2',
      LOCK_DURATION_MS: '3000',
      STALLED_INTERVAL_MS: '1500',
      SHUTDOWN_GRACE_MS: '2000',
      SF_ALLOWED_ORIGINS: org.instanceUrl,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.push(child);
  return child;
}

const connection = () => redisOptions({ url: `redis://127.0.0.1:${redisPort}` });

async function seedOpportunities(tag: string, n: number): Promise<string[]> {
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

async function enqueue(tag: string, chunkSize: number): Promise<{ queue: Queue; jobId: string }> {
  const queue = new Queue(QUEUES.quoteBatches, { connection: connection(), prefix });
  const data: QuoteBatchPayload = {
    kind: 'quote-batch',
    org: { instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: org.apiVersion, orgId: org.orgId, userId: org.userId, username: org.username },
    soqlWhereClause: `Name LIKE '${tag} %'`,
    chunkSize,
    requestedAt: new Date().toISOString(),
  };
  const jobId = randomUUID();
  await queue.add('quote-batch', data, { jobId, attempts: 3 });
  return { queue, jobId };
}

async function waitFor(queue: Queue, jobId: string, until: (s: JobStatus) => boolean, timeoutMs = 120_000): Promise<JobStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await queue.getJob(jobId).catch(() => undefined);
    if (job) {
      const s = await quoteBatchStatus(job).catch(() => undefined);
      if (s && until(s)) return s;
      if (s?.state === 'failed') throw new Error(`batch failed: ${s.failedReason}`);
    }
    if (Date.now() > deadline) throw new Error('timed out waiting for the batch');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Quotes per opportunity of `tag`: every one must be exactly 1. */
async function quotesPerOpportunity(tag: string): Promise<Map<string, number>> {
  const r = await org.runtime.db.query<{ id: string; n: number }>(
    `SELECT o."Id" AS id, count(q."Id")::int AS n FROM "Opportunity" o LEFT JOIN "Quote" q ON q."OpportunityId" = o."Id" AND NOT q."IsDeleted"
      WHERE o."Name" LIKE $1 GROUP BY o."Id"`,
    [`${tag} %`],
  );
  return new Map(r.rows.map((x) => [x.id, x.n]));
}

beforeAll(async () => {
  redisPort = await freePort();
  redisDir = mkdtempSync(join(tmpdir(), 'ecars-reliability-redis-'));
  await startRedis();
  org = await startLocalOrg({ seed: 'demo' });
}, 60_000);

afterEach(async () => {
  for (const w of workers.splice(0)) {
    if (w.exitCode === null && w.signalCode === null) {
      w.kill('SIGKILL');
      await new Promise((r) => w.once('exit', r));
    }
  }
  org.setFaults({ faultRate: 0, latencyMs: 0 });
});

afterAll(async () => {
  await stopRedis();
  rmSync(redisDir, { recursive: true, force: true });
  await org?.stop();
});

describe('a worker killed mid-batch', () => {
  it('leaves every opportunity with exactly one quote once another worker has taken over', async () => {
    prefix = `ecars-rel-${randomUUID()}`;
    const ids = await seedOpportunities('Killed', 400);
    org.setFaults({ latencyMs: 40 });
    const first = startWorker();
    const { queue, jobId } = await enqueue('Killed', 25);
    await waitFor(queue, jobId, (s) => s.counts.quoted > 0 && s.progress < 60);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    startWorker();
    const done = await waitFor(queue, jobId, (s) => s.state === 'completed', PROCESS_TEST_TIMEOUT - 30_000);
    await queue.close();
    expect(done.counts).toMatchObject({ found: 400, quoted: 400, failed: 0 });
    const perOpp = await quotesPerOpportunity('Killed');
    expect(perOpp.size).toBe(ids.length);
    expect([...perOpp.values()].every((n) => n === 1)).toBe(true);
  }, PROCESS_TEST_TIMEOUT);
});

describe('Redis restarted mid-batch', () => {
  it('completes the batch after Redis comes back', async () => {
    prefix = `ecars-rel-${randomUUID()}`;
    await seedOpportunities('Restart', 300);
    org.setFaults({ latencyMs: 30 });
    startWorker();
    const { queue, jobId } = await enqueue('Restart', 25);
    await waitFor(queue, jobId, (s) => s.counts.quoted > 0 && s.progress < 70);
    await queue.close();
    await stopRedis();
    await new Promise((r) => setTimeout(r, 1000));
    await startRedis();
    const again = new Queue(QUEUES.quoteBatches, { connection: connection(), prefix });
    const done = await waitFor(again, jobId, (s) => s.state === 'completed', PROCESS_TEST_TIMEOUT - 30_000);
    await again.close();
    expect(done.counts).toMatchObject({ found: 300, quoted: 300, failed: 0 });
    expect([...(await quotesPerOpportunity('Restart')).values()].every((n) => n === 1)).toBe(true);
  }, PROCESS_TEST_TIMEOUT);
});

describe('an org that faults', () => {
  it('completes under 10% injected faults, retries what is transient and reports permanent failures with their Salesforce code', async () => {
    prefix = `ecars-rel-${randomUUID()}`;
    const ids = await seedOpportunities('Faulty', 300);
    // Three opportunities whose products can no longer be sold: their quote lines fail for good.
    const broken = ids.slice(0, 3);
    const { db } = org.runtime;
    const entry = await org.runtime.store.transaction(async (tx) => {
      const [pb] = await org.runtime.store.create(tx, 'Product2', [{ Name: 'Discontinued', IsActive: true }]);
      const book = (await tx.sql.query<{ Id: string }>(`SELECT "Id" FROM "Pricebook2" WHERE "IsStandard"`)).rows[0]!.Id;
      const [pbe] = await org.runtime.store.create(tx, 'PricebookEntry', [{ Pricebook2Id: book, Product2Id: pb?.ok ? pb.id : '', UnitPrice: 10, IsActive: true }]);
      return pbe?.ok ? pbe.id : '';
    });
    await org.runtime.store.transaction((tx) =>
      org.runtime.store.create(tx, 'OpportunityLineItem', broken.map((id) => ({ OpportunityId: id, PricebookEntryId: entry, Quantity: 1 }))),
    );
    await db.query(`UPDATE "PricebookEntry" SET "IsActive" = false WHERE "Id" = $1`, [entry]);

    org.setFaults({ faultRate: 0.1, faults: ['503', 'REQUEST_LIMIT_EXCEEDED', 'UNABLE_TO_LOCK_ROW', 'reset', 'applied-reset'], seed: 7 });
    startWorker();
    const { queue, jobId } = await enqueue('Faulty', 50);
    const done = await waitFor(queue, jobId, (s) => s.state === 'completed', 180_000);
    await queue.close();
    expect(done.counts).toMatchObject({ found: 300, quoted: 297, failed: 3 });
    expect(done.errors.map((e) => e.recordId).sort()).toEqual([...broken].sort());
    for (const e of done.errors) expect(e.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
    const perOpp = await quotesPerOpportunity('Faulty');
    expect([...perOpp.entries()].filter(([id]) => !broken.includes(id)).every(([, n]) => n === 1)).toBe(true);
    expect(broken.map((id) => perOpp.get(id))).toEqual([0, 0, 0]);
    expect((org.stats()['faults'] as { faultsInjected: Record<string, number> }).faultsInjected).not.toEqual({});
  }, PROCESS_TEST_TIMEOUT);
});
