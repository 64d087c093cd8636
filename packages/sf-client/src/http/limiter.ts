/**
 * A FIFO concurrency limiter, and the process-wide registry that shares one limiter per org
 * (instance URL): Salesforce counts concurrent long-running requests per org (about 25 before it
 * answers `REQUEST_LIMIT_EXCEEDED: ConcurrentPerOrgLongTxn`), so every client of the same org in
 * this process must draw from one pool, whatever connection created it.
 */

export class ConcurrencyLimiter {
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`concurrency must be an integer >= 1, got ${size}`);
  }

  /** Requests running now. */
  get active(): number {
    return this.#active;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Runs `fn` when a slot is free; the slot is released when it settles. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      return await fn();
    } finally {
      this.#release();
    }
  }

  #acquire(): Promise<void> {
    if (this.#active < this.size) {
      this.#active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    // The slot passes straight to the next waiter, so `active` stays the same.
    if (next) next();
    else this.#active -= 1;
  }
}

const shared = new Map<string, ConcurrencyLimiter>();

/**
 * The limiter of the org at `instanceUrl`, created with `size` slots on first use. Later callers
 * get the same limiter whatever size they ask for: the first client of an org sets its pool.
 */
export function sharedLimiter(instanceUrl: string, size: number): ConcurrencyLimiter {
  const key = instanceUrl.replace(/\/+$/, '').toLowerCase();
  let limiter = shared.get(key);
  if (!limiter) {
    limiter = new ConcurrencyLimiter(size);
    shared.set(key, limiter);
  }
  return limiter;
}

/** Runs `fn` over `items` with at most `concurrency` calls in flight; results keep the input order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
