/** API usage from `Sforce-Limit-Info`, the threshold callback, and the daily limit against a local org. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '@ecars/local-org';
import { parseLimitInfo } from '../src/http/api-usage.js';
import { clientOf, startTestOrg } from './utils/org.js';

let org: LocalOrg;
beforeAll(async () => {
  org = await startTestOrg({ apiLimit: 10 });
});
afterAll(async () => {
  await org?.stop();
});

describe('API usage', () => {
  it('parses the api-usage part of Sforce-Limit-Info', () => {
    expect(parseLimitInfo('api-usage=25/15000')).toEqual({ used: 25, max: 15000 });
    expect(parseLimitInfo('per-app-api-usage=3/100(appName=x), api-usage=18/5000000')).toEqual({ used: 18, max: 5_000_000 });
    expect(parseLimitInfo(null)).toBeUndefined();
  });

  it('tracks usage per response, fires a threshold once, and does not retry past the daily limit', async () => {
    const client = await clientOf(org);
    expect(client.apiUsage).toEqual({ used: null, max: null, remaining: null, calls: 0 });
    const fired: Array<{ used: number | null; threshold: number }> = [];
    client.onApiUsage(0.5, (u) => fired.push({ used: u.used, threshold: u.threshold }));
    const unsubscribed: number[] = [];
    client.onApiUsage(0.3, () => unsubscribed.push(1))();

    for (let i = 0; i < 4; i++) await client.query('SELECT Id FROM User').toArray();
    expect(client.apiUsage).toEqual({ used: 4, max: 10, remaining: 6, calls: 4 });
    expect(fired).toEqual([]);
    for (let i = 0; i < 6; i++) await client.query('SELECT Id FROM User').toArray();
    expect(client.apiUsage).toEqual({ used: 10, max: 10, remaining: 0, calls: 10 });
    expect(fired).toEqual([{ used: 5, threshold: 0.5 }]);
    expect(unsubscribed).toEqual([]);

    await expect(client.query('SELECT Id FROM User').toArray()).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
      status: 403,
    });
    expect(client.apiUsage.calls).toBe(11);
    expect(client.stats.retries).toBe(0);
  });
});
