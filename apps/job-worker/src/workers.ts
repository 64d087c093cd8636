/**
 * `startWorkers(options)`: the worker process's BullMQ workers for the three queues, built apart
 * from the process entry (`worker.ts`) so tests and `pnpm demo` can run them in-process too.
 */
import { Job, Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Logger } from 'pino';
import { checkEvictionPolicy, checkPersistence, orgContextSchema, quoteBatchStatus, QUEUE_PREFIX, QUEUES, redisConnection, redisOptions } from '@ecars/job-queue';
import { quoteBatchProcessor, type ChunkRetry } from './jobs/quote-batch.js';
import { quoteChunkProcessor } from './jobs/quote-chunk.js';
import { sampleDataProcessor } from './jobs/sample-data.js';
import { createLogger } from './logger.js';
import { ProgressPublisher } from './services/progress-events.js';
import { clientFor } from './services/salesforce.js';

/** Options of `startWorkers`. */
export interface WorkersOptions {
  /** @defaultValue 'redis://127.0.0.1:6379' */
  redisUrl?: string;
  /** Verify TLS certificates of `rediss://`. @defaultValue true */
  tlsRejectUnauthorized?: boolean;
  /** BullMQ key prefix. @defaultValue 'ecars' */
  prefix?: string;
  /** Chunk jobs this process runs at once. @defaultValue 3 */
  concurrency?: number;
  /** Composite graph requests in flight per chunk. @defaultValue 15 */
  writeConcurrency?: number;
  /** Requests in flight to one org from this process, all jobs together. @defaultValue 25 */
  maxConcurrentRequests?: number;
  /** How long a job's lock lasts without renewal before another worker takes it over (ms). @defaultValue 30000 */
  lockDuration?: number;
  /** How often stalled jobs are looked for (ms). @defaultValue 30000 */
  stalledInterval?: number;
  /**
   * Origins besides Salesforce's https domains a job's org URL may name (a local org in development);
   * a job naming any other URL fails at once, and its token goes nowhere.
   * @defaultValue [] (Salesforce domains only)
   */
  allowedOrigins?: readonly string[];
  /** How chunk jobs are retried. @defaultValue 8 attempts, backoff from 5 s */
  chunkRetry?: ChunkRetry;
  /** Publish `Quote_Job_Progress__e` (at most once a second per batch, and at the end). @defaultValue true */
  progressEvents?: boolean;
  /** @defaultValue a pino logger at info with tokens redacted */
  logger?: Logger;
}

export interface RunningWorkers {
  workers: Worker[];
  logger: Logger;
  /** Stops taking jobs and waits for the running ones; `force` releases them at once instead. */
  close(force?: boolean): Promise<void>;
  /**
   * The graceful stop (SIGTERM): stop taking jobs, let the running ones finish for `graceMs`, then
   * stop writing and release the running chunks to another worker (their next run's precheck finds
   * what was written). Resolves when the workers are closed, or `releaseMs` after the grace at most
   * (a request still in flight then is left to finish; its job's lock lapses and another worker
   * takes it over).
   */
  stop(graceMs: number, releaseMs?: number): Promise<'finished' | 'released' | 'abandoned'>;
}

