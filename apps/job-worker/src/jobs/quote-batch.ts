/**
 * The parent job of a quote batch. First run: page through the ids of the target opportunities
 * (`SELECT Id … ORDER BY Id`) and, as each `chunkSize` of them arrives, add a chunk job for their
 * Id ranges (flow children with deterministic ids, so a parent that crashed halfway and runs again
 * adds no chunk twice). Chunks start while later pages are still being read. Then wait for the
 * children; when they are all done, complete with the batch's totals.
 */
import { type Job, type Queue, WaitingChildrenError } from 'bullmq';
import {
  batchProgressSchema,
  CHUNK_RANGE_SIZE,
  quoteBatchSchema,
  quoteChunkPayload,
  sumChunkResults,
  type BatchProgress,
  type IdRange,
} from '@ecars/job-queue';
import { soql, type ClientLogger } from '@ecars/sf-client';
import { readPayload } from '../services/payload.js';
import { clientFor, rethrowFinal } from '../services/salesforce.js';

/** Options of chunk jobs: retried with backoff; a chunk that still fails does not block the batch. */
export const CHUNK_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
  ignoreDependencyOnFailure: true,
} as const;

export interface BatchDeps {
  chunks: Queue;
  logger?: ClientLogger;
  /** Requests in flight to one org from this process (all jobs together). */
  maxConcurrentRequests?: number;
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
  return async (job: Job, token?: string): Promise<BatchSummary> => {
    // The clause is validated again as the payload is read (a job may come from anywhere that can
    // write to Redis); only the re-composed clause (from the parsed tree) reaches the query text.
    const data = readPayload(quoteBatchSchema, job);
    let fan = batchProgressSchema.safeParse(job.progress).data;
    if (!fan || fan.phase !== 'fanned-out') {
      await job.updateProgress({ phase: 'finding', found: 0, chunks: 0, apiCalls: 0 } satisfies BatchProgress);
      const client = await clientFor(data.org, deps.logger, deps.maxConcurrentRequests);
      const parent = { id: job.id ?? '', queue: job.queueQualifiedName };
      let found = 0;
      let chunks = 0;
      let pending: string[] = [];
      const addChunk = async () => {
        const chunk = quoteChunkPayload({ org: data.org, batchId: job.id ?? '', soqlWhereClause: data.soqlWhereClause, ranges: idRanges(pending) });
        await deps.chunks.add('quote-chunk', chunk, { ...CHUNK_JOB_OPTIONS, jobId: `${job.id}-chunk-${chunks}`, parent });
        chunks += 1;
        pending = [];
        await job.updateProgress({ phase: 'finding', found, chunks, apiCalls: client.stats.requests } satisfies BatchProgress);
      };
      try {
        // ORDER BY Id makes the chunking (and so the chunk job ids) the same on a rerun, and the
        // ranges contiguous.
        for await (const r of client.query<{ Id: string }>(soql('Opportunity').whereClause(data.soqlWhereClause).orderBy('Id'))) {
          pending.push(r.Id);
          found += 1;
          if (pending.length === data.chunkSize) await addChunk();
        }
      } catch (err) {
        rethrowFinal(err);
      }
      if (pending.length > 0) await addChunk();
      fan = { phase: 'fanned-out', found, chunks, apiCalls: client.stats.requests };
      await job.updateProgress(fan);
    }
    if (token && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();

    const { priced, quoted, failed, skipped } = sumChunkResults(Object.values(await job.getChildrenValues()));
    const failedChunks = Object.keys(await job.getIgnoredChildrenFailures()).length;
    return { found: fan.found, chunks: fan.chunks, priced, quoted, failed, skipped, failedChunks } satisfies BatchSummary;
  };
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
