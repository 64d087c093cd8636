import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A level-free wake-up: `wait()` returns a promise that the next `notify()` resolves. Consumer
 * loops wait on it instead of polling, so an idle in-process consumer costs nothing.
 */
export class Signal {
  #waiters: (() => void)[] = [];

  wait(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  notify(): void {
    const waiters = this.#waiters;
    if (waiters.length === 0) return;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/** Resolves after `ms`, or at once when `abort` fires (never rejects). */
export async function delay(ms: number, abort?: AbortSignal): Promise<void> {
  if (abort?.aborted) return;
  await sleep(ms, undefined, abort ? { signal: abort } : undefined).catch(() => undefined);
}
