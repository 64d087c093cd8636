/**
 * `pnpm bench`: the quote batch job end to end against the local org with Salesforce-like
 * latency, and the seed sample's way of doing the same work as a baseline, in the same run.
 *
 * - One local org in this process (`startLocalOrg({ seed: 'demo' })` on PostgreSQL, see DATABASE_URL). Input is
 *   seeded straight through its record store (not timed): opportunities with 2 line items each.
 *   Timed parts run under the latency model `100 ms per API call + 1.5 ms per record written`
 *   (`org.setFaults({ latencyMs: 100, latencyPerRecordMs: 1.5 })`), calibrated so that a
 *   sequential writer reproduces the sample's ≈24 s for 5,000 opportunities.
 * - Project: `src/worker.ts` in its own process per worker (as deployed), a batch enqueued exactly
 *   as job-api does, timed from the enqueue to the parent job's completion. Checked afterwards:
 *   the job reports every opportunity quoted, and the org holds exactly one quote with 2 lines
 *   per opportunity.
 * - Baseline (baseline.ts): query all, price with the sample's float formula, one composite graph
 *   per opportunity packed ≤ 500 nodes / ≤ 75 graphs per request, requests one after the other.
 * - Large: the project's job with 2 worker processes on 100,000 opportunities, or, when that
 *   would not fit the time budget (the org's own write cost is the limit, see the printed
 *   breakdown), on the largest size that fits ~3 minutes, scaled linearly to 100,000 and named as
 *   such in the output (`measured100kWith`).
 *
 * Every timed section starts from a reset org (`org.reset()` + fresh seed) after a warm-up. The
 * breakdown lines say where the time went: CPU of this process (the org: HTTP, record store,
 * PGlite) against the wall time, CPU of the worker processes, and the latency the model added
 * (its sum divided by the wall time is the mean number of calls waiting in it).
 *
 * Last line, one JSON object:
 *   {"bench":"batch-job","opportunities":5000,"wallSec":N,"apiCalls":N,"baselineWallSec":N,
 *    "ratio":N,"wallSec100k":N,"measured100kWith":N,...}
 * `ratio` = baselineWallSec / wallSec (how many times faster the project is); `orgCpuSec` and
 * `baselineOrgCpuSec` are the org's CPU-seconds in those runs (steady even on a busy machine).
 *
 * Environment: BENCH_OPPORTUNITIES (5000), BENCH_RUNS (1; best and median when more),
 * BENCH_CHUNK_SIZE, BENCH_WORKER_CONCURRENCY, BENCH_WRITE_CONCURRENCY, BENCH_MAX_CONCURRENT_REQUESTS (see DEFAULTS),
 * BENCH_LARGE_OPPORTUNITIES (100000), BENCH_LARGE_BUDGET_SEC (180), BENCH_SKIP (comma list of
 * `baseline`, `large`), BENCH_SQL_PROFILE=1 (statements per opportunity; slower),
 * BENCH_CPU_PROFILE=<file> (a .cpuprofile of this process, i.e. the org, during the first project
 * run), BENCH_DATABASE_URL (the org's PostgreSQL, default DATABASE_URL or the local server's
 * `test` database; `pglite` for PGlite in this process), REDIS_URL.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { availableParallelism, loadavg } from 'node:os';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES, redisOptions, type OrgContext } from '@ecars/job-queue';
import { startLocalOrg, type LocalOrg } from '@ecars/local-org';
import { runBaseline, type BaselineRun } from './baseline.js';
import {
  counterDelta,
  endpoints,
  int,
  median,
  orgCounters,
  ownCpuSeconds,
  round,
  sec,
  type OrgCounters,
} from './measure.js';
import { batchClient, type BatchClient, type BatchRun } from './project-job.js';
import { benchPrefix, deleteKeys, removeStaleBenchKeys } from './redis-keys.js';
import { countQuotes, LINES_PER_OPPORTUNITY, seedOpportunities } from './seed-opportunities.js';
import { profileSql, type SqlProfile } from './sql-profile.js';
import { startWorkerProcesses, type WorkerProcesses, type WorkerSettings } from './worker-processes.js';

/**
 * The settings the project runs with: job-api's and the worker's own defaults, chosen by
 * measurement (bench/README.md): chunks of 2,490 opportunities (5 Id ranges of 498 read in one
 * `/composite` call, 15 shared-graph requests of 166 units), 3 chunks at once per process, a
 * chunk's 15 graph requests at once, at most 25 requests in flight per process (the number of
 * long-running requests a real org allows; these take about a second).
 */
