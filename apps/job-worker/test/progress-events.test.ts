/**
 * The batch's live progress as the platform event `Quote_Job_Progress__e`: a batch run by the real
 * workers against the local org, its events received over CometD by jsforce (as an LWC's empApi
 * would), at most one a second per batch while it runs, the last one at 100 %.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import jsforce from 'jsforce';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, redisOptions, type QuoteBatchPayload } from '@ecars/job-queue';
import { startLocalOrg, type LocalOrg } from '@ecars/local-org';
import { startWorkers, type RunningWorkers } from '../src/workers.js';

for (const v of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[v];
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const connection = redisOptions({ url: REDIS_URL });
const prefix = `ecars-test-${randomUUID()}`;

let org: LocalOrg;
let workers: RunningWorkers;
let batches: Queue;
/** The part of jsforce's Faye client this test uses. */
interface StreamClient {
  subscribe(channel: string, onMessage: (data: unknown) => void): PromiseLike<unknown>;
  disconnect(): void;
}
let stream: StreamClient;
const received: Array<{ payload: Record<string, unknown>; at: number }> = [];

beforeAll(async () => {
  org = await startLocalOrg({ seed: 'demo', streaming: { connectTimeoutMs: 2000 } });
  const { store, db } = org.runtime;
  const entries = (await db.query<{ Id: string }>(`SELECT "Id" FROM "PricebookEntry" WHERE "IsActive" ORDER BY "Id"`)).rows;
  const accounts = (await db.query<{ Id: string }>(`SELECT "Id" FROM "Account" ORDER BY "Id"`)).rows;
  await store.transaction(async (tx) => {
    const opps = await store.create(
      tx,
      'Opportunity',
      Array.from({ length: 60 }, (_x, i) => ({ Name: `Live ${i}`, StageName: 'Prospecting', CloseDate: '2027-01-15', AccountId: accounts[i % accounts.length]!.Id })),
    );
    await store.create(
      tx,
      'OpportunityLineItem',
      opps.map((r, i) => ({ OpportunityId: r.ok ? r.id : '', PricebookEntryId: entries[i % entries.length]!.Id, Quantity: 2, UnitPrice: 50 + i })),
    );
  });
  const conn = new jsforce.Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: org.apiVersion });
  stream = conn.streaming.createClient([]) as unknown as StreamClient;
  await stream.subscribe('/event/Quote_Job_Progress__e', (data) => received.push({ payload: (data as { payload: Record<string, unknown> }).payload, at: Date.now() }));
  batches = new Queue(QUEUES.quoteBatches, { connection, prefix });
  workers = await startWorkers({ redisUrl: REDIS_URL, prefix, concurrency: 1, allowedOrigins: [org.instanceUrl], logger: pino({ level: 'silent' }) });
}, 120_000);

afterAll(async () => {
  stream?.disconnect();
  await workers?.close(true);
  for (const name of Object.values(QUEUES)) {
    const q = new Queue(name, { connection, prefix });
    await q.obliterate({ force: true });
    await q.close();
  }
  await batches?.close();
  await org?.stop();
});

describe('Quote_Job_Progress__e', () => {
  it('follows a batch over CometD, at most once a second while it runs, ending at 100 %', async () => {
    const data: QuoteBatchPayload = {
      kind: 'quote-batch',
      org: { instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: org.apiVersion, orgId: org.orgId, userId: org.userId, username: org.username },
      soqlWhereClause: "Name LIKE 'Live %'",
      chunkSize: 10,
      requestedAt: new Date().toISOString(),
    };
    const jobId = randomUUID();
    await batches.add('quote-batch', data, { jobId });
    const mine = () => received.filter((e) => e.payload['Job_Id__c'] === jobId);
    const deadline = Date.now() + 90_000;
    while (!mine().some((e) => e.payload['State__c'] === 'completed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const events = mine();
    expect(events.length, 'no Quote_Job_Progress__e received for the batch').toBeGreaterThan(0);
    const last = events.at(-1)!;
    expect(last.payload).toMatchObject({ State__c: 'completed', Percent__c: 100, Found__c: 60, Quoted__c: 60, Failed__c: 0, Skipped__c: 0, Message__c: null });
    // Six chunks finished, but progress is published at most once a second per batch (plus the final one).
    const running = events.slice(0, -1);
    expect(running.length).toBeGreaterThanOrEqual(1);
    const spanSec = running.length > 1 ? (running.at(-1)!.at - running[0]!.at) / 1000 : 0;
    expect(running.length).toBeLessThanOrEqual(Math.ceil(spanSec) + 1);
    expect(running.every((e) => (e.payload['Percent__c'] as number) <= 100 && e.payload['State__c'] !== 'completed')).toBe(true);
  }, 120_000);
});
