/**
 * What `GET /api/jobs/:id` reports, computed from BullMQ's own records so that it is exact even
 * with many workers: a batch's counts are the sum of its FINISHED chunks' return values (a chunk
 * that is retried or re-delivered counts once, when it finally completes), and its progress is
 * finished chunks over all chunks.
 */
import type { Job } from 'bullmq';
import { z } from 'zod';

/** One failed record, with Salesforce's error code. */
export const recordErrorSchema = z.object({
  recordId: z.string().nullable(),
  errorCode: z.string(),
  message: z.string(),
});
export type RecordError = z.infer<typeof recordErrorSchema>;

/** Return value of a finished chunk job. */
export const chunkResultSchema = z.object({
  found: z.number().int(),
  priced: z.number().int(),
  quoted: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  errors: z.array(recordErrorSchema),
  apiCalls: z.number().int(),
});
export type ChunkResult = z.infer<typeof chunkResultSchema>;

/** A chunk that failed for good (its attempts ran out, or its error cannot be retried). */
export const failedChunkSchema = z.object({
  chunkId: z.string(),
  /** Opportunities the chunk was planned with: all counted failed (none of its results is known). */
  opportunities: z.number().int(),
  errorCode: z.string(),
  message: z.string(),
});
export type FailedChunk = z.infer<typeof failedChunkSchema>;

/**
 * `job.progress` of a quote batch: its phase, what it found and planned, and the times of its
 * phases (epoch ms; kept across the parent's runs, unlike BullMQ's `processedOn`, which a parent
 * that resumes after its children overwrites).
 */
export const batchProgressSchema = z.object({
  phase: z.enum(['finding', 'fanned-out', 'finished']),
  found: z.number().int(),
  chunks: z.number().int(),
  apiCalls: z.number().int(),
  /** When the batch first started finding opportunities. */
  startedAt: z.number().int().optional(),
  /** When every chunk had been planned (finding ends, pricing and writing go on). */
  fannedOutAt: z.number().int().optional(),
  /** When the last chunk had finished and the batch resumed to total them. */
  resumedAt: z.number().int().optional(),
  /** Chunks that failed for good, recorded when the batch finishes. */
  failedChunks: z.array(failedChunkSchema).optional(),
});
export type BatchProgress = z.infer<typeof batchProgressSchema>;

/**
 * The reason a chunk fails with: `<ERROR_CODE>: <message>`, so the batch can report the code.
 * {@link parseFailure} reads it back; other reasons get `CHUNK_FAILED`.
 */
export function formatFailure(errorCode: string, message: string): string {
  return `${errorCode}: ${message}`;
}

/** The code and message of a reason {@link formatFailure} made (`CHUNK_FAILED` for any other). */
export function parseFailure(reason: string): { errorCode: string; message: string } {
  const m = /^([A-Z][A-Z0-9_]{2,}): ([\s\S]*)$/.exec(reason);
  return m ? { errorCode: m[1]!, message: m[2]! } : { errorCode: 'CHUNK_FAILED', message: reason };
}

/** `job.progress` of a sample-data job. */
export const dataProgressSchema = z.object({
  phase: z.string(),
  percent: z.number().min(0).max(100),
  processed: z.number().int(),
  failed: z.number().int(),
  total: z.number().int(),
  apiCalls: z.number().int().optional(),
});
export type DataProgress = z.infer<typeof dataProgressSchema>;

/** Most errors a status response lists. */
export const ERROR_SAMPLE_SIZE = 20;

/** The body of `GET /api/jobs/:id`. */
export interface JobStatus {
  jobId: string;
  kind: string;
  state: string;
  progress: number;
  counts: { found: number; priced: number; quoted: number; failed: number; skipped: number };
  errors: RecordError[];
  apiCalls: number;
  timings: {
    createdAt: string;
    /** The first start (a batch's parent runs again after its chunks; this stays the first). */
    startedAt: string | null;
    finishedAt: string | null;
    elapsedMs: number | null;
    /** A quote batch's phases, ms: finding (and planning chunks), pricing and writing, finishing; null until reached. */
    phases?: { findingMs: number | null; writingMs: number | null; finishingMs: number | null };
  };
  failedReason: string | null;
}

const iso = (ms: number | undefined | null) => (ms ? new Date(ms).toISOString() : null);

function timings(job: Job, firstStart?: number) {
  const end = job.finishedOn ?? null;
  const start = firstStart ?? job.processedOn ?? null;
  return {
    createdAt: new Date(job.timestamp).toISOString(),
    startedAt: iso(start),
    finishedAt: iso(end),
    elapsedMs: start ? (end ?? Date.now()) - start : null,
  };
}

