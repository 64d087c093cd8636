/**
 * Renders documents on a pool of worker threads (piscina), so a PDF never blocks the caller's
 * event loop, with a bounded number of documents in the pool and back-pressure beyond it.
 *
 * The eCars sample rendered in one worker thread with `maxQueue: 0`: a second request while one
 * was rendering got a 503. Here a pool the size of the machine renders in parallel, up to
 * `threads + maxQueue` documents are admitted, and a caller past that either waits for a slot
 * (the default, FIFO) or gets a typed {@link QueueFullError} at once; never a crash or an
 * unbounded queue inside the pool.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { DocumentInput } from './document-input.js';
import {
  DOCUMENT_ERROR_CODES,
  DocumentError,
  DocumentInputError,
  PoolClosedError,
  QueueFullError,
  RenderAbortedError,
  RenderFailedError,
  UnknownTemplateError,
} from './errors.js';
import type { WorkerData, WorkerResult } from './render-worker.js';
import { DEFAULT_THEME, type Theme } from './theme.js';
import { validateDocumentInput } from './validate.js';

/** What to do when the pool already holds `threads + maxQueue` documents. */
export type WhenFull = 'wait' | 'reject';

/** Options of a {@link DocumentRenderer}. */
export interface DocumentRendererOptions {
  /**
   * Worker threads. One per CPU: rendering is CPU-bound, more threads only add switching.
   * @defaultValue `os.availableParallelism()`
   */
  readonly threads?: number;
  /**
   * Documents that may wait for a free thread inside the pool, on top of the ones rendering.
   * Bounds memory: each admitted document holds its input and, soon, its PDF.
   * @defaultValue `4 × threads`
   */
  readonly maxQueue?: number;
  /**
   * Past the bound, `'wait'` makes `render()` wait for a slot (FIFO); `'reject'` makes it throw
   * a {@link QueueFullError} at once. A call can override it.
   * @defaultValue `'wait'`
   */
  readonly whenFull?: WhenFull;
  /**
   * Branding of every document.
   * @defaultValue {@link DEFAULT_THEME}
   */
  readonly theme?: Theme;
}

/** Options of one {@link DocumentRenderer.render} call. */
export interface RenderOptions {
  /** Overrides {@link DocumentRendererOptions.whenFull} for this call. */
  readonly whenFull?: WhenFull;
  /** Gives up waiting (or rendering) when it aborts: the promise rejects with {@link RenderAbortedError}. */
  readonly signal?: AbortSignal;
}

interface Waiter {
  readonly admit: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * @example
 * ```ts
 * const renderer = new DocumentRenderer();
 * const pdf = await renderer.render(quoteDocument); // Uint8Array
 * await renderer.close();
 * ```
 */
export class DocumentRenderer {
  readonly #pool: Piscina<DocumentInput, WorkerResult>;
  readonly #capacity: number;
  readonly #whenFull: WhenFull;
  readonly #waiters: Waiter[] = [];
  #admitted = 0;
  #closing: Promise<void> | null = null;
  /** Resolved when nothing is admitted any more; what close() waits for. */
  readonly #idleWaiters: (() => void)[] = [];