const DEFAULTS = { chunkSize: 2490, concurrency: 3, writeConcurrency: 15, maxConcurrentRequests: 25 } as const;

const env = (name: string, fallback: number, min = 1): number => {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got '${raw}'`);
  return n;
};
const OPPORTUNITIES = env('BENCH_OPPORTUNITIES', 5_000);
const RUNS = env('BENCH_RUNS', 1);
const CHUNK_SIZE = env('BENCH_CHUNK_SIZE', DEFAULTS.chunkSize);
const CONCURRENCY = env('BENCH_WORKER_CONCURRENCY', DEFAULTS.concurrency);
const WRITE_CONCURRENCY = env('BENCH_WRITE_CONCURRENCY', DEFAULTS.writeConcurrency);
const MAX_IN_FLIGHT = env('BENCH_MAX_CONCURRENT_REQUESTS', DEFAULTS.maxConcurrentRequests);
const LARGE_TARGET = env('BENCH_LARGE_OPPORTUNITIES', 100_000);
const LARGE_BUDGET_SEC = env('BENCH_LARGE_BUDGET_SEC', 180);
const SKIP = new Set(
  (process.env['BENCH_SKIP'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const SQL_PROFILE = process.env['BENCH_SQL_PROFILE'] === '1';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const CPU_PROFILE = process.env['BENCH_CPU_PROFILE'];
/**
 * Where the org keeps its data. PostgreSQL by default (the server `.ci/run` and
 * `scripts/services.sh` provide; the org takes a schema of its own and drops it on stop): the
 * database then works in its own process, beside the org's JavaScript, as a real org's would.
 * `BENCH_DATABASE_URL=pglite` runs it on PGlite in this process (the local org's default), where
 * the org's database work and JavaScript share one thread; the bench also falls back to PGlite,
 * saying so, when PostgreSQL does not answer.
 */
const DATABASE_URL = process.env['BENCH_DATABASE_URL'] ?? process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Requests in flight per worker process: the client's per-org limiter caps what the chunks want. */
const IN_FLIGHT_PER_PROCESS = Math.min(MAX_IN_FLIGHT, CONCURRENCY * WRITE_CONCURRENCY);

/** The issue's latency model. */
const LATENCY = { latencyMs: 100, latencyPerRecordMs: 1.5 } as const;
/** The issue's targets. */
const TARGETS = { wallSec: 3, apiCalls: 40, wallSec100k: 30 } as const;
/** Run the full large size when it is estimated to take at most this long, seeding included. */
const LARGE_FULL_MAX_SEC = 300;
/** Hard stop: whatever hangs, the process cleans up and ends. */
const DEADLINE_MS = 10 * 60_000;
const WARMUP_OPPORTUNITIES = 300;
const LARGE_WORKERS = 2;

const NAMES = {
  warmup: 'BenchWarmup ',
  job: 'BenchJob ',
  baseline: 'BenchBaseline ',
  large: 'BenchLarge ',
} as const;

for (const v of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[v];

// ---------------------------------------------------------------------------------------------
// Resources, released by cleanup() whatever happens

const queuePrefix = benchPrefix(randomBytes(4).toString('hex'));
const connection = redisOptions({ url: REDIS_URL });
let org: LocalOrg | undefined;
let client: BatchClient | undefined;
const workerGroups: WorkerProcesses[] = [];
let redisAnswered = false;
let cleaning: Promise<void> | undefined;

/** Resolves when `promise` settles or after `ms`, whichever comes first (cleanup must never hang). */
async function bounded(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up after ${ms / 1000} s`)), ms);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Stops the workers, removes every key of the bench's prefix from Redis, stops the org. Idempotent. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    const step = async (what: string, fn: () => Promise<unknown>, ms: number) => {
      try {
        await bounded(fn(), ms);
      } catch (err) {
        console.error(`batch-job bench: cleanup: ${what}: ${(err as Error).message}`);
      }
    };
    for (const group of workerGroups.splice(0)) await step('stop workers', () => group.stop(), 20_000);
    if (client) await step('close producer', () => client!.close(), 10_000);
    if (redisAnswered) {
      await step(
        'remove the queues',
        async () => {
          for (const name of Object.values(QUEUES)) {
            const q = new Queue(name, { connection, prefix: queuePrefix });
            await q.obliterate({ force: true });
            await q.close();
          }
          // Whatever obliterate leaves (event streams, meta keys) goes too: nothing of the bench stays in Redis.
          await deleteKeys(connection, `${queuePrefix}:*`);
        },
        30_000,
      );
    }
    if (org) await step('stop org', () => org!.stop(), 30_000);
  })();
  return cleaning;
}