/** The phases of a batch from its progress record (each null until it has ended). */
function phases(job: Job, p: BatchProgress | undefined) {
  const span = (from: number | undefined, to: number | null | undefined) => (from !== undefined && to ? to - from : null);
  return {
    findingMs: span(p?.startedAt, p?.fannedOutAt),
    writingMs: span(p?.fannedOutAt, p?.resumedAt),
    finishingMs: span(p?.resumedAt, job.finishedOn),
  };
}

/**
 * The job's state, consistent with the fetched record: a job that finished between being fetched and
 * asked for its state is reported as still running (its record has no reason or result yet); the
 * next read shows it finished, with them. Never `failed` without its `failedReason`.
 */
async function current(job: Job): Promise<{ job: Job; state: string }> {
  const state = await job.getState();
  if ((state === 'completed' || state === 'failed') && !job.finishedOn) return { job, state: 'active' };
  return { job, state };
}

/** What a batch's finished chunks add up to. */
export interface ChunkTotals {
  priced: number;
  quoted: number;
  failed: number;
  skipped: number;
  apiCalls: number;
  /** The first `ERROR_SAMPLE_SIZE` record errors. */
  errors: RecordError[];
}

/** Sums the return values of a batch's finished chunks (`job.getChildrenValues()`); other values are ignored. */
export function sumChunkResults(values: Iterable<unknown>): ChunkTotals {
  const totals: ChunkTotals = { priced: 0, quoted: 0, failed: 0, skipped: 0, apiCalls: 0, errors: [] };
  for (const v of values) {
    const r = chunkResultSchema.safeParse(v);
    if (!r.success) continue;
    totals.priced += r.data.priced;
    totals.quoted += r.data.quoted;
    totals.failed += r.data.failed;
    totals.skipped += r.data.skipped;
    totals.apiCalls += r.data.apiCalls;
    for (const e of r.data.errors) if (totals.errors.length < ERROR_SAMPLE_SIZE) totals.errors.push(e);
  }
  return totals;
}

/**
 * Status of a quote batch: its fan-out record plus the sum of its finished chunks. A chunk that
 * failed for good counts all its opportunities failed, and its error (with its Salesforce code)
 * leads the error sample: a batch never reports success over a chunk that wrote nothing.
 */
export async function quoteBatchStatus(fetched: Job): Promise<JobStatus> {
  const { job, state } = await current(fetched);
  const fan = batchProgressSchema.safeParse(job.progress).data;
  const values = Object.values(await job.getChildrenValues());
  const totals = sumChunkResults(values);
  // Failed chunks: recorded with their sizes when the batch finished; until then, the reasons BullMQ keeps.
  const recorded = fan?.failedChunks;
  const live = recorded ? [] : Object.values(await job.getIgnoredChildrenFailures());
  const chunkErrors: RecordError[] = recorded
    ? recorded.map((c) => ({ recordId: null, errorCode: c.errorCode, message: `chunk ${c.chunkId} (${c.opportunities} opportunities): ${c.message}` }))
    : live.map((reason) => ({ recordId: null, ...parseFailure(reason) }));
  const failedChunks = recorded ? recorded.length : live.length;
  const failedInChunks = (recorded ?? []).reduce((n, c) => n + c.opportunities, 0);
  const { priced, quoted, skipped } = totals;
  const counts = { found: fan?.found ?? 0, priced, quoted, failed: totals.failed + failedInChunks, skipped };
  const apiCalls = (fan?.apiCalls ?? 0) + totals.apiCalls;
  const chunks = fan?.chunks ?? 0;
  // While the batch is still finding opportunities the chunk count grows: never 100% before it has all.
  const share = chunks > 0 ? Math.floor(((values.length + failedChunks) / chunks) * 100) : 0;
  const progress = state === 'completed' ? 100 : fan?.phase === 'finding' ? Math.min(99, share) : Math.min(100, share);
  return {
    jobId: job.id ?? '',
    kind: 'quote-batch',
    state,
    progress,
    counts,
    errors: [...chunkErrors, ...totals.errors].slice(0, ERROR_SAMPLE_SIZE),
    apiCalls,
    timings: { ...timings(job, fan?.startedAt), phases: phases(job, fan) },
    failedReason: job.failedReason ?? null,
  };
}

/** Status of a sample-data job from its progress record. */
export async function dataJobStatus(fetched: Job): Promise<JobStatus> {
  const { job, state } = await current(fetched);
  const p = dataProgressSchema.safeParse(job.progress);
  const kind = (job.data as { kind?: string }).kind ?? 'data';
  return {
    jobId: job.id ?? '',
    kind,
    state,
    progress: state === 'completed' ? 100 : p.success ? Math.floor(p.data.percent) : 0,
    counts: {
      found: p.success ? p.data.total : 0,
      priced: 0,
      quoted: 0,
      failed: p.success ? p.data.failed : 0,
      skipped: 0,
    },
    errors: [],
    apiCalls: p.success ? (p.data.apiCalls ?? 0) : 0,
    timings: timings(job),
    failedReason: job.failedReason ?? null,
  };
}
