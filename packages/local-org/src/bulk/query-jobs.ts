/**
 * The life of query jobs: create (the query is checked now; UploadComplete) → run in the
 * background (InProgress → JobComplete or Failed), or Aborted on request; paged results, deletion.
 */
import { SalesforceError } from '../errors.js';
import { bulkErrors } from './bulk-errors.js';
import { csvLines } from './csv-dialect.js';
import { enumProperty, type JobDeps } from './job-deps.js';
import { planQuery, runQueryJob } from './query-processor.js';
import { SerialQueue } from './serial-queue.js';
import {
  COLUMN_DELIMITERS,
  LINE_ENDINGS,
  QUERY_OPERATIONS,
  type ColumnDelimiter,
  type JobState,
  type LineEnding,
  type QueryJob,
  type QueryOperation,
} from './types.js';

const STATES: readonly string[] = ['Open', 'UploadComplete', 'InProgress', 'JobComplete', 'Failed', 'Aborted'] satisfies JobState[];

/** One page of results. */
export interface QueryResultPage {
  /** `Sforce-Locator`: the next page's locator, or `'null'` after the last page. */
  locator: string;
  /** `Sforce-NumberOfRecords`. */
  count: number;
  /** The CSV: header line, then the page's rows read from the database a chunk at a time. */
  csv: AsyncIterable<string>;
}

/** Result lines per database read while streaming a page. */
const READ_CHUNK = 10_000;

/** Locators are the base64 of the next row's offset, as Salesforce's look (`MjAwMDA` = 20000). */
function encodeLocator(offset: number): string {
  return Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');
}

function decodeLocator(locator: string): number | undefined {
  const text = Buffer.from(locator, 'base64').toString('utf8');
  if (!/^\d+$/.test(text) || encodeLocator(Number(text)) !== locator) return undefined;
  return Number(text);
}

export class QueryJobs {
  readonly #queue: SerialQueue;

  constructor(private readonly deps: JobDeps) {
    this.#queue = new SerialQueue((err) => deps.logError(err, 'local-org: bulk query job processing failed'));
  }

  /** `POST /jobs/query`: checks the query (Salesforce validates at creation) and queues the job. */
  create(body: unknown, apiVersion: string): QueryJob {
    const b = (body ?? {}) as Record<string, unknown>;
    const operation = b['operation'];
    if (typeof operation !== 'string' || !(QUERY_OPERATIONS as readonly string[]).includes(operation)) {
      throw bulkErrors.invalidValue('operation', operation);
    }
    const query = b['query'];
    if (typeof query !== 'string' || query.trim() === '') throw bulkErrors.invalidValue('query', query);
    enumProperty(b, 'contentType', ['CSV'], 'CSV', bulkErrors.invalidValue);
    const lineEnding = enumProperty(b, 'lineEnding', Object.keys(LINE_ENDINGS) as LineEnding[], 'LF', bulkErrors.invalidValue);
    const columnDelimiter = enumProperty(b, 'columnDelimiter', Object.keys(COLUMN_DELIMITERS) as ColumnDelimiter[], 'COMMA', bulkErrors.invalidValue);
    const plan = planQuery(this.deps.org, query, operation as QueryOperation);
    if (!this.deps.usage.tryQueryJob()) throw bulkErrors.queryJobQuota(this.deps.usage.limits.dailyQueryJobLimit);
    const now = this.deps.now();
    const job: QueryJob = {
      kind: 'query',
      id: this.deps.registry.nextId(),
      operation: operation as QueryOperation,
      object: plan.object,
      query,
      columns: plan.paths.map((p) => p.join('.')),
      createdById: this.deps.org.userId,
      createdDate: now,
      systemModstamp: now,
      state: 'UploadComplete',
      apiVersion,
      lineEnding,
      columnDelimiter,
      processingMs: 0,
      rows: 0,
    };
    this.deps.registry.add(job);
    this.#queue.push(() => this.#run(job));
    return job;
  }

  get(id: string): QueryJob {
    return this.deps.registry.get('query', id);
  }

