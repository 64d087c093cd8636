/**
 * Bulk API 2.0 limits, retention and abort in flight, with Bulk APIs over the test org's database
 * configured small (a 1 MiB upload limit, batches of 10, a two-batch day) and on an injected clock.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BulkService } from '../src/bulk/index.js';
import type { LocalOrg } from '../src/index.js';
import { startBulkApp, type BulkApp } from './utils/bulk-app.js';
import { startTestOrg } from './utils/org-fixture.js';

const MIB = 1024 * 1024;
const DAY = 24 * 60 * 60 * 1000;

let org: LocalOrg;
let now = Date.UTC(2026, 0, 15, 12, 0, 0);
/** Bulk APIs by purpose; all started before any job exists (see startBulkApp). */
let small: BulkApp;
let batches: BulkApp;
let records: BulkApp;
let queries: BulkApp;
let clocked: BulkApp;

beforeAll(async () => {
  org = await startTestOrg();
  small = await startBulkApp(org, { maxUploadBytes: MIB });
  batches = await startBulkApp(org, { batchSize: 10, dailyBatchLimit: 2 });
  records = await startBulkApp(org, { batchSize: 10, dailyRecordLimit: 15 });
  queries = await startBulkApp(org, { dailyQueryJobLimit: 1 });
  clocked = await startBulkApp(org, { batchSize: 10, clock: () => new Date(now) });
}, 120_000);
afterAll(async () => {
  for (const side of [small, batches, records, queries, clocked]) await side.close();
  await org.stop();
});
beforeEach(() => org.reset());

async function send(url: string, method: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method,
    ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

async function upload(side: BulkApp, id: string, body: string | Readable): Promise<{ status: number; text: string }> {
  const res = await fetch(side.jobs('ingest', `/${id}/batches`), {
    method: 'PUT',
    headers: { 'Content-Type': 'text/csv' },
    body: body as NonNullable<RequestInit['body']>,
    duplex: 'half',
  } as RequestInit);
  return { status: res.status, text: await res.text() };
}

/** Creates, uploads, closes; returns the job id once processing has ended. */
async function ingest(side: BulkApp, csv: string): Promise<string> {
  const job = (await send(side.jobs('ingest'), 'POST', { object: 'Account', operation: 'insert' })).body as { id: string };
  expect((await upload(side, job.id, csv)).status).toBe(201);
  expect((await send(side.jobs('ingest', `/${job.id}`), 'PATCH', { state: 'UploadComplete' })).status).toBe(200);
  await side.app.bulk.ingest.idle();
  return job.id;
}

async function info(side: BulkApp, kind: 'ingest' | 'query', id: string) {
  return send(side.jobs(kind, `/${id}`), 'GET');
}

async function limits(side: BulkApp): Promise<Record<string, unknown>> {
  return (await send(`${side.url}/services/data/v${org.apiVersion}/limits`, 'GET')).body as Record<string, unknown>;
}

function accounts(n: number, from = 0): string {
  return `Name\n${Array.from({ length: n }, (_x, i) => `Account ${from + i}\n`).join('')}`;
}

describe('upload size', () => {
  it('refuses a streamed upload past the limit, keeps nothing of it and still takes a later upload', async () => {
    const job = (await send(small.jobs('ingest'), 'POST', { object: 'Account', operation: 'insert' })).body as { id: string };
    // 2 MiB generated 64 KiB at a time: neither side ever holds the whole body.
    const line = Buffer.from(`${'x'.repeat(64 * 1024 - 1)}\n`);
    let sent = 0;
    const body = Readable.from(
      (function* () {
        yield Buffer.from('Name\n');
        for (; sent < 2 * MIB; sent += line.length) yield line;
      })(),
    );
    const res = await upload(small, job.id, body);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual([
      { errorCode: 'CLIENTINPUTERROR', message: `ClientInputError : Failed to read request. Exceeded max size limit of ${MIB}`, fields: [] },
    ]);
    expect(sent).toBeGreaterThanOrEqual(2 * MIB);
    const stored = await org.runtime.db.query(`SELECT count(*)::int AS n FROM _bulk_rows WHERE job_id = $1`, [job.id]);
    expect(stored.rows).toEqual([{ n: 0 }]);
    expect((await info(small, 'ingest', job.id)).body).toMatchObject({ state: 'Open' });
    expect((await upload(small, job.id, accounts(2))).status).toBe(201);
  });

  it('defaults to 150 MiB per upload, as Salesforce documents', () => {
    expect(new BulkService(org.runtime).options.maxUploadBytes).toBe(150 * MIB);
  });
});

describe('daily allocations', () => {
  it('fails a job when the batch allocation runs out, leaving the rest unprocessed, and shows it in /limits', async () => {
    const id = await ingest(batches, accounts(25));
    expect((await info(batches, 'ingest', id)).body).toMatchObject({
      state: 'Failed',
      numberRecordsProcessed: 20,
      numberRecordsFailed: 0,
      errorMessage: 'ExceededQuota : The daily limit of 2 Bulk API batches in a rolling 24-hour period has been exceeded',
    });
    const unprocessed = await (await fetch(batches.jobs('ingest', `/${id}/unprocessedrecords`))).text();
    expect(unprocessed).toBe(`"Name"\n${Array.from({ length: 5 }, (_x, i) => `"Account ${20 + i}"\n`).join('')}`);
    expect((await limits(batches))['DailyBulkApiBatches']).toEqual({ Max: 2, Remaining: 0 });
  });

  it('fails a job when the record allocation runs out', async () => {
    const id = await ingest(records, accounts(20));
    expect((await info(records, 'ingest', id)).body).toMatchObject({
      state: 'Failed',
      numberRecordsProcessed: 10,
      errorMessage: 'ExceededQuota : The daily limit of 15 Bulk API records in a rolling 24-hour period has been exceeded',
    });
  });

  it('refuses a query job past the query job allocation', async () => {
    expect((await send(queries.jobs('query'), 'POST', { operation: 'query', query: 'SELECT Id FROM Account' })).status).toBe(200);
    const refused = await send(queries.jobs('query'), 'POST', { operation: 'query', query: 'SELECT Id FROM Account' });
    expect(refused).toEqual({
      status: 400,
      body: [
        {
          errorCode: 'EXCEEDEDQUOTA',
          message: 'ExceededQuota : The daily limit of 1 Bulk API 2.0 query jobs in a rolling 24-hour period has been exceeded',
          fields: [],
        },
      ],
    });
    expect((await limits(queries))['DailyBulkV2QueryJobs']).toEqual({ Max: 1, Remaining: 0 });
  });

  it('gives batches back 24 hours after they were used', async () => {
    await ingest(clocked, accounts(25));
    expect((await limits(clocked))['DailyBulkApiBatches']).toEqual({ Max: 15_000, Remaining: 14_997 });
    now += DAY - 1000;
    expect((await limits(clocked))['DailyBulkApiBatches']).toEqual({ Max: 15_000, Remaining: 14_997 });
    now += 2000;
    expect((await limits(clocked))['DailyBulkApiBatches']).toEqual({ Max: 15_000, Remaining: 15_000 });
  });
});

describe('retention', () => {
  it('purges ended jobs and their data 7 days after they ended, and keeps open jobs', async () => {
    const ended = await ingest(clocked, accounts(3));
    const open = (await send(clocked.jobs('ingest'), 'POST', { object: 'Account', operation: 'insert' })).body as { id: string };
    now += 7 * DAY - 1000;
    expect((await info(clocked, 'ingest', ended)).status).toBe(200);
    now += 2000;
    expect(await info(clocked, 'ingest', ended)).toEqual({
      status: 404,
      body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] }],
    });
    expect((await info(clocked, 'ingest', open.id)).status).toBe(200);
    // The purge deletes the stored rows in the background.
    await vi.waitFor(async () => {
      const left = await org.runtime.db.query(`SELECT count(*)::int AS n FROM _bulk_rows WHERE job_id = $1`, [ended]);
      expect(left.rows).toEqual([{ n: 0 }]);
    });
  });
});

