/** Job status computed from BullMQ's records, on a real Redis. */
import { randomUUID } from 'node:crypto';
import { FlowProducer, Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { quoteBatchStatus, redisOptions, type ChunkResult } from '../src/index.js';

const connection = redisOptions({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379' });
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

function result(partial: Partial<ChunkResult>): ChunkResult {
  return { found: 0, priced: 0, quoted: 0, failed: 0, skipped: 0, errors: [], apiCalls: 0, ...partial };
}

describe('quoteBatchStatus', () => {
  it('sums the finished chunks, counts each once, and reports progress as finished over all chunks', async () => {
    const prefix = `ecars-test-${randomUUID()}`;
    const batches = new Queue('quote-batches', { connection, prefix });
    const flow = new FlowProducer({ connection, prefix });
    closers.push(async () => batches.obliterate({ force: true }), () => batches.close(), () => flow.close());

    const tree = await flow.add({
      name: 'batch',
      queueName: 'quote-batches',
      data: { kind: 'quote-batch' },
      children: [1, 2, 3].map((n) => ({ name: 'chunk', queueName: 'quote-chunks', data: { n }, opts: { attempts: 2 } })),
    });
    const parent = tree.job as Job;
    await parent.updateProgress({ phase: 'fanned-out', found: 7, chunks: 3, apiCalls: 2 });

    let first = await quoteBatchStatus((await batches.getJob(parent.id!))!);
    expect(first).toMatchObject({ state: 'waiting-children', progress: 0, counts: { found: 7, quoted: 0 }, apiCalls: 2 });

    const results: Record<number, ChunkResult> = {
      1: result({ found: 3, priced: 3, quoted: 3, apiCalls: 2 }),
      2: result({ found: 3, priced: 2, quoted: 1, failed: 1, skipped: 1, apiCalls: 2, errors: [{ recordId: '006000000000001AAA', errorCode: 'FIELD_INTEGRITY_EXCEPTION', message: 'bad entry' }] }),
      3: result({ found: 1, priced: 1, quoted: 1, apiCalls: 1 }),
    };
    let attempts = 0;
    const events = new QueueEvents('quote-chunks', { connection, prefix });
    await events.waitUntilReady();
    const worker = new Worker(
      'quote-chunks',
      async (job) => {
        const n = (job.data as { n: number }).n;
        // Chunk 2 fails once and is retried by BullMQ: it must be counted once.
        if (n === 2 && attempts++ === 0) throw new Error('transient');
        return results[n];
      },
      { connection, prefix },
    );
    const chunks = new Queue('quote-chunks', { connection, prefix });
    closers.unshift(() => worker.close(), () => events.close(), () => chunks.obliterate({ force: true }), () => chunks.close());
    const done = new Promise<void>((resolve) => {
      let completed = 0;
      events.on('completed', () => ++completed === 3 && resolve());
    });
    await done;

    first = await quoteBatchStatus((await batches.getJob(parent.id!))!);
    expect(first.counts).toEqual({ found: 7, priced: 6, quoted: 5, failed: 1, skipped: 1 });
    expect(first.apiCalls).toBe(7);
    expect(first.progress).toBe(100);
    expect(first.errors).toEqual([{ recordId: '006000000000001AAA', errorCode: 'FIELD_INTEGRITY_EXCEPTION', message: 'bad entry' }]);
    expect(first.timings.createdAt).toMatch(/^\d{4}-/);
  });
});
