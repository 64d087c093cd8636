/** Sample data create and delete through Bulk API 2.0, with the real workers on a real Redis and the local org. */
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataJobStatus, QUEUES, redisOptions, type OrgContext, type SampleDataData } from '@ecars/job-queue';
import { startLocalOrg, type LocalOrg } from '@ecars/local-org';
import { startWorkers, type RunningWorkers } from '../src/workers.js';

for (const v of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[v];
const connection = redisOptions({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379' });
const prefix = `ecars-test-${randomUUID()}`;
let org: LocalOrg;
let workers: RunningWorkers;
let queue: Queue;
let events: QueueEvents;

const context = (): OrgContext => ({
  instanceUrl: org.instanceUrl,
  accessToken: org.accessToken,
  apiVersion: org.apiVersion,
  orgId: org.orgId,
  userId: org.userId,
  username: org.username,
});

async function run(data: SampleDataData) {
  const job = await queue.add(data.kind, data, { jobId: randomUUID() });
  const result = await job.waitUntilFinished(events, 120_000);
  return { result, status: await dataJobStatus((await queue.getJob(job.id!))!) };
}

const count = async (sql: string) => (await org.runtime.db.query<{ n: number }>(sql)).rows[0]?.n;

beforeAll(async () => {
  org = await startLocalOrg({ seed: 'demo' });
  queue = new Queue(QUEUES.sampleData, { connection, prefix });
  events = new QueueEvents(QUEUES.sampleData, { connection, prefix });
  await events.waitUntilReady();
  workers = await startWorkers({ redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', prefix, allowedOrigins: [org.instanceUrl], logger: pino({ level: 'silent' }) });
}, 60_000);

afterAll(async () => {
  await workers?.close(true);
  await events?.close();
  await queue?.obliterate({ force: true });
  await queue?.close();
  await org?.stop();
});

describe('sample data jobs', () => {
  it('creates N opportunities across the accounts with 2 products each, reporting progress', async () => {
    const { result, status } = await run({ kind: 'data-create', org: context(), numberOfOpportunities: 150, requestedAt: new Date().toISOString() });
    expect(result).toMatchObject({ kind: 'data-create', opportunities: 150, lineItems: 300, failed: 0 });
    expect(status).toMatchObject({ state: 'completed', progress: 100, counts: { found: 150, failed: 0 } });
    expect(status.apiCalls).toBeGreaterThan(4);
    expect(await count(`SELECT count(*)::int AS n FROM "Opportunity" WHERE "Name" LIKE 'Sample Opportunity %' AND NOT "IsDeleted"`)).toBe(150);
    expect(await count(`SELECT count(DISTINCT "AccountId")::int AS n FROM "Opportunity" WHERE "Name" LIKE 'Sample Opportunity %'`)).toBe(5);
    expect(
      await count(`SELECT count(*)::int AS n FROM "Opportunity" o WHERE o."Name" LIKE 'Sample Opportunity %'
                    AND (SELECT count(*) FROM "OpportunityLineItem" l WHERE l."OpportunityId" = o."Id") <> 2`),
    ).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM "OpportunityLineItem" WHERE "Quantity" < 1 OR "Quantity" > 10 OR "UnitPrice" < 10 OR "UnitPrice" > 109`)).toBe(0);
  });

  it('deletes every sample opportunity permanently, with its quotes', async () => {
    const { result } = await run({ kind: 'data-delete', org: context(), requestedAt: new Date().toISOString() });
    expect(result).toMatchObject({ kind: 'data-delete', opportunities: 150, failed: 0 });
    expect(await count(`SELECT count(*)::int AS n FROM "Opportunity" WHERE "Name" LIKE 'Sample Opportunity %'`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM "OpportunityLineItem"`)).toBe(0);
    const again = await run({ kind: 'data-delete', org: context(), requestedAt: new Date().toISOString() });
    expect(again.result).toMatchObject({ opportunities: 0, failed: 0 });
  });
});
