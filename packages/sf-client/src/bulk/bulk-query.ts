/**
 * Bulk API 2.0 query: create the job, wait for it (aborting it on timeout), then read the result
 * CSV page by page following `Sforce-Locator`, as an async iterator of records. Every step is a
 * read or harmless to repeat, so all are retried on transient failures.
 */
import type { ClientCore } from '../client/client-core.js';
import { BulkJobError } from '../errors/bulk-job-error.js';
import { ClientErrorCode } from '../errors/error-codes.js';
import { abortJob } from './bulk-ingest.js';
import { parseCsv } from './csv.js';
import { pollUntil, type PollOptions } from './polling.js';

export interface BulkQueryOptions extends PollOptions {
  /**
   * `queryAll` includes deleted and archived records.
   * @defaultValue 'query'
   */
  operation?: 'query' | 'queryAll';
  /**
   * Records per result page (`maxRecords`).
   * @defaultValue Salesforce's choice
   */
  maxRecords?: number;
  /** Called after every poll and page. */
  onProgress?: (progress: { jobId: string; state: string; recordsRead: number; pages: number }) => void;
}

interface QueryJobInfo {
  id: string;
  state: string;
  numberRecordsProcessed?: number;
  errorMessage?: string;
}

export async function* bulkQuery(core: ClientCore, soql: string, options: BulkQueryOptions = {}): AsyncGenerator<Record<string, string | null>, void, undefined> {
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  const { body: job } = await core.request<QueryJobInfo>(
    { method: 'POST', path: core.dataPath('/jobs/query'), json: { operation: options.operation ?? 'query', query: soql } },
    { idempotent: true },
  );
  let recordsRead = 0;
  let pages = 0;
  const { timedOut, info } = await pollUntil(
    async () => {
      const { body } = await core.request<QueryJobInfo>({ method: 'GET', path: core.dataPath(`/jobs/query/${job.id}`) }, { idempotent: true });
      options.onProgress?.({ jobId: job.id, state: body.state, recordsRead, pages });
      return body;
    },
    (i) => i.state === 'JobComplete' || i.state === 'Failed' || i.state === 'Aborted',
    deadline,
    options,
  );
  if (timedOut) {
    await abortJob(core, job.id, 'query');
    throw new BulkJobError(ClientErrorCode.BULK_TIMEOUT, `bulk query job ${job.id} did not finish within ${options.timeoutMs ?? 600_000} ms (last state ${info.state}); aborted`, job.id, info.state);
  }
  if (info.state !== 'JobComplete') {
    throw new BulkJobError(ClientErrorCode.BULK_JOB_FAILED, `bulk query job ${job.id} ended ${info.state}: ${info.errorMessage ?? 'no message'}`, job.id, info.state);
  }
  let locator: string | undefined;
  do {
    const params = new URLSearchParams();
    if (options.maxRecords) params.set('maxRecords', String(options.maxRecords));
    if (locator) params.set('locator', locator);
    const query = params.toString();
    const { body, headers } = await core.request<string>(
      { method: 'GET', path: core.dataPath(`/jobs/query/${job.id}/results${query ? `?${query}` : ''}`), responseType: 'text' },
      { idempotent: true },
    );
    const rows = parseCsv(body);
    pages += 1;
    recordsRead += rows.length;
    options.onProgress?.({ jobId: job.id, state: info.state, recordsRead, pages });
    yield* rows;
    const next = headers.get('sforce-locator');
    locator = next && next !== 'null' ? next : undefined;
  } while (locator);
}