function fail(reason: string): never {
  throw new Error(reason);
}

// ---------------------------------------------------------------------------------------------
// Sections

interface Window {
  seconds: number;
  counters: OrgCounters;
  orgCpuSec: number;
  workerCpuSec: number | null;
}

/** Measures `fn` with the org's counters and both sides' CPU. */
async function measured<T>(
  workers: WorkerProcesses[],
  fn: () => Promise<T>,
): Promise<{ result: T; window: Window }> {
  const workerCpu = () => {
    let total = 0;
    for (const w of workers) {
      const s = w.cpuSeconds();
      if (s === null) return null;
      total += s;
    }
    return total;
  };
  const before = orgCounters(org!);
  const cpu0 = ownCpuSeconds();
  const wcpu0 = workerCpu();
  const started = performance.now();
  const result = await fn();
  const seconds = (performance.now() - started) / 1000;
  const wcpu1 = workerCpu();
  return {
    result,
    window: {
      seconds,
      counters: counterDelta(before, orgCounters(org!)),
      orgCpuSec: ownCpuSeconds() - cpu0,
      workerCpuSec: wcpu0 === null || wcpu1 === null ? null : wcpu1 - wcpu0,
    },
  };
}

/** Fresh org, fresh input, latency on. */
async function prepare(prefix: string, count: number): Promise<number> {
  await org!.reset();
  org!.setFaults({ latencyMs: 0, latencyPerRecordMs: 0 });
  const seeded = await seedOpportunities(org!, prefix, count);
  org!.setFaults(LATENCY);
  return seeded.seconds;
}

function orgContext(): OrgContext {
  const o = org!;
  return {
    instanceUrl: o.instanceUrl,
    accessToken: o.accessToken,
    apiVersion: o.apiVersion,
    orgId: o.orgId,
    userId: o.userId,
    username: o.username,
  };
}

function remainingMs(deadline: number): number {
  return Math.max(10_000, deadline - Date.now());
}

/** Runs the project's batch and checks its result against the org: one quote with its lines per opportunity. */
async function projectRun(
  prefix: string,
  count: number,
  workers: WorkerProcesses[],
  deadline: number,
): Promise<{ run: BatchRun; window: Window }> {
  const { result: run, window } = await measured(workers, () =>
    client!.run(orgContext(), prefix, CHUNK_SIZE, remainingMs(deadline)),
  );
  const s = run.summary;
  if (s.found !== count || s.quoted !== count || s.failed !== 0 || s.failedChunks !== 0) {
    fail(
      `project run on ${count} opportunities reported ${JSON.stringify(s)}; first errors: ${JSON.stringify(run.status.errors.slice(0, 3))}; ` +
        `failed chunks: ${JSON.stringify(run.chunkFailures)}`,
    );
  }
  const inOrg = await countQuotes(org!, prefix);
  if (
    inOrg.quotes !== count ||
    inOrg.opportunitiesWithOneQuote !== count ||
    inOrg.lines !== count * LINES_PER_OPPORTUNITY
  ) {
    fail(`project run on ${count} opportunities left ${JSON.stringify(inOrg)} in the org`);
  }
  return { run, window };
}

async function baselineRun(prefix: string, count: number): Promise<{ run: BaselineRun; window: Window }> {
  const { result: run, window } = await measured([], () => runBaseline(orgContext(), prefix));
  if (run.opportunities !== count || run.quotes !== count || run.failedGraphs !== 0) {
    fail(`baseline on ${count} opportunities: ${JSON.stringify(run)}`);
  }
  const inOrg = await countQuotes(org!, prefix);
  if (inOrg.quotes !== count || inOrg.lines !== count * LINES_PER_OPPORTUNITY)
    fail(`baseline left ${JSON.stringify(inOrg)} in the org`);
  return { run, window };
}

/** Samples this process (the org) until the returned function is called; it writes the profile and returns its path. */
async function startCpuProfile(): Promise<() => Promise<string>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    writeFileSync(CPU_PROFILE!, JSON.stringify(profile));
    return CPU_PROFILE!;
  };
}

