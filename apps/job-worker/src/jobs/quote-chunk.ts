/**
 * One chunk of a batch: read its opportunities with their lines and account region (the batch's
 * clause within each of its Id ranges, all ranges in one `/composite` call), price them with the
 * engine's columnar path, write each opportunity's Quote + lines as one unit through the Unit of
 * Work (shared composite graphs of up to 500 nodes, bounded concurrency), and return the exact
 * outcome. `Quote.Batch_Key__c` carries the unit key: a retried chunk, a re-delivered job or a
 * crashed worker finds quotes already written and never writes a second one (a rerun looks the
 * keys up first).
 */
import { DelayedError, type Job } from 'bullmq';
import { ERROR_SAMPLE_SIZE, formatFailure, parseUnitKey, quoteChunkSchema, type ChunkResult, type RecordError } from '@ecars/job-queue';
import type { ClientLogger } from '@ecars/sf-client';
import { readPayload } from '../services/payload.js';
import { rangeQuery, priceChunk } from '../services/pricing.js';
import { clientFor, rethrowFinal } from '../services/salesforce.js';

export interface ChunkDeps {
  /** Composite graph requests in flight per chunk. */
  writeConcurrency: number;
  /** Requests in flight to one org from this process (all chunks together). */
  maxConcurrentRequests?: number;
  /** Origins besides Salesforce domains a job\'s org URL may name. @defaultValue [] */
  allowedOrigins?: readonly string[];
  logger?: ClientLogger;
  /**
   * Aborted when the process's shutdown grace is over: the chunk stops writing (no new request) and
   * is released at once to another worker, whose precheck finds what this one wrote.
   */
  signal?: AbortSignal;
}

/** Puts the chunk back in the queue for any worker, now, without counting a failed attempt. */
async function release(job: Job, token: string | undefined): Promise<never> {
  await job.moveToDelayed(Date.now(), token);
  throw new DelayedError();
}

/** The external-id field of Quote that holds the unit key (force-app: Quote.Batch_Key__c). */
export const QUOTE_KEY_FIELD = 'Batch_Key__c';

export function quoteChunkProcessor(deps: ChunkDeps) {
  return async (job: Job, token?: string): Promise<ChunkResult> => {
    const data = readPayload(quoteChunkSchema, job);
    if (deps.signal?.aborted) return release(job, token);
    const client = await clientFor(data.org, deps);
    try {
      const rows = (await client.queryMany(data.ranges.map((r) => rangeQuery(data.soqlWhereClause, r)))).flat();
      const priced = priceChunk(data.batchKey ?? data.batchId, rows);
      const results = await client.commitUnits(priced.units, {
        keyField: QUOTE_KEY_FIELD,
        shareGraphs: true,
        // A chunk that ran before (retried, or taken over from a crashed worker), or one of a batch
        // the caller resubmitted with its key (after losing the queue), may be partly written.
        precheck: job.attemptsStarted > 1 || data.callerKey === true,
        concurrency: deps.writeConcurrency,
        ...(deps.signal ? { signal: deps.signal } : {}),
        onProgress: (p) => void job.updateProgress(Math.floor((p.done / Math.max(1, p.total)) * 100)).catch(() => undefined),
      });
      // Shutting down: what was written stays (keyed); the rest is for the worker that takes over.
      if (deps.signal?.aborted) return await release(job, token);
      // An org outage outlasts the unit of work's own retries (seconds): while the chunk has attempts
      // left, what the org refused unwritten goes back to the queue's backoff (minutes), and the
      // next attempt's precheck skips what this one wrote. Only on the last attempt do such units
      // become per-record failures; errors that no retry can fix always are.
      const refused = results.filter((r) => !r.ok && r.retryable);
      if (refused.length > 0 && job.attemptsMade + 1 < (job.opts.attempts ?? 1)) {
        const first = refused[0]!.error;
        throw new Error(
          formatFailure(
            first?.errorCode ?? 'SERVER_UNAVAILABLE',
            `${refused.length} of ${results.length} quotes not written, the org refused them (${first?.message ?? 'unavailable'}); the chunk is retried`,
          ),
        );
      }
      const errors: RecordError[] = [...priced.failures];
      for (const r of results) {
        if (r.ok || errors.length >= ERROR_SAMPLE_SIZE) continue;
        errors.push({
          recordId: parseUnitKey(r.key)?.opportunityId ?? null,
          errorCode: r.error?.errorCode ?? 'UNKNOWN',
          message: r.error?.message ?? 'unknown error',
        });
      }
      const quoted = results.filter((r) => r.ok).length;
      return {
        found: rows.length,
        priced: priced.priced,
        quoted,
        failed: priced.failures.length + (results.length - quoted),
        skipped: priced.skipped,
        errors: errors.slice(0, ERROR_SAMPLE_SIZE),
        apiCalls: client.stats.requests,
      };
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      rethrowFinal(err);
    }
  };
}
