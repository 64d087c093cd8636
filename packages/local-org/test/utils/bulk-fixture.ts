/** Raw-HTTP helpers for the Bulk API 2.0 tests: CSV bodies, job polling, a whole ingest run. */
import type { Readable } from 'node:stream';
import { expect } from 'vitest';
import type { LocalOrg } from '../../src/index.js';
import { call } from './org-fixture.js';

/** What `http` returns: status, headers and the body as text. */
export interface RawResult {
  status: number;
  headers: Headers;
  text: string;
}

/** A request with any body (CSV text or a stream) whose answer is read as text. */
export async function http(
  org: LocalOrg,
  method: string,
  path: string,
  body?: string | Readable,
  headers: Record<string, string> = {},
): Promise<RawResult> {
  const res = await fetch(`${org.instanceUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${org.accessToken}`, ...headers },
    ...(body !== undefined ? { body: body as NonNullable<RequestInit['body']>, duplex: 'half' } : {}),
  } as RequestInit);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export function jobsPath(org: LocalOrg, kind: 'ingest' | 'query', rest = ''): string {
  return `/services/data/v${org.apiVersion}/jobs/${kind}${rest}`;
}

export type JobInfo = Record<string, unknown> & { id: string; state: string };

/** Creates a job and returns its info (fails the test on an error answer). */
export async function createJob(org: LocalOrg, kind: 'ingest' | 'query', body: Record<string, unknown>): Promise<JobInfo> {
  const res = await call(org, 'POST', jobsPath(org, kind), body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as JobInfo;
}

export async function jobInfo(org: LocalOrg, kind: 'ingest' | 'query', id: string): Promise<JobInfo> {
  const res = await call(org, 'GET', jobsPath(org, kind, `/${id}`));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as JobInfo;
}

const ENDED = new Set(['JobComplete', 'Failed', 'Aborted']);

/** Polls a job until it has ended (JobComplete, Failed, Aborted). */
export async function waitForJob(org: LocalOrg, kind: 'ingest' | 'query', id: string, timeoutMs = 60_000): Promise<JobInfo> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const info = await jobInfo(org, kind, id);
    if (ENDED.has(info.state)) return info;
    if (Date.now() > until) throw new Error(`job ${id} still ${info.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function uploadCsv(org: LocalOrg, id: string, csv: string | Readable): Promise<RawResult> {
  return http(org, 'PUT', jobsPath(org, 'ingest', `/${id}/batches`), csv, { 'Content-Type': 'text/csv' });
}

export async function closeJob(org: LocalOrg, id: string): Promise<JobInfo> {
  const res = await call(org, 'PATCH', jobsPath(org, 'ingest', `/${id}`), { state: 'UploadComplete' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as JobInfo;
}

/** Create, upload, close and wait: the info of the ended job. */
export async function runIngest(org: LocalOrg, definition: Record<string, unknown>, csv: string | Readable): Promise<JobInfo> {
  const job = await createJob(org, 'ingest', definition);
  const upload = await uploadCsv(org, job.id, csv);
  expect(upload.status, upload.text).toBe(201);
  await closeJob(org, job.id);
  return waitForJob(org, 'ingest', job.id);
}

/** A result file of an ingest job (status checked, text returned). */
export async function resultFile(
  org: LocalOrg,
  id: string,
  file: 'successfulResults' | 'failedResults' | 'unprocessedrecords',
): Promise<string> {
  const res = await http(org, 'GET', jobsPath(org, 'ingest', `/${id}/${file}`));
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
  return res.text;
}
