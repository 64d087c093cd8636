/**
 * Bulk API 2.0 ingest: create the job, stream the CSV into one upload, mark it UploadComplete,
 * poll until it ends (aborting it on timeout), then read the failed (and optionally successful)
 * results.
 *
 * Retry safety: creating a job and closing the upload are retried (an orphan Open job does
 * nothing and expires). The upload itself is never resent into the same job — a repeated upload
 * whose first answer was lost could queue the records twice. When the records are an array (so
 * the CSV can be produced again) a failed upload aborts that job and starts over with a new job;
 * a streamed source (async iterable) can be read only once, so the job is aborted and the error
 * thrown.
 */
import type { ClientCore } from '../client/client-core.js';
import { BulkJobError } from '../errors/bulk-job-error.js';
import { ClientErrorCode } from '../errors/error-codes.js';
import { classifyError } from '../http/retry.js';
import { columnsOf, csvStream, parseCsv, type BulkRecord } from './csv.js';
import { pollUntil, type PollOptions } from './polling.js';

export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
export type IngestJobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

/** The job info Salesforce returns (the fields used). */
export interface IngestJobInfo {
  id: string;
  state: IngestJobState;
  object: string;
  operation: IngestOperation;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
  errorMessage?: string;
}

export interface IngestProgress {
  jobId: string;
  state: IngestJobState;
  /** Records processed so far (failed ones included). */
  processed: number;
  failed: number;
}

export interface IngestOptions extends PollOptions {
  object: string;
  operation: IngestOperation;
  /** The records: an array, or any (async) iterable to stream without holding it in memory. */
  records: readonly BulkRecord[] | AsyncIterable<BulkRecord> | Iterable<BulkRecord>;
  /**
   * CSV columns.
   * @defaultValue every key of an array's records; the first record's keys for an iterable
   */
  columns?: string[];
  /** Upsert key (required for `upsert`). */
  externalIdFieldName?: string;
  /** Called after every poll. */
  onProgress?: (progress: IngestProgress) => void;
  /**
   * Read the successful results too (one more request, ids of every record).
   * @defaultValue true
   */
  fetchSuccessfulResults?: boolean;
}

export interface IngestResult {
  jobId: string;
  state: IngestJobState;
  processed: number;
  failed: number;
  /** `sf__Id`, `sf__Created` and the record as sent, per successful record (when fetched). */
  successfulRows?: Array<{ sfId: string; created: boolean; record: Record<string, string | null> }>;
  /** `sf__Id` (null for failed inserts), `sf__Error` and the record as sent, per failed record. */
  failedRows: Array<{ sfId: string | null; error: string; record: Record<string, string | null> }>;
}

const DONE: ReadonlySet<string> = new Set(['JobComplete', 'Failed', 'Aborted']);

export async function ingest(core: ClientCore, options: IngestOptions): Promise<IngestResult> {
  if (options.operation === 'upsert' && !options.externalIdFieldName) throw new TypeError('bulk upsert needs externalIdFieldName');
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  const replayable = Array.isArray(options.records);
  const { columns, records } = await prepare(options);
  const maxUploads = replayable ? core.retryOptions.maxAttempts : 1;

  for (let upload = 1; ; upload++) {
    const job = await createJob(core, options);
    try {
      await core.send({
        method: 'PUT',
        path: core.dataPath(`/jobs/ingest/${job.id}/batches`),
        body: () => csvStream(records(), columns),
        contentType: 'text/csv',
      });
    } catch (error) {
      await abortJob(core, job.id);
      const retryable = classifyError(error) !== 'fatal' && upload < maxUploads;
      core.logger.warn({ jobId: job.id, upload, retry: retryable, error: (error as Error).message }, 'salesforce: bulk upload failed; job aborted');
      if (!retryable) throw error;
      core.countRetry();
      continue;
    }
    await core.request(
      { method: 'PATCH', path: core.dataPath(`/jobs/ingest/${job.id}`), json: { state: 'UploadComplete' } },
      { idempotent: true },
    );
    return finish(core, job.id, deadline, options);
  }
}

