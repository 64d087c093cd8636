/** The concurrency limiter, and its sharing by every client of one org. */
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '@ecars/local-org';
import { ConcurrencyLimiter, fromAppLinkRequest, fromLocalOrg, sharedLimiter } from '../src/index.js';
import { startTestOrg } from './utils/org.js';
import { recordingFetch } from './utils/recording-fetch.js';

let org: LocalOrg;
beforeAll(async () => {
  org = await startTestOrg({ latencyMs: 40 });
});
afterAll(async () => {
  await org?.stop();
});

describe('concurrency limiter', () => {
  it('never runs more than its size at once and starts waiters in arrival order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 25 }), async (size, delays) => {
        const limiter = new ConcurrencyLimiter(size);
        let running = 0;
        let peak = 0;
        const started: number[] = [];
        await Promise.all(
          delays.map((ms, i) =>
            limiter.run(async () => {
              started.push(i);
              running += 1;
              peak = Math.max(peak, running);
              await sleep(ms);
              running -= 1;
            }),
          ),
        );
        expect(peak).toBe(Math.min(size, delays.length));
        expect(started).toEqual(delays.map((_, i) => i));
        expect([limiter.active, limiter.waiting]).toEqual([0, 0]);
      }),
      { numRuns: 30 },
    );
  });

  it('shares one limiter per org between every client of this process', async () => {
    const recorder = recordingFetch();
    const first = await fromLocalOrg(org, { maxConcurrentRequests: 3, fetch: recorder.fetch });
    const second = await fromAppLinkRequest({ 'x-client-context': org.clientContext() }, { maxConcurrentRequests: 20, fetch: recorder.fetch, allowedOrigins: [org.instanceUrl] });
    expect(second.limiter).toBe(first.limiter);
    expect(first.limiter).toBe(sharedLimiter(`${org.instanceUrl}/`, 99));
    expect(first.limiter.size).toBe(3);
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? first : second).query('SELECT Id FROM User').toArray()));
    expect(recorder.calls).toHaveLength(12);
    expect(recorder.maxInFlight()).toBe(3);
  });
});
