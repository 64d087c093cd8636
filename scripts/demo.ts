/**
 * `pnpm demo`: the batch pricing job end to end on one machine, with no account anywhere.
 *
 * Starts the local org (embedded, seeded), job-api and job-worker as real processes on a Redis
 * (REDIS_URL, else one on 127.0.0.1:6379, else a redis-server it starts itself), creates sample
 * opportunities with Bulk API 2.0, runs the quote batch with progress bars, prints a summary and
 * exits 0. Everything it started is stopped on exit, whatever happens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startLocalOrg, type LocalOrg } from '@ecars/local-org';
import { followJob } from './lib/follow-job.js';

const HELP = `Usage: pnpm demo [--count N] [--workers N] [--latency-ms N]

Runs the batch pricing job end to end on the local org:
  1. starts the local org (seeded), job-api and N job-worker processes (Redis from REDIS_URL,
     else 127.0.0.1:6379, else a redis-server started for the demo)
  2. creates N sample opportunities with 2 products each (Bulk API 2.0)
  3. prices them into quotes (one Quote + lines per opportunity, chunked across the workers)
  4. prints a summary

Options:
  --count N        sample opportunities to create and price   [default: 5000]
  --workers N      job-worker processes                        [default: 1]
  --latency-ms N   latency the local org adds to every API call [default: 0]
`;

const root = new URL('..', import.meta.url).pathname;
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function redisAnswers(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** REDIS_URL, or the default local Redis, or a redis-server of our own. */
async function ensureRedis(): Promise<string> {
  if (process.env['REDIS_URL']) {
    if (!(await redisAnswers(process.env['REDIS_URL']))) throw new Error(`REDIS_URL=${process.env['REDIS_URL']} does not answer`);
    return process.env['REDIS_URL'];
  }
  if (await redisAnswers('redis://127.0.0.1:6379')) return 'redis://127.0.0.1:6379';
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ecars-demo-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  });
  const started = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(false));
    child.once('spawn', () => resolve(true));
  });
  if (!started) {
    throw new Error('Redis is needed: set REDIS_URL, start Redis on 127.0.0.1:6379, or install redis-server (apt-get install redis-server)');
  }
  children.push(child);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await redisAnswers(url)); i++) await new Promise((r) => setTimeout(r, 100));
  log(`demo: started redis-server on 127.0.0.1:${port}`);
  return url;
}

/** Runs an app's TypeScript entry with tsx (sources through the @ecars/source condition). */
function startApp(name: string, entry: string, env: Record<string, string>): ChildProcess {
  // node with tsx's loader rather than the tsx launcher, so stopping the pid stops the app.
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@ecars/source', join(root, entry)], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping && code !== 0) log(`demo: ${name} exited (${signal ?? code}); see its output above`);
  });
  children.push(child);
  return child;
}

async function waitForHealth(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`job-api did not answer ${url}/health within ${timeoutMs / 1000} s`);
}

async function post(url: string, context: string, body: unknown): Promise<string> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-client-context': context }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`POST ${url} answered ${res.status}: ${text}`);
  return (JSON.parse(text) as { jobId: string }).jobId;
}

async function count(org: LocalOrg, table: string, where = 'TRUE'): Promise<number> {
  const r = await org.runtime.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE NOT "IsDeleted" AND ${where}`);
  return r.rows[0]?.n ?? 0;
}

let stopping = false;
async function stopAll(): Promise<void> {
  stopping = true;
  for (const c of children.reverse()) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          c.kill('SIGKILL');
          resolve();
        }, 10_000);
        c.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
  for (const f of cleanups.reverse()) await f();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { count: { type: 'string' }, workers: { type: 'string' }, 'latency-ms': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const num = (name: string, raw: string | undefined, dflt: number, min: number, max: number) => {
    const n = raw === undefined ? dflt : Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max}, got '${raw}'`);
    return n;
  };
  const opportunities = num('count', values.count, 5000, 1, 1_000_000);
  const workers = num('workers', values.workers, 1, 1, 16);
  const latencyMs = num('latency-ms', values['latency-ms'], 0, 0, 10_000);

  for (const v of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[v];
  const redisUrl = await ensureRedis();
  const org = await startLocalOrg({ seed: 'demo', latencyMs });
  cleanups.push(() => org.stop());
  log(`demo: local org at ${org.instanceUrl} (seeded: accounts in every region, eCars products)`);

  const prefix = `ecars-demo-${process.pid}`;
  const port = await freePort();
  // The org URL of every request and job must be a Salesforce domain or listed: list the local org.
  const env = { REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, SF_ALLOWED_ORIGINS: org.instanceUrl };
  startApp('job-api', 'apps/job-api/src/server.ts', { ...env, PORT: String(port), HOST: '127.0.0.1' });
  for (let i = 0; i < workers; i++) startApp(`job-worker ${i + 1}`, 'apps/job-worker/src/worker.ts', env);
  cleanups.unshift(async () => {
    // Leave nothing of the demo in a shared Redis.
    const r = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await r.del(...keys);
    } while (cursor !== '0');
    r.disconnect();
  });
  const api = `http://127.0.0.1:${port}`;
  await waitForHealth(api);
  log(`demo: job-api at ${api}, ${workers} worker process${workers > 1 ? 'es' : ''}, Redis ${redisUrl}`);

  const context = org.clientContext();
  const createStart = Date.now();
  const createId = await post(`${api}/api/data/create?numberOfOpportunities=${opportunities}`, context, {});
  const created = await followJob(api, createId, context, { label: 'sample data' });
  const createSec = (Date.now() - createStart) / 1000;

  const batchStart = Date.now();
  const batchId = await post(`${api}/api/executebatch`, context, { soqlWhereClause: "Name LIKE 'Sample Opportunity%'" });
  const batch = await followJob(api, batchId, context, { label: 'quote batch' });
  const batchSec = (Date.now() - batchStart) / 1000;

  const quotes = await count(org, 'Quote', `"Batch_Key__c" LIKE '${batchId}:%'`);
  const lines = (
    await org.runtime.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "QuoteLineItem" l JOIN "Quote" q ON q."Id" = l."QuoteId" WHERE NOT l."IsDeleted" AND q."Batch_Key__c" LIKE $1`,
      [`${batchId}:%`],
    )
  ).rows[0]?.n;
  const summary = [
    '',
    'eCars batch pricing demo',
    `  sample opportunities    ${opportunities} created with 2 products each in ${createSec.toFixed(1)} s (${created.apiCalls} API calls, Bulk API 2.0)`,
    `  opportunities found     ${batch.counts.found}`,
    `  quotes written          ${quotes} (job reports ${batch.counts.quoted})`,
    `  quote lines written     ${lines}`,
    `  failed / skipped        ${batch.counts.failed} / ${batch.counts.skipped}`,
    `  wall time               ${batchSec.toFixed(2)} s for the quote batch`,
    `  API calls               ${batch.apiCalls} for the quote batch`,
    ...(batch.errors.length > 0 ? ['  first errors:', ...batch.errors.slice(0, 5).map((e) => `    ${e.recordId ?? '-'} ${e.errorCode}: ${e.message}`)] : []),
    '',
  ];
  process.stdout.write(summary.join('\n'));
  if (quotes !== batch.counts.quoted || batch.counts.failed > 0) process.exitCode = 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`demo: ${signal}, stopping`);
    void stopAll().finally(() => process.exit(130));
  });
}

main()
  .catch((err: unknown) => {
    log(`demo: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