/** Columns and a way to (re)produce the records; peeks the first record of an iterable for its keys. */
async function prepare(options: IngestOptions): Promise<{ columns: string[]; records: () => AsyncIterable<BulkRecord> | Iterable<BulkRecord> }> {
  const source = options.records;
  if (Array.isArray(source)) {
    const list = source as readonly BulkRecord[];
    return { columns: options.columns ?? columnsOf(list), records: () => list };
  }
  const iterator = (Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (source as Iterable<BulkRecord>)[Symbol.iterator]()) as
    | AsyncIterator<BulkRecord>
    | Iterator<BulkRecord>;
  const first = await iterator.next();
  const columns = options.columns ?? (first.done ? [] : Object.keys(first.value));
  let used = false;
  return {
    columns,
    records: () => {
      if (used) throw new Error('a streamed bulk source can be read only once');
      used = true;
      return (async function* () {
        if (first.done) return;
        yield first.value;
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
      })();
    },
  };
}

async function createJob(core: ClientCore, options: IngestOptions): Promise<IngestJobInfo> {
  const { body } = await core.request<IngestJobInfo>(
    {
      method: 'POST',
      path: core.dataPath('/jobs/ingest'),
      json: {
        object: options.object,
        operation: options.operation,
        ...(options.externalIdFieldName ? { externalIdFieldName: options.externalIdFieldName } : {}),
        contentType: 'CSV',
        lineEnding: 'LF',
        columnDelimiter: 'COMMA',
      },
    },
    // An orphan Open job does nothing: creating one again after a lost answer is harmless.
    { idempotent: true },
  );
  return body;
}

async function finish(core: ClientCore, jobId: string, deadline: number, options: IngestOptions): Promise<IngestResult> {
  const { timedOut, info } = await pollUntil(
    async () => {
      const { body } = await core.request<IngestJobInfo>({ method: 'GET', path: core.dataPath(`/jobs/ingest/${jobId}`) }, { idempotent: true });
      options.onProgress?.({ jobId, state: body.state, processed: body.numberRecordsProcessed ?? 0, failed: body.numberRecordsFailed ?? 0 });
      return body;
    },
    (i) => DONE.has(i.state),
    deadline,
    options,
  );
  if (timedOut) {
    await abortJob(core, jobId);
    throw new BulkJobError(ClientErrorCode.BULK_TIMEOUT, `bulk ingest job ${jobId} did not finish within ${options.timeoutMs ?? 600_000} ms (last state ${info.state}); aborted`, jobId, info.state);
  }
  if (info.state !== 'JobComplete') {
    throw new BulkJobError(ClientErrorCode.BULK_JOB_FAILED, `bulk ingest job ${jobId} ended ${info.state}: ${info.errorMessage ?? 'no message'}`, jobId, info.state);
  }
  const failedRows = (await resultRows(core, jobId, 'failedResults')).map((row) => {
    const { sf__Id: sfId = null, sf__Error: error = '', ...record } = row;
    return { sfId: sfId ?? null, error: error ?? '', record };
  });
  const result: IngestResult = {
    jobId,
    state: info.state,
    processed: info.numberRecordsProcessed ?? 0,
    failed: info.numberRecordsFailed ?? 0,
    failedRows,
  };
  if (options.fetchSuccessfulResults !== false) {
    result.successfulRows = (await resultRows(core, jobId, 'successfulResults')).map((row) => {
      const { sf__Id: sfId, sf__Created: created, ...record } = row;
      return { sfId: sfId ?? '', created: created === 'true', record };
    });
  }
  return result;
}

async function resultRows(core: ClientCore, jobId: string, kind: 'failedResults' | 'successfulResults') {
  const { body } = await core.request<string>(
    { method: 'GET', path: core.dataPath(`/jobs/ingest/${jobId}/${kind}`), responseType: 'text' },
    { idempotent: true },
  );
  return parseCsv(body);
}

/** Aborts a job; best effort (a job that already ended cannot be aborted, which is fine). */
export async function abortJob(core: ClientCore, jobId: string, kind: 'ingest' | 'query' = 'ingest'): Promise<void> {
  try {
    await core.request({ method: 'PATCH', path: core.dataPath(`/jobs/${kind}/${jobId}`), json: { state: 'Aborted' } }, { idempotent: true });
  } catch (error) {
    core.logger.warn({ jobId, error: (error as Error).message }, 'salesforce: could not abort bulk job');
  }
}