  list(): QueryJob[] {
    return this.deps.registry.list('query');
  }

  /** `PATCH /jobs/query/<id>`: only `{state: 'Aborted'}`, while the job has not ended. */
  changeState(job: QueryJob, state: unknown): QueryJob {
    if (state === 'Aborted') {
      if (job.state !== 'UploadComplete' && job.state !== 'InProgress') throw bulkErrors.abortNotAllowed(job.state);
      const now = this.deps.now();
      job.state = 'Aborted';
      job.systemModstamp = now;
      job.finishedAt = now;
      return job;
    }
    if (typeof state === 'string' && STATES.includes(state)) throw bulkErrors.stateChangeNotAllowed(state);
    throw bulkErrors.invalidValue('state', state);
  }

  /** `DELETE /jobs/query/<id>`: only for ended jobs (JobComplete, Aborted, Failed). */
  async delete(job: QueryJob): Promise<void> {
    if (job.state === 'UploadComplete' || job.state === 'InProgress') throw bulkErrors.deleteNotAllowed(job.state);
    this.deps.registry.remove(job);
    await this.deps.storage.deleteJob(job.id);
  }

  /**
   * `GET …/results?locator=&maxRecords=`: up to `maxRecords` rows (default `defaultMaxRecords`:
   * all remaining) from the locator's offset (default the start).
   */
  async results(job: QueryJob, apiVersion: string, locator: string | undefined, maxRecords: string | undefined): Promise<QueryResultPage> {
    if (apiVersion !== job.apiVersion) throw bulkErrors.versionMismatch(job.apiVersion);
    if (job.state !== 'JobComplete') throw bulkErrors.resultsNotReady(job.state);
    let max = this.deps.options.defaultMaxRecords;
    if (maxRecords !== undefined && maxRecords !== '') {
      if (!/^\d+$/.test(maxRecords) || Number(maxRecords) < 1) throw bulkErrors.invalidMaxRecords(maxRecords);
      max = Number(maxRecords);
    }
    let offset = 0;
    if (locator !== undefined && locator !== '' && locator !== 'null') {
      const decoded = decodeLocator(locator);
      if (decoded === undefined || decoded > job.rows) throw bulkErrors.invalidLocator(locator);
      offset = decoded;
    }
    const count = Math.min(max, job.rows - offset);
    const next = offset + count;
    return { locator: next < job.rows ? encodeLocator(next) : 'null', count, csv: this.#pageLines(job, offset, count) };
  }

  async *#pageLines(job: QueryJob, offset: number, count: number): AsyncGenerator<string> {
    yield csvLines(job, [job.columns]);
    for (let from = offset; from < offset + count; from += READ_CHUNK) {
      const lines = await this.deps.storage.readQueryLines(job.id, from, Math.min(READ_CHUNK, offset + count - from));
      yield lines.join('');
    }
  }

  /** Resolves once queued and running jobs have been handled. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  async #run(job: QueryJob): Promise<void> {
    const { registry } = this.deps;
    if (!registry.isCurrent(job) || job.state !== 'UploadComplete') return;
    job.state = 'InProgress';
    job.systemModstamp = this.deps.now();
    const stillRunning = () => registry.isCurrent(job) && job.state === 'InProgress';
    try {
      await runQueryJob({ org: this.deps.org, storage: this.deps.storage, usage: this.deps.usage, stillRunning }, job);
      if (stillRunning()) job.state = 'JobComplete';
    } catch (err) {
      if (stillRunning()) {
        job.state = 'Failed';
        job.errorMessage = err instanceof SalesforceError ? `${err.errorCode} : ${err.message}` : `InternalServerError : ${String(err)}`;
      }
      if (!(err instanceof SalesforceError)) this.deps.logError(err, `local-org: bulk query job ${job.id} failed`);
    } finally {
      job.systemModstamp = this.deps.now();
      if (job.state === 'JobComplete' || job.state === 'Failed') job.finishedAt ??= this.deps.now();
    }
  }
}
