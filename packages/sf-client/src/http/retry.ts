/**
 * When and how long to retry. Exponential backoff with full jitter (AWS Architecture Blog,
 * "Exponential Backoff And Jitter"): attempt n waits a uniform random time in
 * [0, min(cap, base × 2^(n-1))), which spreads the retries of many workers hitting the same
 * overloaded org instead of having them retry in lockstep.
 *
 * Errors fall in three classes:
 * - `not-applied`: Salesforce answered and did nothing (`REQUEST_LIMIT_EXCEEDED` on concurrency,
 *   HTTP 429, 503 `SERVER_UNAVAILABLE`, `UNABLE_TO_LOCK_ROW`, connection refused). Safe to retry
 *   any request.
 * - `unknown-outcome`: the request left but no answer came back (connection reset, socket hang up,
 *   timeout, 502/504 from a proxy). Reads are retried; a write must not be resent blindly — the
 *   unit of work and collections check what was written first (see unit-of-work.ts).
 * - `fatal`: anything else (validation errors, 500 `UNKNOWN_EXCEPTION`, the daily API allocation
 *   used up): retrying cannot help.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SalesforceApiError } from '../errors/salesforce-api-error.js';
import { SalesforceNetworkError } from '../errors/salesforce-network-error.js';

/** Retry settings of a client. */
export interface RetryOptions {
  /**
   * Attempts in total, the first one included.
   * @defaultValue 5
   */
  maxAttempts?: number;
  /**
   * Upper bound of the first retry's delay, in ms; doubles every attempt.
   * @defaultValue 200
   */
  baseDelayMs?: number;
  /**
   * Cap of any single delay, in ms.
   * @defaultValue 10_000
   */
  maxDelayMs?: number;
  /**
   * Source of jitter in [0, 1) (tests pass a fixed one).
   * @defaultValue Math.random
   */
  random?: () => number;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

export const DEFAULT_RETRY: ResolvedRetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  random: Math.random,
};

export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  const resolved = { ...DEFAULT_RETRY, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  if (!Number.isInteger(resolved.maxAttempts) || resolved.maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be an integer >= 1, got ${resolved.maxAttempts}`);
  }
  if (!(resolved.baseDelayMs >= 0) || !(resolved.maxDelayMs >= 0)) throw new RangeError('retry delays must be >= 0');
  return resolved;
}

export type Retryability = 'not-applied' | 'unknown-outcome' | 'fatal';

/** The class of `error` (see the module comment). */
export function classifyError(error: unknown): Retryability {
  if (error instanceof SalesforceNetworkError) return error.sent ? 'unknown-outcome' : 'not-applied';
  if (!(error instanceof SalesforceApiError)) return 'fatal';
  if (error.errorCode === 'REQUEST_LIMIT_EXCEEDED') {
    // "TotalRequests Limit exceeded." is the daily allocation: no retry within minutes helps.
    return /TotalRequests/i.test(error.message) ? 'fatal' : 'not-applied';
  }
  if (error.status === 429 || error.status === 503 || error.errorCode === 'SERVER_UNAVAILABLE') return 'not-applied';
  if (error.errorCode === 'UNABLE_TO_LOCK_ROW') return 'not-applied';
  if (error.status === 502 || error.status === 504) return 'unknown-outcome';
  return 'fatal';
}

/** Delay before retry number `retry` (1 = first retry): full jitter, at least what `Retry-After` asked. */
export function backoffDelay(retry: number, options: ResolvedRetryOptions, retryAfterMs = 0): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.max(Math.min(retryAfterMs, options.maxDelayMs), Math.floor(options.random() * ceiling));
}

/** What {@link withRetry} reports before each retry. */
export interface RetryEvent {
  /** The retry about to happen (1 = first retry). */
  retry: number;
  error: unknown;
  retryability: Retryability;
  delayMs: number;
}

/**
 * Runs `operation` until it succeeds, fails with a non-retryable error, or `maxAttempts` run out
 * (then the last error is thrown). `unknown-outcome` errors are retried only when
 * `retryUnknownOutcome` is set, i.e. for idempotent operations.
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: ResolvedRetryOptions,
  behaviour: { retryUnknownOutcome: boolean; onRetry?: (event: RetryEvent) => void },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const retryability = classifyError(error);
      const retryable =
        retryability === 'not-applied' || (retryability === 'unknown-outcome' && behaviour.retryUnknownOutcome);
      if (!retryable || attempt >= options.maxAttempts) throw error;
      const retryAfter = error instanceof SalesforceApiError ? error.retryAfterMs : undefined;
      const delayMs = backoffDelay(attempt, options, retryAfter);
      behaviour.onRetry?.({ retry: attempt, error, retryability, delayMs });
      if (delayMs > 0) await sleep(delayMs);
    }
  }
}
