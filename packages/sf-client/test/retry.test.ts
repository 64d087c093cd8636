import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY,
  SalesforceApiError,
  SalesforceAuthError,
  SalesforceNetworkError,
  backoffDelay,
  classifyError,
} from '../src/index.js';
import { withRetry } from '../src/http/retry.js';

const api = (errorCode: string, status: number, message = '') => new SalesforceApiError(errorCode, message, status);

describe('retry policy', () => {
  it.each([
    [api('REQUEST_LIMIT_EXCEEDED', 403, 'ConcurrentPerOrgLongTxn Limit exceeded.'), 'not-applied'],
    [api('REQUEST_LIMIT_EXCEEDED', 403, 'TotalRequests Limit exceeded.'), 'fatal'],
    [api('HTTP_429', 429), 'not-applied'],
    [api('SERVER_UNAVAILABLE', 503), 'not-applied'],
    [api('UNABLE_TO_LOCK_ROW', 400), 'not-applied'],
    [api('HTTP_502', 502), 'unknown-outcome'],
    [api('HTTP_504', 504), 'unknown-outcome'],
    [api('UNKNOWN_EXCEPTION', 500), 'fatal'],
    [api('INVALID_FIELD', 400), 'fatal'],
    [new SalesforceNetworkError('reset', 'ECONNRESET', true), 'unknown-outcome'],
    [new SalesforceNetworkError('socket', 'UND_ERR_SOCKET', true), 'unknown-outcome'],
    [new SalesforceNetworkError('refused', 'ECONNREFUSED', false), 'not-applied'],
    [new SalesforceAuthError('SESSION_EXPIRED', 'expired'), 'fatal'],
    [new Error('bug'), 'fatal'],
  ])('classifies %s as %s', (error, expected) => {
    expect(classifyError(error)).toBe(expected);
  });

  it('waits a full-jitter delay within [0, min(cap, base × 2^(n-1))), and at least Retry-After', () => {
    const at = (random: number) => ({ ...DEFAULT_RETRY, random: () => random });
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, at(0.999999)))).toEqual([199, 399, 799, 1599, 3199, 6399, 9999, 9999]);
    expect([1, 5, 9].map((n) => backoffDelay(n, at(0)))).toEqual([0, 0, 0]);
    expect(backoffDelay(1, at(0.5), 2000)).toBe(2000);
    expect(backoffDelay(1, at(0.5), 60_000)).toBe(10_000);
  });

  it('retries retryable errors up to maxAttempts, then throws the last one', async () => {
    const options = { ...DEFAULT_RETRY, baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 4 };
    let calls = 0;
    const retries: number[] = [];
    const error = await withRetry(
      async () => {
        calls += 1;
        throw api('SERVER_UNAVAILABLE', 503, `attempt ${calls}`);
      },
      options,
      { retryUnknownOutcome: false, onRetry: (e) => retries.push(e.retry) },
    ).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(retries).toEqual([1, 2, 3]);
    expect(error).toMatchObject({ errorCode: 'SERVER_UNAVAILABLE', message: 'attempt 4' });
  });

  it('resends after a lost answer only when the operation is idempotent', async () => {
    const options = { ...DEFAULT_RETRY, baseDelayMs: 1, maxDelayMs: 2 };
    const lost = new SalesforceNetworkError('POST /composite/graph failed (ECONNRESET)', 'ECONNRESET', true);
    let writes = 0;
    await expect(withRetry(async () => ((writes += 1), Promise.reject(lost)), options, { retryUnknownOutcome: false })).rejects.toBe(lost);
    expect(writes).toBe(1);
    let reads = 0;
    const value = await withRetry(async () => ((reads += 1), reads < 3 ? Promise.reject(lost) : 'page'), options, { retryUnknownOutcome: true });
    expect([value, reads]).toEqual(['page', 3]);
  });
});
