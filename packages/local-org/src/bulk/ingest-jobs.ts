/**
 * The life of ingest jobs: create (Open) → one upload → close (UploadComplete) → processed in the
 * background (InProgress → JobComplete or Failed), or Aborted on request; results, deletion.
 */
import type { Readable } from 'node:stream';
import { SalesforceError } from '../errors.js';
import { bulkErrors } from './bulk-errors.js';
import { csvLines } from './csv-dialect.js';
import { storeUpload, UploadTooLargeError } from './csv-upload.js';
import { processIngestJob } from './ingest-processor.js';
import { enumProperty, type JobDeps } from './job-deps.js';
import { SerialQueue } from './serial-queue.js';
import {
  COLUMN_DELIMITERS,
  INGEST_OPERATIONS,
  LINE_ENDINGS,
  type ColumnDelimiter,
  type IngestJob,
  type IngestOperation,
  type JobState,
  type LineEnding,
} from './types.js';

/** The three result files of an ingest job. */
export type IngestResultKind = 'successfulResults' | 'failedResults' | 'unprocessedrecords';

/** Rows per database page when streaming results. */
const RESULT_PAGE = 5_000;
const STATES: readonly string[] = ['Open', 'UploadComplete', 'InProgress', 'JobComplete', 'Failed', 'Aborted'] satisfies JobState[];

export class IngestJobs {
  readonly #queue: SerialQueue;

  constructor(private readonly deps: JobDeps) {
    this.#queue = new SerialQueue((err) => deps.logError(err, 'local-org: bulk ingest job processing failed'));
  }

  /**
   * `POST /jobs/ingest`: validates the definition like Salesforce (unknown keys are ignored: the
   * AppLink SDK sends its data table along).
   */
  create(body: unknown, apiVersion: string): IngestJob {
    const b = (body ?? {}) as Record<string, unknown>;
    const operation = b['operation'];
    if (typeof operation !== 'string' || !(INGEST_OPERATIONS as readonly string[]).includes(operation)) {
      throw bulkErrors.invalidValue('operation', operation);
    }
    const objectName = typeof b['object'] === 'string' ? b['object'] : '';
    const object = this.deps.org.schema.object(objectName);
    if (!object) throw bulkErrors.unknownObject(objectName);
    enumProperty(b, 'contentType', ['CSV'], 'CSV', bulkErrors.invalidValue);
    const lineEnding = enumProperty(b, 'lineEnding', Object.keys(LINE_ENDINGS) as LineEnding[], 'LF', bulkErrors.invalidValue);
    const columnDelimiter = enumProperty(b, 'columnDelimiter', Object.keys(COLUMN_DELIMITERS) as ColumnDelimiter[], 'COMMA', bulkErrors.invalidValue);
    let externalIdFieldName: string | undefined;
    if (operation === 'upsert') {
      const raw = typeof b['externalIdFieldName'] === 'string' ? b['externalIdFieldName'].trim() : '';
      if (raw === '') throw bulkErrors.externalIdMissing(object.name);
      const field = this.deps.org.schema.field(object.name, raw);
      if (!field || !(field.externalId || field.name === 'Id')) throw bulkErrors.notAnExternalId(raw, object.name);
      externalIdFieldName = field.name;
    }
    const now = this.deps.now();
    const job: IngestJob = {
      kind: 'ingest',
      id: this.deps.registry.nextId(),
      operation: operation as IngestOperation,
      object: object.name,
      createdById: this.deps.org.userId,
      createdDate: now,
      systemModstamp: now,
      state: 'Open',
      apiVersion,
      lineEnding,
      columnDelimiter,
      ...(externalIdFieldName !== undefined ? { externalIdFieldName } : {}),
      ...(typeof b['assignmentRuleId'] === 'string' ? { assignmentRuleId: b['assignmentRuleId'] } : {}),
      processingMs: 0,
      upload: 'none',
      header: [],
      rows: 0,
      processed: 0,
      failed: 0,
    };
    this.deps.registry.add(job);
    return job;
  }

  get(id: string): IngestJob {
    return this.deps.registry.get('ingest', id);
  }

  list(): IngestJob[] {
    return this.deps.registry.list('ingest');
  }

