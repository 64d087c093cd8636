/** CometD traffic is not metered as REST API requests (Salesforce counts streaming separately). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalOrg } from '../src/index.js';
import { call, startTestOrg } from './utils/org-fixture.js';

let org: LocalOrg;
beforeAll(async () => {
  org = await startTestOrg();
});
afterAll(() => org.stop());

it('does not count a CometD handshake against DailyApiRequests', async () => {
  const used = async () => Number(/api-usage=(\d+)/.exec((await call(org, 'GET', `/services/data/v${org.apiVersion}/sobjects`)).headers.get('sforce-limit-info') ?? '')?.[1]);
  const before = await used();
  const res = await fetch(`${org.instanceUrl}/cometd/${org.apiVersion}`, {
    method: 'POST',
    headers: { Authorization: `OAuth ${org.accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }]),
  });
  const body = (await res.json()) as { successful: boolean; clientId: string }[];
  expect(body[0]).toMatchObject({ successful: true, clientId: expect.any(String) });
  expect(res.headers.get('sforce-limit-info')).toBeNull();
  // One more counted call: the second GET /sobjects itself, not the handshake.
  expect(await used()).toBe(before + 1);
});