const print = (lines: readonly string[]): void => {
  for (const line of lines) console.log(line);
};

/**
 * What the time went to. `inFlight` is the most calls the client keeps in flight: the latency the
 * model added, divided by it, is the wall time the run would need with an org that costs nothing.
 */
function breakdown(label: string, w: Window, count: number, inFlight: number): string[] {
  const perOpp = (s: number) => `${((s / count) * 1000).toFixed(2)} ms/opportunity`;
  const latencySec = w.counters.latencyAddedMs / 1000;
  return [
    `  ${label}: ${sec(w.seconds)} wall, ${int(w.counters.apiCalls)} API calls (${endpoints(w.counters.byEndpoint)})`,
    `    org process CPU ${sec(w.orgCpuSec)} (${((w.orgCpuSec / w.seconds) * 100).toFixed(0)}% of wall, ${perOpp(w.orgCpuSec)})` +
      (w.workerCpuSec === null
        ? ''
        : `; worker process CPU ${sec(w.workerCpuSec)} (${perOpp(w.workerCpuSec)})`) +
      `; latency model ${sec(latencySec)} summed over calls (${(latencySec / w.seconds).toFixed(1)} calls waiting on average)`,
    `    floor from the latency model alone (an org that costs nothing, ${inFlight} call${inFlight > 1 ? 's' : ''} always in flight): ${sec(latencySec / inFlight)}`,
  ];
}

// ---------------------------------------------------------------------------------------------

/** The org on `DATABASE_URL`, or on PGlite when that is `pglite` or does not answer. */
async function startOrg(): Promise<LocalOrg> {
  if (DATABASE_URL === 'pglite') return startLocalOrg({ seed: 'demo' });
  try {
    return await startLocalOrg({ seed: 'demo', databaseUrl: DATABASE_URL });
  } catch (error) {
    console.log(`  PostgreSQL at ${DATABASE_URL.replace(/\/\/[^@]*@/, '//')} did not answer (${(error as Error).message}); the org runs on PGlite`);
    return startLocalOrg({ seed: 'demo' });
  }
}

