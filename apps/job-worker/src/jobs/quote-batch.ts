/**
 * The parent job of a quote batch. First run: page through the ids of the target opportunities
 * (`SELECT Id … ORDER BY Id`) and, as each `chunkSize` of them arrives, add a chunk job for their
 * Id ranges (flow children with deterministic ids, so a parent that crashed halfway and runs again
 * adds no chunk twice). Chunks start while later pages are still being read. Then wait for the
 * children; when they are all done, complete with the batch's totals.
 */
import { type Job, type Queue, UnrecoverableError, WaitingChildrenError } from 'bullmq';
import {
  batchProgressSchema,
  CHUNK_RANGE_SIZE,
  quoteBatchSchema,
  parseFailure,
  quoteChunkPayload,
  quoteChunkSchema,
  sumChunkResults,
  type BatchProgress,
  type FailedChunk,
  type IdRange,
} from '@ecars/job-queue';
import { soql, type ClientLogger } from '@ecars/sf-client';
import { readPayload } from '../services/payload.js';
import type { ProgressPublisher } from '../services/progress-events.js';
import { clientFor, rethrowFinal } from '../services/salesforce.js';

/** How chunk jobs are retried (the worker's `CHUNK_ATTEMPTS` and `CHUNK_BACKOFF_MS`). */
export interface ChunkRetry {
  /** Attempts of a chunk, the first included. @defaultValue 8 */
  attempts: number;
  /** Delay before the first retry (ms); doubles every retry. @defaultValue 5000 (about 10 minutes over 8 attempts) */
  backoffMs: number;
}

export const DEFAULT_CHUNK_RETRY: ChunkRetry = { attempts: 8, backoffMs: 5000 };

/**
 * Options of chunk jobs: retried with exponential backoff long enough to ride out an org outage
 * (the unit of work's own retries last seconds); a chunk that still fails does not block the batch's
 * other chunks, and the batch then ends failed with it.
 */
export function chunkJobOptions(retry: ChunkRetry = DEFAULT_CHUNK_RETRY) {
  return {
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs },
    removeOnComplete: { age: 24 * 3600 },
    removeOnFail: { age: 7 * 24 * 3600 },
    ignoreDependencyOnFailure: true,
  } as const;
}

export interface BatchDeps {
  chunks: Queue;
  logger?: ClientLogger;
  /** @defaultValue DEFAULT_CHUNK_RETRY */
  chunkRetry?: ChunkRetry;
  /** Publishes the final `Quote_Job_Progress__e` of the batch. @defaultValue none */
  progress?: ProgressPublisher;
  /** Requests in flight to one org from this process (all jobs together). */
  maxConcurrentRequests?: number;
  /** Origins besides Salesforce domains a job\'s org URL may name. @defaultValue [] */
  allowedOrigins?: readonly string[];
}

/** Totals of a finished batch (the parent's return value). */
export interface BatchSummary {
  found: number;
  chunks: number;
  priced: number;
  quoted: number;
  failed: number;
  skipped: number;
  failedChunks: number;
}