describe('abort in flight', () => {
  it('stops a running job after its current internal batch; the rest stays unprocessed', async () => {
    const job = (await send(clocked.jobs('ingest'), 'POST', { object: 'Account', operation: 'insert' })).body as { id: string };
    expect((await upload(clocked, job.id, accounts(1000))).status).toBe(201);
    await send(clocked.jobs('ingest', `/${job.id}`), 'PATCH', { state: 'UploadComplete' });
    const running = clocked.app.bulk.ingest.get(job.id);
    while (running.processed === 0) await new Promise((r) => setImmediate(r));
    const aborted = await send(clocked.jobs('ingest', `/${job.id}`), 'PATCH', { state: 'Aborted' });
    expect(aborted.body).toMatchObject({ state: 'Aborted' });
    await clocked.app.bulk.ingest.idle();

    const processed = running.processed;
    expect(processed % 10).toBe(0);
    expect(processed).toBeGreaterThan(0);
    expect(processed).toBeLessThan(1000);
    expect((await info(clocked, 'ingest', job.id)).body).toMatchObject({ state: 'Aborted', numberRecordsProcessed: processed });
    const unprocessed = (await (await fetch(clocked.jobs('ingest', `/${job.id}/unprocessedrecords`))).text()).split('\n');
    expect(unprocessed).toHaveLength(1000 - processed + 2);
    expect(unprocessed[1]).toBe(`"Account ${processed}"`);
    const written = await org.runtime.db.query(`SELECT count(*)::int AS n FROM "Account"`);
    expect(written.rows).toEqual([{ n: processed }]);
  });
});
