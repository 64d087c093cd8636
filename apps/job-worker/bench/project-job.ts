/**
 * The project's quote batch, started exactly as job-api starts it: a `quoteBatchPayload` (the clause
 * validated once, carried as its normalized text)
 * with the org's context on the `quote-batches` queue (job-api's attempts and backoff), timed from
 * the enqueue to the parent job's completion (QueueEvents, no polling delay).
 */
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents, type ConnectionOptions } from 'bullmq';
import {
  QUEUES,
  quoteBatchPayload,
  quoteBatchStatus,
  type JobStatus,
  type OrgContext,
} from '@ecars/job-queue';
import { validateWhereClause } from '@ecars/sf-client';
import type { BatchSummary } from '../src/jobs/quote-batch.js';

/** job-api's options for the jobs it creates (apps/job-api/src/routes/jobs.ts). */
const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/** A producer on the benchmark's prefix. */
export interface BatchClient {
  /** Runs one batch over `Name LIKE '<prefix>%'` and waits for it. */
  run(org: OrgContext, namePrefix: string, chunkSize: number, timeoutMs: number): Promise<BatchRun>;
  close(): Promise<void>;
}

/** One finished batch. */
export interface BatchRun {
  jobId: string;
  seconds: number;
  summary: BatchSummary;
  status: JobStatus;
  /** Seconds from the enqueue until the first chunk started, and until the last chunk finished. */
  firstChunkStartSec: number | null;
  lastChunkEndSec: number | null;
  /** `failedReason` of chunks that failed for good (distinct reasons). */
  chunkFailures: string[];
}

export async function batchClient(connection: ConnectionOptions, prefix: string): Promise<BatchClient> {
  const queue = new Queue(QUEUES.quoteBatches, { connection, prefix });
  const events = new QueueEvents(QUEUES.quoteBatches, { connection, prefix });
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  const chunks = new Queue(QUEUES.quoteChunks, { connection, prefix });
  return {
    async run(org, namePrefix, chunkSize, timeoutMs) {
      const where = validateWhereClause('Opportunity', `Name LIKE '${namePrefix}%'`);
      if (!where.ok) throw new Error(`bench clause refused: ${where.reason}`);
      const data = quoteBatchPayload({ org, soqlWhereClause: where, chunkSize, requestedAt: new Date().toISOString() });
      const jobId = randomUUID();
      const enqueuedAt = Date.now();
      const started = performance.now();
      const job = await queue.add(data.kind, data, { ...JOB_OPTIONS, jobId });
      const summary = (await job.waitUntilFinished(events, timeoutMs)) as BatchSummary;
      const seconds = (performance.now() - started) / 1000;
      const finished = await queue.getJob(jobId);
      if (!finished) throw new Error(`batch ${jobId} disappeared from the queue`);
      const status = await quoteBatchStatus(finished);
      let first: number | null = null;
      let last: number | null = null;
      const failures = new Set<string>();
      for (let i = 0; i < summary.chunks; i++) {
        const chunk = await chunks.getJob(`${jobId}-chunk-${i}`);
        if (chunk?.failedReason && (await chunk.isFailed())) failures.add(chunk.failedReason);
        if (chunk?.processedOn) first = Math.min(first ?? Infinity, chunk.processedOn);
        if (chunk?.finishedOn) last = Math.max(last ?? 0, chunk.finishedOn);
      }
      return {
        jobId,
        seconds,
        summary,
        status,
        firstChunkStartSec: first === null ? null : (first - enqueuedAt) / 1000,
        lastChunkEndSec: last === null ? null : (last - enqueuedAt) / 1000,
        chunkFailures: [...failures],
      };
    },
    async close() {
      await events.close();
      await queue.close();
      await chunks.close();
    },
  };
}