  /** `PUT …/batches`: stores the job's one upload. */
  async upload(job: IngestJob, body: Readable): Promise<void> {
    if (job.upload !== 'none') throw bulkErrors.multipleUploads(job.id);
    if (job.state !== 'Open') throw bulkErrors.uploadToClosedJob(job.state);
    job.upload = 'uploading';
    try {
      const stored = await storeUpload(body, job.id, job, this.deps.storage, this.deps.options.maxUploadBytes);
      job.header = stored.header;
      job.rows = stored.rows;
      if (stored.deferredError !== undefined) job.deferredError = stored.deferredError;
      job.upload = 'done';
      job.systemModstamp = this.deps.now();
    } catch (err) {
      job.upload = 'none';
      await this.deps.storage.deleteJob(job.id);
      if (err instanceof UploadTooLargeError) throw bulkErrors.uploadTooLarge(err.maxBytes);
      throw err;
    }
    // Deleted (or the org reset) while the data streamed in: nothing may stay behind.
    if (!this.deps.registry.isCurrent(job)) await this.deps.storage.deleteJob(job.id);
  }

  /** `PATCH /jobs/ingest/<id>` with `{state}`: close (UploadComplete) or abort. */
  changeState(job: IngestJob, state: unknown): IngestJob {
    const now = this.deps.now();
    if (state === 'UploadComplete') {
      if (job.state !== 'Open') throw bulkErrors.closeNotAllowed(job.state);
      if (job.upload === 'uploading') throw bulkErrors.uploadInProgress();
      job.state = 'UploadComplete';
      job.systemModstamp = now;
      this.#queue.push(() => this.#process(job));
      return job;
    }
    if (state === 'Aborted') {
      if (job.state !== 'Open' && job.state !== 'UploadComplete' && job.state !== 'InProgress') {
        throw bulkErrors.abortNotAllowed(job.state);
      }
      job.state = 'Aborted';
      job.systemModstamp = now;
      job.finishedAt = now;
      return job;
    }
    if (typeof state === 'string' && STATES.includes(state)) throw bulkErrors.stateChangeNotAllowed(state);
    throw bulkErrors.invalidValue('state', state);
  }

  /** `DELETE /jobs/ingest/<id>`: only once the job is closed and not being processed. */
  async delete(job: IngestJob): Promise<void> {
    if (job.state === 'Open' || job.state === 'InProgress') throw bulkErrors.deleteNotAllowed(job.state);
    this.deps.registry.remove(job);
    await this.deps.storage.deleteJob(job.id);
  }

  /**
   * A result file as CSV text chunks: the header line, then pages of rows read from the database.
   * successfulResults: `sf__Id, sf__Created, <columns>`; failedResults: `sf__Id, sf__Error,
   * <columns>`; unprocessedrecords: `<columns>`, the rows processing never reached.
   */
  async *results(job: IngestJob, kind: IngestResultKind): AsyncGenerator<string> {
    const storage = this.deps.storage;
    if (kind === 'unprocessedrecords') {
      yield csvLines(job, [job.header]);
      for (let from = job.processed; from < job.rows; from += RESULT_PAGE) {
        const rows = await storage.readRows(job.id, from, Math.min(from + RESULT_PAGE, job.rows));
        yield csvLines(job, rows.map((r) => r.fields));
      }
      return;
    }
    const ok = kind === 'successfulResults';
    yield csvLines(job, [[...(ok ? ['sf__Id', 'sf__Created'] : ['sf__Id', 'sf__Error']), ...job.header]]);
    let after = -1;
    for (;;) {
      const page = await storage.readResults(job.id, ok, after, RESULT_PAGE);
      if (page.length === 0) return;
      yield csvLines(job, page.map((r) => [r.id, ok ? String(r.created) : r.error, ...r.fields]));
      after = page[page.length - 1]!.n;
    }
  }

  /** Resolves once queued and running jobs have been handled. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  async #process(job: IngestJob): Promise<void> {
    const { registry } = this.deps;
    if (!registry.isCurrent(job) || job.state !== 'UploadComplete') return;
    job.state = 'InProgress';
    job.systemModstamp = this.deps.now();
    try {
      await processIngestJob(
        {
          schema: this.deps.org.schema,
          store: this.deps.org.store,
          storage: this.deps.storage,
          usage: this.deps.usage,
          batchSize: this.deps.options.batchSize,
          now: this.deps.now,
          stillRunning: () => registry.isCurrent(job) && job.state === 'InProgress',
        },
        job,
      );
    } catch (err) {
      // The job already shows Failed with the cause; the log gets the stack.
      if (!(err instanceof SalesforceError)) this.deps.logError(err, `local-org: bulk ingest job ${job.id} failed`);
    } finally {
      if (hasEnded(job)) job.finishedAt ??= this.deps.now();
    }
  }
}

/** Read through a function: TypeScript would otherwise keep the state narrowed to InProgress. */
function hasEnded(job: IngestJob): boolean {
  return job.state === 'JobComplete' || job.state === 'Failed';
}
