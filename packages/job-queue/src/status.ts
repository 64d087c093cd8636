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

/** `job.progress` of a quote batch once it has fanned out. */
export const batchProgressSchema = z.object({
  phase: z.enum(['finding', 'fanned-out']),
  found: z.number().int(),
  chunks: z.number().int(),
  apiCalls: z.number().int(),
});
export type BatchProgress = z.infer<typeof batchProgressSchema>;

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
  timings: { createdAt: string; startedAt: string | null; finishedAt: string | null; elapsedMs: number | null };
  failedReason: string | null;
}

const iso = (ms: number | undefined | null) => (ms ? new Date(ms).toISOString() : null);

function timings(job: Job) {
  const end = job.finishedOn ?? null;
  return {
    createdAt: new Date(job.timestamp).toISOString(),
    startedAt: iso(job.processedOn),
    finishedAt: iso(end),
    elapsedMs: job.processedOn ? (end ?? Date.now()) - job.processedOn : null,
  };
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

/** Status of a quote batch: its fan-out record plus the sum of its finished chunks. */
export async function quoteBatchStatus(job: Job): Promise<JobStatus> {
  const state = await job.getState();
  const fan = batchProgressSchema.safeParse(job.progress);
  const values = Object.values(await job.getChildrenValues());
  const totals = sumChunkResults(values);
  const { priced, quoted, failed, skipped, errors } = totals;
  const counts = { found: fan.success ? fan.data.found : 0, priced, quoted, failed, skipped };
  const apiCalls = (fan.success ? fan.data.apiCalls : 0) + totals.apiCalls;
  const chunks = fan.success ? fan.data.chunks : 0;
  // While the batch is still finding opportunities the chunk count grows: never 100% before it has all.
  const finding = fan.success && fan.data.phase === 'finding';
  const share = chunks > 0 ? Math.floor((values.length / chunks) * 100) : 0;
  const progress = state === 'completed' ? 100 : finding ? Math.min(99, share) : share;
  return {
    jobId: job.id ?? '',
    kind: 'quote-batch',
    state,
    progress,
    counts,
    errors,
    apiCalls,
    timings: timings(job),
    failedReason: job.failedReason ?? null,
  };
}

/** Status of a sample-data job from its progress record. */
export async function dataJobStatus(job: Job): Promise<JobStatus> {
  const state = await job.getState();
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