export function quoteBatchProcessor(deps: BatchDeps) {
  const chunkOptions = chunkJobOptions(deps.chunkRetry);
  return async (job: Job, token?: string): Promise<BatchSummary> => {
    // The clause is validated again as the payload is read (a job may come from anywhere that can
    // write to Redis); only the re-composed clause (from the parsed tree) reaches the query text.
    const data = readPayload(quoteBatchSchema, job);
    let fan = batchProgressSchema.safeParse(job.progress).data;
    if (!fan || fan.phase === 'finding') {
      // A parent that crashed while finding starts again, but keeps its first start time.
      const startedAt = fan?.startedAt ?? Date.now();
      await job.updateProgress({
        phase: 'finding',
        found: 0,
        chunks: 0,
        apiCalls: 0,
        startedAt,
      } satisfies BatchProgress);
      const client = await clientFor(data.org, deps);
      const parent = { id: job.id ?? '', queue: job.queueQualifiedName };
      let found = 0;
      let chunks = 0;
      let pending: string[] = [];
      const addChunk = async () => {
        const chunk = quoteChunkPayload({
          org: data.org,
          batchId: job.id ?? '',
          batchKey: data.batchKey ?? job.id ?? '',
          callerKey: data.batchKey !== undefined,
          soqlWhereClause: data.soqlWhereClause,
          ranges: idRanges(pending),
        });
        await deps.chunks.add('quote-chunk', chunk, {
          ...chunkOptions,
          jobId: `${job.id}-chunk-${chunks}`,
          parent,
        });
        chunks += 1;
        pending = [];
        await job.updateProgress({
          phase: 'finding',
          found,
          chunks,
          apiCalls: client.stats.requests,
          startedAt,
        } satisfies BatchProgress);
      };
      try {
        // ORDER BY Id makes the chunking (and so the chunk job ids) the same on a rerun, and the
        // ranges contiguous.
        for await (const r of client.query<{ Id: string }>(
          soql('Opportunity').whereClause(data.soqlWhereClause).orderBy('Id'),
        )) {
          pending.push(r.Id);
          found += 1;
          if (pending.length === data.chunkSize) await addChunk();
        }
      } catch (err) {
        rethrowFinal(err);
      }
      if (pending.length > 0) await addChunk();
      fan = {
        phase: 'fanned-out',
        found,
        chunks,
        apiCalls: client.stats.requests,
        startedAt,
        fannedOutAt: Date.now(),
      };
      await job.updateProgress(fan);
    }
    if (token && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();

    const { priced, quoted, failed, skipped } = sumChunkResults(Object.values(await job.getChildrenValues()));
    const failedChunks = await failedChunksOf(job, deps.chunks);
    await job.updateProgress({
      ...fan,
      phase: 'finished',
      resumedAt: fan.resumedAt ?? Date.now(),
      failedChunks,
    } satisfies BatchProgress);
    const lost = failedChunks.reduce((n, c) => n + c.opportunities, 0);
    const first = failedChunks[0];
    // Never "completed" over a chunk that failed for good: its opportunities have no quote.
    const failedReason = first
      ? `${failedChunks.length} of ${fan.chunks} chunks failed for good (${lost} opportunities not quoted); ` +
        `chunk ${first.chunkId}: ${first.errorCode}: ${first.message}`
      : null;
    if (deps.progress) {
      const progress = deps.progress;
      // Not awaited: the final event is a notification, the job's status is the record. Waiting for
      // one more org call would hold the batch's completion (and its callers) by that call's latency.
      void (async () => {
        const client = await clientFor(data.org, deps).catch(() => undefined);
        const status = {
          jobId: job.id ?? '',
          state: failedReason ? 'failed' : 'completed',
          progress: 100,
          counts: { found: fan.found, priced, quoted, failed: failed + lost, skipped },
          errors: [],
          failedReason,
        };
        if (client)
          await progress.publish(
            client,
            {
              kind: 'quote-batch',
              apiCalls: 0,
              timings: { createdAt: '', startedAt: null, finishedAt: null, elapsedMs: null },
              ...status,
            },
            true,
          );
      })().catch((err: unknown) =>
        deps.logger?.warn(
          { jobId: job.id, err: err instanceof Error ? err.message : String(err) },
          'final progress event not published',
        ),
      );
    }
    if (failedReason) throw new UnrecoverableError(failedReason);
    return {
      found: fan.found,
      chunks: fan.chunks,
      priced,
      quoted,
      failed,
      skipped,
      failedChunks: 0,
    } satisfies BatchSummary;
  };
}

/** The batch's chunks that failed for good, with their size (from their payload) and last error. */
async function failedChunksOf(job: Job, chunks: Queue): Promise<FailedChunk[]> {
  const failures = await job.getIgnoredChildrenFailures();
  const out: FailedChunk[] = [];
  for (const [key, reason] of Object.entries(failures)) {
    const chunkId = key.slice(key.lastIndexOf(':') + 1);
    const chunk = await chunks.getJob(chunkId);
    const planned = quoteChunkSchema.shape.ranges.safeParse(
      (chunk?.data as { ranges?: unknown } | undefined)?.ranges,
    );
    const opportunities = planned.success ? planned.data.reduce((n, r) => n + r.count, 0) : 0;
    out.push({ chunkId, opportunities, ...parseFailure(reason) });
  }
  return out.sort((a, b) => a.chunkId.localeCompare(b.chunkId, 'en', { numeric: true }));
}

/** Consecutive ids (in `ORDER BY Id` order) as ranges of at most `CHUNK_RANGE_SIZE`. */
export function idRanges(ids: readonly string[]): IdRange[] {
  const ranges: IdRange[] = [];
  for (let i = 0; i < ids.length; i += CHUNK_RANGE_SIZE) {
    const slice = ids.slice(i, i + CHUNK_RANGE_SIZE);
    ranges.push({ first: slice[0]!, last: slice.at(-1)!, count: slice.length });
  }
  return ranges;
}
