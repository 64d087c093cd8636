/**
 * The quote batch end to end in one process: a job as job-api queues it, the real workers on a
 * real Redis, the local org over HTTP. Quotes must equal the pricing engine's figures to the cent,
 * and a re-delivered chunk must never write a second quote.
 */
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, quoteBatchStatus, redisOptions, type OrgContext, type QuoteBatchPayload, type QuoteChunkPayload } from '@ecars/job-queue';
import { startLocalOrg, type LocalOrg } from '@ecars/local-org';
import { opportunityFromRecord, priceQuote } from '@ecars/pricing-engine';
import { FIELD_MAPPING } from '../src/services/pricing.js';
import { idRanges } from '../src/jobs/quote-batch.js';
import { startWorkers, type RunningWorkers } from '../src/workers.js';

for (const v of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[v];
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const connection = redisOptions({ url: REDIS_URL });
const prefix = `ecars-test-${randomUUID()}`;
const WITH_LINES = 240;
const WITHOUT_LINES = 3;

let org: LocalOrg;
let workers: RunningWorkers;
let batches: Queue;
let events: QueueEvents;

function orgContext(): OrgContext {
  return {
    instanceUrl: org.instanceUrl,
    accessToken: org.accessToken,
    apiVersion: org.apiVersion,
    orgId: org.orgId,
    userId: org.userId,
    username: org.username,
  };
}

async function seed(): Promise<void> {
  const { store, db } = org.runtime;
  const entries = (await db.query<{ Id: string }>(`SELECT "Id" FROM "PricebookEntry" WHERE "IsActive" ORDER BY "Id"`)).rows;
  const accounts = (await db.query<{ Id: string }>(`SELECT "Id" FROM "Account" ORDER BY "Id"`)).rows;
  await store.transaction(async (tx) => {
    const opps = await store.create(
      tx,
      'Opportunity',
      Array.from({ length: WITH_LINES + WITHOUT_LINES }, (_x, i) => ({
        Name: `Worker ${i}`,
        StageName: 'Prospecting',
        CloseDate: '2026-12-30',
        AccountId: accounts[i % accounts.length]!.Id,
      })),
    );
    const ids = opps.map((r) => (r.ok ? r.id : ''));
    await store.create(
      tx,
      'OpportunityLineItem',
      ids.slice(0, WITH_LINES).flatMap((id, i) => [
        { OpportunityId: id, PricebookEntryId: entries[i % entries.length]!.Id, Quantity: 1 + (i % 7), UnitPrice: 19.99 + i },
        { OpportunityId: id, PricebookEntryId: entries[(i + 3) % entries.length]!.Id, Quantity: 3 },
      ]),
    );
  });
}

async function runBatch(clause: string, chunkSize = 50): Promise<string> {
  const data: QuoteBatchPayload = { kind: 'quote-batch', org: orgContext(), soqlWhereClause: clause, chunkSize, requestedAt: new Date().toISOString() };
  const jobId = randomUUID();
  await batches.add('quote-batch', data, { jobId, attempts: 3 });
  const job = await batches.getJob(jobId);
  await job!.waitUntilFinished(events, 120_000);
  return jobId;
}

beforeAll(async () => {
  org = await startLocalOrg({ seed: 'demo' });
  await seed();
  batches = new Queue(QUEUES.quoteBatches, { connection, prefix });
  events = new QueueEvents(QUEUES.quoteBatches, { connection, prefix });
  await events.waitUntilReady();
  workers = await startWorkers({ redisUrl: REDIS_URL, prefix, concurrency: 2, allowedOrigins: [org.instanceUrl], logger: pino({ level: 'silent' }) });
}, 120_000);

afterAll(async () => {
  await workers?.close(true);
  await events?.close();
  for (const name of Object.values(QUEUES)) {
    const q = new Queue(name, { connection, prefix });
    await q.obliterate({ force: true });
    await q.close();
  }
  await batches?.close();
  await org?.stop();
});

describe('quote batch', () => {
  let jobId: string;

  it('writes one quote per opportunity with lines, skips the others, and reports exact counts', async () => {
    jobId = await runBatch("Name LIKE 'Worker %'");
    const job = await batches.getJob(jobId);
    expect(job?.returnvalue).toEqual({
      found: WITH_LINES + WITHOUT_LINES,
      chunks: 5,
      priced: WITH_LINES,
      quoted: WITH_LINES,
      failed: 0,
      skipped: WITHOUT_LINES,
      failedChunks: 0,
    });
    const status = await quoteBatchStatus(job!);
    expect(status).toMatchObject({
      state: 'completed',
      progress: 100,
      counts: { found: WITH_LINES + WITHOUT_LINES, priced: WITH_LINES, quoted: WITH_LINES, failed: 0, skipped: WITHOUT_LINES },
      errors: [],
    });
    expect(status.apiCalls).toBeGreaterThan(5);
    const quotes = await org.runtime.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Quote" WHERE NOT "IsDeleted"`);
    expect(quotes.rows[0]?.n).toBe(WITH_LINES);
  });

  it('prices every quote exactly as the pricing engine does, to the cent, with the region of the account', async () => {
    const { db } = org.runtime;
    const rows = (
      await db.query<Record<string, unknown>>(`
        SELECT o."Id", o."CloseDate", o."Pricebook2Id", a."Region__c", a."BillingCountry",
               q."TotalPrice" AS "QuoteTotal", q."Subtotal" AS "QuoteSubtotal", q."Batch_Key__c", q."ExpirationDate", q."LineItemCount"
          FROM "Opportunity" o JOIN "Account" a ON a."Id" = o."AccountId" JOIN "Quote" q ON q."OpportunityId" = o."Id"
         WHERE o."Name" LIKE 'Worker %'`)
    ).rows;
    expect(rows).toHaveLength(WITH_LINES);
    const regions = new Set(rows.map((r) => r['Region__c']));
    expect(regions.size).toBeGreaterThan(2);
    for (const r of rows) {
      const lines = (
        await db.query<Record<string, unknown>>(
          `SELECT "Id", "PricebookEntryId", "Product2Id", "Quantity", "UnitPrice" FROM "OpportunityLineItem" WHERE "OpportunityId" = $1 ORDER BY "Id"`,
          [r['Id']],
        )
      ).rows;
      const expected = priceQuote(
        opportunityFromRecord(
          { Id: r['Id'], CloseDate: r['CloseDate'], Pricebook2Id: r['Pricebook2Id'], Account: { Region__c: r['Region__c'], BillingCountry: r['BillingCountry'] }, OpportunityLineItems: { records: lines } },
          FIELD_MAPPING,
        ),
      );
      expect(r['QuoteTotal']).toBe(expected.totalMinor / 100);
      expect(r['ExpirationDate']).toBe(expected.expirationDate);
      expect(r['LineItemCount']).toBe(2);
      expect(r['Batch_Key__c']).toBe(`${jobId}:${r['Id']}`);
      const qlis = (
        await db.query<{ UnitPrice: number; Quantity: number; TotalPrice: number }>(
          `SELECT l."UnitPrice", l."Quantity", l."TotalPrice" FROM "QuoteLineItem" l JOIN "Quote" q ON q."Id" = l."QuoteId" WHERE q."OpportunityId" = $1 ORDER BY l."TotalPrice"`,
          [r['Id']],
        )
      ).rows;
      const want = expected.lines.map((l) => l.lineTotalMinor / 100).sort((a, b) => a - b);
      expect(qlis.map((l) => l.TotalPrice)).toEqual(want);
    }
  });

  it('plans chunks as Id ranges and applies the clause again inside them (ranges span non-matching opportunities)', async () => {
    // 'Worker 1%' matches Worker 1, 10–19 and 100–199: 111 opportunities whose ids are interleaved with the others'.
    const batchId = await runBatch("Name LIKE 'Worker 1%'", 50);
    expect((await batches.getJob(batchId))?.returnvalue).toMatchObject({ found: 111, chunks: 3, quoted: 111, skipped: 0, failed: 0 });
    const chunks = new Queue(QUEUES.quoteChunks, { connection, prefix });
    try {
      const planned = await Promise.all([0, 1, 2].map(async (i) => (await chunks.getJob(`${batchId}-chunk-${i}`))?.data as QuoteChunkPayload));
      expect(planned.map((c) => c.ranges.map((r) => r.count))).toEqual([[50], [50], [11]]);
      expect(planned.every((c) => c.soqlWhereClause === "Name LIKE 'Worker 1%'")).toBe(true);
    } finally {
      await chunks.close();
    }
    const quoted = await org.runtime.db.query<{ Name: string }>(
      `SELECT o."Name" FROM "Quote" q JOIN "Opportunity" o ON o."Id" = q."OpportunityId" WHERE q."Batch_Key__c" LIKE $1`,
      [`${batchId}:%`],
    );
    expect(quoted.rows).toHaveLength(111);
    expect(quoted.rows.every((r) => r.Name.startsWith('Worker 1'))).toBe(true);
  });

  it('never writes a second quote when a chunk is delivered again', async () => {
    const chunks = new Queue(QUEUES.quoteChunks, { connection, prefix });
    const chunkEvents = new QueueEvents(QUEUES.quoteChunks, { connection, prefix });
    await chunkEvents.waitUntilReady();
    try {
      const ids = (await org.runtime.db.query<{ Id: string }>(`SELECT "Id" FROM "Opportunity" WHERE "Name" LIKE 'Worker %' ORDER BY "Id" LIMIT 30`)).rows.map((r) => r.Id);
      const chunk: QuoteChunkPayload = { kind: 'quote-chunk', org: orgContext(), batchId: jobId, soqlWhereClause: "Name LIKE 'Worker %'", ranges: idRanges(ids) };
      const again = await chunks.add('quote-chunk', chunk);
      const result = (await again.waitUntilFinished(chunkEvents, 60_000)) as { quoted: number; failed: number };
      expect(result).toMatchObject({ quoted: 30, failed: 0 });
      const quotes = await org.runtime.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Quote" WHERE NOT "IsDeleted" AND "Batch_Key__c" LIKE $1`, [`${jobId}:%`]);
      expect(quotes.rows[0]?.n).toBe(WITH_LINES);
    } finally {
      await chunkEvents.close();
      await chunks.close();
    }
  });

  it('completes a batch that matches nothing at once, and fails a batch whose WHERE clause is invalid', async () => {
    const empty = await runBatch("Name = 'nobody'");
    expect((await batches.getJob(empty))?.returnvalue).toMatchObject({ found: 0, chunks: 0, quoted: 0 });
    const data: QuoteBatchPayload = { kind: 'quote-batch', org: orgContext(), soqlWhereClause: "Name = 'x' LIMIT 1", chunkSize: 10, requestedAt: new Date().toISOString() };
    const bad = await batches.add('quote-batch', data, { attempts: 3 });
    await expect(bad.waitUntilFinished(events, 30_000)).rejects.toThrow(/invalid job payload: soqlWhereClause: invalid soqlWhereClause.*LIMIT/);
    expect((await batches.getJob(bad.id!))?.attemptsMade).toBe(1);
  });
});
