/**
 * The worker pool: renders in threads (same bytes as on the calling thread), admits at most
 * `threads + maxQueue` documents, makes the rest wait or refuses them with a typed error, and
 * closes gracefully.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  DOCUMENT_ERROR_CODES,
  DocumentInputError,
  DocumentRenderer,
  PoolClosedError,
  QueueFullError,
  RenderAbortedError,
  UnknownTemplateError,
  renderDocument,
  type DocumentInput,
} from '../src/index.js';
import { orderConfirmationInput, quoteInput } from './fixtures/quotes.js';

const renderers: DocumentRenderer[] = [];
function renderer(options: ConstructorParameters<typeof DocumentRenderer>[0]): DocumentRenderer {
  const created = new DocumentRenderer(options);
  renderers.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(renderers.splice(0).map((r) => r.close()));
});

describe('DocumentRenderer', () => {
  it('renders both templates on worker threads, byte for byte what the calling thread renders', async () => {
    const pool = renderer({ threads: 2 });
    const inputs: DocumentInput[] = [
      quoteInput({ lines: 5, seed: 2 }),
      orderConfirmationInput(),
      quoteInput({ lines: 1, currency: 'JPY' }),
    ];
    const fromPool = await Promise.all(inputs.map((input) => pool.render(input)));
    const local = await Promise.all(inputs.map((input) => renderDocument(input)));
    fromPool.forEach((bytes, index) => {
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(bytes).subarray(0, 5).toString()).toBe('%PDF-');
      expect(Buffer.from(bytes).equals(Buffer.from(local[index]!))).toBe(true);
    });
    expect(pool.pending).toBe(0);
  });

  it('admits threads + maxQueue documents and makes the next callers wait, in order, until a slot frees', async () => {
    const pool = renderer({ threads: 1, maxQueue: 2 });
    const finished: number[] = [];
    let highest = 0;
    const runs = Array.from({ length: 12 }, (_, index) =>
      pool.render(quoteInput({ lines: 3, seed: index })).then((bytes) => {
        finished.push(index);
        return bytes;
      }),
    );
    highest = Math.max(highest, pool.pending);
    expect(pool.pending).toBe(3);
    expect(pool.waiting).toBe(9);
    const results = await Promise.all(runs);
    expect(results.every((bytes) => bytes.byteLength > 1_000)).toBe(true);
    expect(highest).toBeLessThanOrEqual(3);
    // One thread, FIFO admission: documents finish in the order they were submitted.
    expect(finished).toEqual([...finished].sort((a, b) => a - b));
    expect(pool.pending).toBe(0);
    expect(pool.waiting).toBe(0);
  });

  it('refuses a document with a typed QueueFullError when full and asked not to wait, and renders the admitted ones', async () => {
    const pool = renderer({ threads: 1, maxQueue: 1, whenFull: 'reject' });
    const admitted = [pool.render(quoteInput({ seed: 1 })), pool.render(quoteInput({ seed: 2 }))];
    const refused = pool.render(quoteInput({ seed: 3 }));
    await expect(refused).rejects.toBeInstanceOf(QueueFullError);
    await expect(refused).rejects.toMatchObject({ code: DOCUMENT_ERROR_CODES.QUEUE_FULL, pending: 2 });
    // A call may still choose to wait.
    const waited = pool.render(quoteInput({ seed: 4 }), { whenFull: 'wait' });
    const bytes = await Promise.all([...admitted, waited]);
    expect(bytes).toHaveLength(3);
    await expect(pool.render(quoteInput({ seed: 5 }))).resolves.toBeInstanceOf(Uint8Array);
  });

  it('rejects bad input at once, naming the field, without taking a slot', async () => {
    const pool = renderer({ threads: 1, maxQueue: 0, whenFull: 'reject' });
    const input = quoteInput({ lines: 2 });
    const bad = pool.render({ ...input, lineLabels: input.lineLabels.slice(1) });
    await expect(bad).rejects.toBeInstanceOf(DocumentInputError);
    await expect(bad).rejects.toMatchObject({
      path: 'lineLabels',
      message: 'lineLabels: has 1 labels for 2 priced lines',
    });
    await expect(
      pool.render({ ...input, template: 'invoice' } as unknown as DocumentInput),
    ).rejects.toBeInstanceOf(UnknownTemplateError);
    expect(pool.pending).toBe(0);
    await expect(pool.render(input)).resolves.toBeInstanceOf(Uint8Array);
  });

  it('gives up on a caller whose signal aborts while it waits, and frees nothing it did not take', async () => {
    const pool = renderer({ threads: 1, maxQueue: 0 });
    const first = pool.render(quoteInput({ lines: 20 }));
    const controller = new AbortController();
    const waiting = pool.render(quoteInput({ seed: 2 }), { signal: controller.signal });
    expect(pool.waiting).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(RenderAbortedError);
    expect(pool.waiting).toBe(0);
    await expect(first).resolves.toBeInstanceOf(Uint8Array);
    expect(pool.pending).toBe(0);
    await expect(pool.render(quoteInput({ seed: 3 }), { signal: AbortSignal.abort() })).rejects.toMatchObject(
      {
        code: DOCUMENT_ERROR_CODES.ABORTED,
      },
    );
  });

  it('stops a render whose signal aborts while it runs, and keeps rendering the next documents', async () => {
    const pool = renderer({ threads: 1 });
    await pool.render(quoteInput({ lines: 1 })); // the thread is up
    const controller = new AbortController();
    const running = pool.render(quoteInput({ lines: 200 }), { signal: controller.signal });
    const next = pool.render(quoteInput({ seed: 9 }));
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(RenderAbortedError);
    await expect(next).resolves.toBeInstanceOf(Uint8Array);
    expect(pool.pending).toBe(0);
  });

  it('closes gracefully: admitted documents finish, waiting callers and later calls get PoolClosedError', async () => {
    const pool = renderer({ threads: 1, maxQueue: 1 });
    const admitted = [pool.render(quoteInput({ seed: 1 })), pool.render(quoteInput({ seed: 2 }))];
    const waiting = pool.render(quoteInput({ seed: 3 }));
    const closed = pool.close();
    await expect(waiting).rejects.toBeInstanceOf(PoolClosedError);
    await expect(Promise.all(admitted)).resolves.toHaveLength(2);
    await closed;
    await expect(pool.render(quoteInput({ seed: 4 }))).rejects.toMatchObject({
      code: DOCUMENT_ERROR_CODES.POOL_CLOSED,
    });
    await expect(pool.close()).resolves.toBeUndefined();
  });

  it('leaves the calling thread’s event loop idle while documents render, unlike rendering in place', async () => {
    const pool = renderer({ threads: 1 });
    await pool.render(quoteInput({ lines: 1 })); // the thread is up
    const inputs = Array.from({ length: 4 }, (_, index) => quoteInput({ lines: 30, seed: index }));

    const poolStart = performance.eventLoopUtilization();
    await Promise.all(inputs.map((input) => pool.render(input)));
    const pooled = performance.eventLoopUtilization(poolStart).utilization;

    const inPlaceStart = performance.eventLoopUtilization();
    for (const input of inputs) await renderDocument(input);
    const inPlace = performance.eventLoopUtilization(inPlaceStart).utilization;

    // Utilisation is the share of wall time the loop spent running code rather than waiting for
    // events: it does not depend on how fast the machine is, only on where the drawing happens.
    expect(pooled).toBeLessThan(0.5);
    expect(inPlace).toBeGreaterThan(0.5);
  });

  it('checks its options', () => {
    expect(() => new DocumentRenderer({ threads: 0 })).toThrow(RangeError);
    expect(() => new DocumentRenderer({ threads: 1, maxQueue: -1 })).toThrow(RangeError);
  });
});