  constructor(options: DocumentRendererOptions = {}) {
    const threads = options.threads ?? availableParallelism();
    const maxQueue = options.maxQueue ?? 4 * threads;
    if (!Number.isInteger(threads) || threads < 1)
      throw new RangeError(`threads must be a positive integer, got ${threads}`);
    if (!Number.isInteger(maxQueue) || maxQueue < 0)
      throw new RangeError(`maxQueue must be a non-negative integer, got ${maxQueue}`);
    this.#capacity = threads + maxQueue;
    this.#whenFull = options.whenFull ?? 'wait';
    this.#pool = new Piscina<DocumentInput, WorkerResult>({
      ...workerEntry(),
      minThreads: threads,
      maxThreads: threads,
      // Admission is bounded above, so piscina's own queue never exceeds maxQueue; its limit is
      // set to the same figure as a second fence.
      maxQueue: Math.max(maxQueue, 1),
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData: { theme: options.theme ?? DEFAULT_THEME } satisfies WorkerData,
    });
  }

  /** Documents rendering or queued in the pool (not counting callers waiting to get in). */
  get pending(): number {
    return this.#admitted;
  }

  /** Callers waiting for a slot because the pool is full. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Threads in the pool. */
  get threads(): number {
    return this.#pool.maxThreads;
  }

  /**
   * Renders one document on a worker thread.
   *
   * @throws {@link DocumentInputError} / {@link UnknownTemplateError} at once for bad input (checked
   * on the calling thread, before it takes a slot), {@link QueueFullError} when full and
   * `whenFull` is `'reject'`, {@link PoolClosedError} after `close()`, {@link RenderAbortedError}
   * when `signal` aborts, {@link RenderFailedError} when the PDF library fails.
   */
  async render(input: DocumentInput, options: RenderOptions = {}): Promise<Uint8Array> {
    if (this.#closing !== null) throw new PoolClosedError();
    validateDocumentInput(input);
    if (options.signal?.aborted === true) throw new RenderAbortedError({ cause: options.signal.reason });
    await this.#admit(options);
    try {
      const result = await this.#pool.run(input, options.signal ? { signal: options.signal } : {});
      if (result instanceof Uint8Array) return result;
      throw failureToError(result);
    } catch (error) {
      if (error instanceof DocumentError) throw error;
      if (aborted(options.signal)) throw new RenderAbortedError({ cause: error });
      throw new RenderFailedError(error instanceof Error ? error.message : String(error), { cause: error });
    } finally {
      this.#release();
    }
  }

  /**
   * Stops taking documents, lets the ones admitted finish, rejects callers still waiting for a
   * slot with {@link PoolClosedError}, then stops the threads. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const waiter of this.#waiters.splice(0)) waiter.reject(new PoolClosedError());
      // piscina's close() aborts the tasks still in its queue; the admitted documents were
      // promised a render, so they are let through first.
      if (this.#admitted > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
      await this.#pool.close();
    })();
    return this.#closing;
  }

  /** Takes a slot, waiting for one or refusing, as the options say. */
  #admit(options: RenderOptions): Promise<void> {
    if (this.#admitted < this.#capacity && this.#waiters.length === 0) {
      this.#admitted += 1;
      return Promise.resolve();
    }
    if ((options.whenFull ?? this.#whenFull) === 'reject') {
      return Promise.reject(new QueueFullError(this.#admitted + this.#waiters.length));
    }
    return new Promise<void>((resolve, reject) => {
      const signal = options.signal;
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(new RenderAbortedError({ cause: signal?.reason }));
      };
      const waiter: Waiter = {
        // The slot is handed over by #release (the count stays the same), hence no increment here.
        admit: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  #release(): void {
    const next = this.#waiters.shift();
    if (next !== undefined) {
      next.admit();
      return;
    }
    this.#admitted -= 1;
    if (this.#admitted === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}

/**
 * Where the worker code is. Built (`dist/*.js`), it is the compiled file. From TypeScript sources
 * (tests, `tsx` in development), the thread needs the same loader and the `@ecars/source`
 * condition as this one, which a worker does not inherit.
 */
function workerEntry(): { filename: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const filename = new URL(fromSource ? './render-worker.ts' : './render-worker.js', import.meta.url).href;
  if (!fromSource) return { filename, execArgv: [] };
  return { filename, execArgv: ['--conditions=@ecars/source', '--import', import.meta.resolve('tsx')] };
}

/** A function, not an inline check, so the compiler does not keep an earlier narrowing: the signal can abort at any await. */
function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function failureToError(failure: Exclude<WorkerResult, Uint8Array>): DocumentError {
  switch (failure.code) {
    case DOCUMENT_ERROR_CODES.INVALID_INPUT: {
      const path = failure.path ?? 'input';
      return new DocumentInputError(
        path,
        failure.message.startsWith(`${path}: `) ? failure.message.slice(path.length + 2) : failure.message,
      );
    }
    case DOCUMENT_ERROR_CODES.UNKNOWN_TEMPLATE:
      return Object.assign(new UnknownTemplateError(undefined), { message: failure.message });
    default:
      return new RenderFailedError(failure.message);
  }
}