export async function startWorkers(options: WorkersOptions = {}): Promise<RunningWorkers> {
  const logger = options.logger ?? createLogger();
  const url = options.redisUrl ?? 'redis://127.0.0.1:6379';
  const tls = options.tlsRejectUnauthorized ?? true;
  const prefix = options.prefix ?? QUEUE_PREFIX;
  const connection: ConnectionOptions = redisOptions({ url, tlsRejectUnauthorized: tls, connectionName: 'job-worker' });
  const common = {
    connection,
    prefix,
    lockDuration: options.lockDuration ?? 30_000,
    stalledInterval: options.stalledInterval ?? 30_000,
    maxStalledCount: 3,
  };

  const probe = redisConnection({ url, tlsRejectUnauthorized: tls, maxRetriesPerRequest: 1 });
  const [warning, persistence] = await Promise.all([checkEvictionPolicy(probe), checkPersistence(probe)]).finally(() => probe.disconnect());
  if (warning) logger.warn(warning);
  if (persistence.warning) logger.warn({ persistence: persistence.mode }, persistence.warning);

  // Every client of an org in this process shares one limiter, sized by the first: all get the same size.
  const maxConcurrentRequests = options.maxConcurrentRequests ?? 25;
  const allowedOrigins = options.allowedOrigins ?? [];
  // Aborted when a graceful stop's grace is over: running chunks stop writing and release themselves.
  const shutdown = new AbortController();
  const chunks = new Queue(QUEUES.quoteChunks, { connection, prefix });
  const batches = new Queue(QUEUES.quoteBatches, { connection, prefix });
  const turnstile = redisConnection({ url, tlsRejectUnauthorized: tls, maxRetriesPerRequest: 1, connectionName: 'job-worker-progress' });
  turnstile.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error (progress events)'));
  const progress = options.progressEvents === false ? undefined : new ProgressPublisher(turnstile, prefix, logger);
  const workers = [
    new Worker(QUEUES.quoteBatches, quoteBatchProcessor({ chunks, logger, maxConcurrentRequests, allowedOrigins, ...(progress ? { progress } : {}), ...(options.chunkRetry ? { chunkRetry: options.chunkRetry } : {}) }), { ...common, concurrency: 8 }),
    new Worker(QUEUES.quoteChunks, quoteChunkProcessor({ writeConcurrency: options.writeConcurrency ?? 15, logger, maxConcurrentRequests, allowedOrigins, signal: shutdown.signal }), {
      ...common,
      concurrency: options.concurrency ?? 3,
    }),
    new Worker(QUEUES.sampleData, sampleDataProcessor({ logger, maxConcurrentRequests, allowedOrigins }), { ...common, concurrency: 1 }),
  ];
  for (const w of workers) {
    w.on('active', (job) => logger.info({ queue: w.name, jobId: job.id, kind: (job.data as { kind?: string }).kind }, 'job started'));
    w.on('completed', (job, result) => logger.info({ queue: w.name, jobId: job.id, result }, 'job completed'));
    w.on('failed', (job, err) =>
      logger.warn({ queue: w.name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'job failed'),
    );
    w.on('stalled', (jobId) => logger.warn({ queue: w.name, jobId }, 'job stalled: another worker takes it over'));
    w.on('error', (err) => logger.error({ queue: w.name, err: err.message }, 'worker error'));
  }
  // After each chunk: the batch's progress as a platform event (throttled per batch across processes).
  if (progress) {
    workers[1]!.on('completed', (job) => {
      const parentId = job.parent?.id;
      const org = orgContextSchema.safeParse((job.data as { org?: unknown }).org);
      if (!parentId || !org.success) return;
      void (async () => {
        const parent = await Job.fromId(batches, parentId);
        if (!parent) return;
        const client = await clientFor(org.data, { logger, maxConcurrentRequests, allowedOrigins });
        await progress.publish(client, await quoteBatchStatus(parent));
      })().catch((err: unknown) => logger.warn({ jobId: parentId, err: (err as Error).message }, 'could not publish the progress event'));
    });
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  logger.info({ queues: workers.map((w) => w.name), concurrency: options.concurrency ?? 3 }, 'workers ready');

  const closeConnections = async () => {
    await Promise.all([chunks.close(), batches.close()]);
    turnstile.disconnect();
  };
  return {
    workers,
    logger,
    async close(force = false) {
      if (force) shutdown.abort();
      await Promise.all(workers.map((w) => w.close(force)));
      await closeConnections();
    },
    async stop(graceMs, releaseMs = 2000) {
      // BullMQ's close(true) after close() returns the close already in progress (it still waits
      // for the running jobs), so the grace is enforced here: the processors are told to let go.
      const closing = Promise.all(workers.map((w) => w.close())).then(() => 'closed' as const);
      const wait = (ms: number) => new Promise<'timeout'>((resolve) => setTimeout(resolve, ms, 'timeout').unref());
      if ((await Promise.race([closing, wait(graceMs)])) === 'closed') {
        await closeConnections();
        return 'finished';
      }
      logger.warn({ graceMs }, 'grace period over: stopping writes and releasing the running chunks');
      shutdown.abort();
      const outcome = await Promise.race([closing, wait(releaseMs)]);
      if (outcome === 'closed') await closeConnections();
      return outcome === 'closed' ? 'released' : 'abandoned';
    },
  };
}
