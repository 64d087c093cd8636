/**
 * Waiting for a Bulk API job: poll its info with a growing interval (×1.5 per poll, capped),
 * report every state seen, and give up after an overall timeout.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions {
  /**
   * First wait between polls, ms; grows ×1.5 per poll up to `maxPollIntervalMs`.
   * @defaultValue 500
   */
  pollIntervalMs?: number;
  /**
   * Longest wait between polls, ms.
   * @defaultValue 10_000
   */
  maxPollIntervalMs?: number;
  /**
   * Time the job may take in total (upload to completion), ms; past it the job is aborted.
   * @defaultValue 600_000 (10 minutes)
   */
  timeoutMs?: number;
}

/**
 * Calls `read` until `isDone(info)`; returns the last info, or `{ timedOut: true, info }` once
 * `deadline` (ms since the epoch) has passed.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  isDone: (info: T) => boolean,
  deadline: number,
  options: PollOptions,
): Promise<{ timedOut: boolean; info: T }> {
  let interval = options.pollIntervalMs ?? 500;
  const cap = options.maxPollIntervalMs ?? 10_000;
  for (;;) {
    const info = await read();
    if (isDone(info)) return { timedOut: false, info };
    const left = deadline - Date.now();
    if (left <= 0) return { timedOut: true, info };
    await sleep(Math.min(interval, left));
    interval = Math.min(cap, Math.ceil(interval * 1.5));
  }
}