async function main(): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS - 60_000;
  let settings: WorkerSettings = {
    redisUrl: REDIS_URL,
    prefix: queuePrefix,
    concurrency: CONCURRENCY,
    writeConcurrency: WRITE_CONCURRENCY,
    maxConcurrentRequests: MAX_IN_FLIGHT,
  };
  console.log(
    `batch-job bench: ${int(OPPORTUNITIES)} opportunities × ${LINES_PER_OPPORTUNITY} lines, latency ${LATENCY.latencyMs} ms/call + ${LATENCY.latencyPerRecordMs} ms/record written`,
  );
  console.log(
    `node ${process.versions.node}, ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)} at start; project: chunkSize ${CHUNK_SIZE}, WORKER_CONCURRENCY ${CONCURRENCY}, WRITE_CONCURRENCY ${WRITE_CONCURRENCY}, SF_MAX_CONCURRENT_REQUESTS ${MAX_IN_FLIGHT} ` +
      `(≤ ${IN_FLIGHT_PER_PROCESS} requests in flight per worker process); ${RUNS} timed run${RUNS > 1 ? 's' : ''} per side after a warm-up\n`,
  );

  const probe = new Redis({
    ...connection,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    redisAnswered = true;
  } catch {
    fail(`Redis at ${REDIS_URL} does not answer; start it or set REDIS_URL`);
  } finally {
    probe.disconnect();
  }

  const stale = await removeStaleBenchKeys(connection);
  if (stale > 0) console.log(`  removed ${int(stale)} Redis keys left by an earlier run that was killed`);

  let t = performance.now();
  org = await startOrg();
  settings = { ...settings, allowedOrigins: [org.instanceUrl] };
  const sql: SqlProfile | undefined = SQL_PROFILE ? profileSql(org) : undefined;
  workerGroups.push(await startWorkerProcesses(1, settings));
  client = await batchClient(connection, queuePrefix);
  console.log(
    `  local org at ${org.instanceUrl} (${org.runtime.db.kind}) and 1 worker process ready in ${sec((performance.now() - t) / 1000)}`,
  );

  // Warm-up (JIT of org, workers and baseline client), no latency, not timed.
  t = performance.now();
  await org.reset();
  await seedOpportunities(org, NAMES.warmup, WARMUP_OPPORTUNITIES);
  await projectRun(NAMES.warmup, WARMUP_OPPORTUNITIES, workerGroups, deadline);
  await seedOpportunities(org, `${NAMES.warmup}B`, WARMUP_OPPORTUNITIES);
  if (!SKIP.has('baseline')) await runBaseline(orgContext(), `${NAMES.warmup}B`);
  console.log(
    `  warm-up (${WARMUP_OPPORTUNITIES} opportunities each side, no latency) in ${sec((performance.now() - t) / 1000)}\n`,
  );

  // Project and baseline on OPPORTUNITIES, RUNS times each.
  const jobRuns: { run: BatchRun; window: Window; seedSec: number }[] = [];
  const baselineRuns: { run: BaselineRun; window: Window }[] = [];
  for (let r = 0; r < RUNS; r++) {
    const seedSec = await prepare(NAMES.job, OPPORTUNITIES);
    sql?.reset();
    const profiler = CPU_PROFILE && r === 0 ? await startCpuProfile() : undefined;
    const job = await projectRun(NAMES.job, OPPORTUNITIES, workerGroups, deadline);
    if (profiler)
      console.log(`  CPU profile of this process (the org) during the run written to ${await profiler()}`);
    jobRuns.push({ ...job, seedSec });
    console.log(`  seeded ${int(OPPORTUNITIES)} opportunities in ${sec(seedSec)} (not timed)`);
    print(
      breakdown(`project, 1 worker process, run ${r + 1}`, job.window, OPPORTUNITIES, IN_FLIGHT_PER_PROCESS),
    );
    console.log(
      `    job: ${job.run.summary.chunks} chunks, first chunk started at +${sec(job.run.firstChunkStartSec ?? 0)}, last finished at +${sec(job.run.lastChunkEndSec ?? 0)}; ` +
        `job status: ${int(job.run.status.counts.quoted)} quoted, ${int(job.run.status.apiCalls)} API calls; verified: ${int(OPPORTUNITIES)} quotes with ${LINES_PER_OPPORTUNITY} lines, one per opportunity`,
    );
    const warnings = workerGroups[0]!.warnings();
    if (warnings.size > 0)
      console.log(`    worker warnings so far: ${[...warnings].map(([m, n]) => `${m} ×${n}`).join('; ')}`);
    if (sql) print(sql.report(OPPORTUNITIES, 'opportunity'));
    if (SKIP.has('baseline')) continue;
    await prepare(NAMES.baseline, OPPORTUNITIES);
    sql?.reset();
    const base = await baselineRun(NAMES.baseline, OPPORTUNITIES);
    baselineRuns.push(base);
    print(breakdown(`baseline, sequential graphs, run ${r + 1}`, base.window, OPPORTUNITIES, 1));
    console.log(
      `    baseline: ${base.run.queryCalls} query calls, ${base.run.graphRequests} graph requests; verified: ${int(OPPORTUNITIES)} quotes`,
    );
    if (sql) print(sql.report(OPPORTUNITIES, 'opportunity'));
    console.log('');
  }
  const best = jobRuns.reduce((a, b) => (b.window.seconds < a.window.seconds ? b : a));
  const wallSec = best.window.seconds;
  const apiCalls = best.window.counters.apiCalls;
  const baselineWallSec =
    baselineRuns.length > 0 ? Math.min(...baselineRuns.map((b) => b.window.seconds)) : null;
  const baselineApiCalls = baselineRuns[0]?.window.counters.apiCalls ?? null;

  // Large: 2 worker processes; the full size only when it fits the budget.
  let wallSec100k: number | null = null;
  let measuredLarge: number | null = null;
  let largeLine = '  large: skipped (BENCH_SKIP)';
  if (!SKIP.has('large')) {
    const perOpportunity = (best.seedSec + best.window.seconds) / OPPORTUNITIES;
    const budgetSec = Math.min(LARGE_BUDGET_SEC, (deadline - Date.now()) / 1000 - 60);
    let size = LARGE_TARGET;
    if (LARGE_TARGET * perOpportunity > LARGE_FULL_MAX_SEC)
      size = Math.max(OPPORTUNITIES, Math.floor(budgetSec / perOpportunity / 1000) * 1000);
    size = Math.min(size, LARGE_TARGET);
    console.log(
      `  large: ${int(LARGE_TARGET)} opportunities estimated at ${sec(LARGE_TARGET * perOpportunity)} (seeding + job at the 1-worker rate); ` +
        (size === LARGE_TARGET
          ? 'running the full size'
          : `measuring ${int(size)} (fits ${LARGE_BUDGET_SEC} s) and scaling linearly`),
    );
    workerGroups.push(await startWorkerProcesses(LARGE_WORKERS - 1, settings));
    const seedSec = await prepare(NAMES.large, size);
    sql?.reset();
    const large = await projectRun(NAMES.large, size, workerGroups, deadline);
    console.log(`  seeded ${int(size)} opportunities in ${sec(seedSec)} (not timed)`);
    print(
      breakdown(
        `project, ${LARGE_WORKERS} worker processes, ${int(size)} opportunities`,
        large.window,
        size,
        LARGE_WORKERS * IN_FLIGHT_PER_PROCESS,
      ),
    );
    if (sql) print(sql.report(size, 'opportunity'));
    measuredLarge = size;
    wallSec100k = large.window.seconds * (LARGE_TARGET / size);
    largeLine =
      size === LARGE_TARGET
        ? `  ${int(LARGE_TARGET)} opportunities, 2 workers: ${sec(wallSec100k)} (target ≤ ${TARGETS.wallSec100k} s)`
        : `  ${int(LARGE_TARGET)} opportunities, 2 workers: ${sec(wallSec100k)} SCALED linearly from ${int(size)} measured in ${sec(large.window.seconds)} (target ≤ ${TARGETS.wallSec100k} s)`;
  }

  const ratio = baselineWallSec === null ? null : baselineWallSec / wallSec;
  console.log('');
  console.log(
    `  load average ${loadavg()[0]!.toFixed(1)} at the end on ${availableParallelism()} cores (other work on the machine shows as org CPU well below 100% of wall)`,
  );
  console.log(
    `  project   ${int(OPPORTUNITIES)} opportunities: ${sec(wallSec)}${RUNS > 1 ? ` (median ${sec(median(jobRuns.map((j) => j.window.seconds)))})` : ''}, ` +
      `${apiCalls} API calls (targets ≤ ${TARGETS.wallSec} s, ≤ ${TARGETS.apiCalls} calls)`,
  );
  if (baselineWallSec !== null) {
    console.log(
      `  baseline  ${int(OPPORTUNITIES)} opportunities: ${sec(baselineWallSec)}, ${baselineApiCalls} API calls`,
    );
    console.log(`  ratio baseline / project: ${ratio!.toFixed(2)}×`);
  }
  console.log(largeLine);
  console.log(
    `  write requests: ${Math.ceil(OPPORTUNITIES / 166)} at least with shared graphs (166 opportunities of 2 lines per 500-node request), ` +
      `${Math.ceil(OPPORTUNITIES / 75)} with one graph per opportunity (75 per request)`,
  );
  console.log(
    JSON.stringify({
      bench: 'batch-job',
      opportunities: OPPORTUNITIES,
      wallSec: round(wallSec),
      apiCalls,
      baselineWallSec: baselineWallSec === null ? null : round(baselineWallSec),
      ratio: ratio === null ? null : round(ratio),
      wallSec100k: wallSec100k === null ? null : round(wallSec100k, 1),
      measured100kWith: measuredLarge,
      baselineApiCalls,
      // CPU-seconds of the org: unlike wall times, steady when other work shares the machine.
      orgCpuSec: round(best.window.orgCpuSec, 1),
      baselineOrgCpuSec:
        baselineRuns.length > 0 ? round(Math.min(...baselineRuns.map((b) => b.window.orgCpuSec)), 1) : null,
      chunkSize: CHUNK_SIZE,
      workerConcurrency: CONCURRENCY,
      writeConcurrency: WRITE_CONCURRENCY,
      maxConcurrentRequests: MAX_IN_FLIGHT,
    }),
  );
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`batch-job bench: ${signal}, cleaning up`);
    void bounded(cleanup(), 90_000)
      .catch(() => undefined)
      .finally(() => process.exit(130));
  });
}
const hardStop = setTimeout(() => {
  console.error(
    `batch-job bench: still running after ${DEADLINE_MS / 60_000} minutes; cleaning up and giving up`,
  );
  void bounded(cleanup(), 90_000)
    .catch(() => undefined)
    .finally(() => process.exit(1));
}, DEADLINE_MS);
hardStop.unref();

main()
  .catch((err: unknown) => {
    console.error(
      `batch-job bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
    clearTimeout(hardStop);
    // Nothing is left to wait for; do not let a stray keep-alive socket hold the process.
    process.exit();
  });
