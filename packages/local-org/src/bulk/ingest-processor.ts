/**
 * Processing of a closed ingest job: the uploaded rows are written through the record store in
 * internal batches of up to `batchSize` records, each batch in its own transaction together with
 * its per-row results. Within a batch every record stands alone (allOrNone false): valid rows are
 * written, invalid ones get Salesforce's error. Values arrive as CSV text; the store's coercion
 * reads numbers, `true`/`false` and dates from text.
 *
 * Bulk API value rules: an empty value is ignored (the field is not set on insert and left alone
 * on update); `#N/A` sets the field to null. A lookup may be given by the parent's external id in a
 * relationship column (`relationship-columns.ts`).
 */
import { SalesforceError } from '../errors.js';
import type { RecordStore } from '../data/record-store.js';
import type { Row, WriteResult, WriteTx } from '../data/store-types.js';
import type { Schema } from '../schema/schema.js';
import { jobFailures } from './bulk-errors.js';
import type { BulkStorage, RowResult, StoredRow } from './bulk-storage.js';
import type { BulkUsage } from './bulk-usage.js';
import { sfError } from './csv-dialect.js';
import { relationshipColumn, resolveRelationshipColumns, type RelationshipColumn } from './relationship-columns.js';
import type { IngestJob } from './types.js';

/** The value that sets a field to null (an empty value leaves it alone). */
export const NULL_VALUE = '#N/A';

export interface IngestContext {
  schema: Schema;
  store: RecordStore;
  storage: BulkStorage;
  usage: BulkUsage;
  batchSize: number;
  now: () => number;
  /** False once the job was aborted, deleted or reset away: processing stops after the current batch. */
  stillRunning: () => boolean;
}

/** Ends `job` as Failed with `message`; rows not yet handled stay unprocessed. */
function fail(job: IngestJob, message: string, now: number): void {
  job.state = 'Failed';
  job.errorMessage = message;
  job.systemModstamp = now;
}

/** The upload's columns: field names (null where a column is not a plain field) and relationship columns. */
export interface ResolvedColumns {
  names: (string | null)[];
  relations: RelationshipColumn[];
}

/**
 * The upload's columns as the schema names them, or the `errorMessage` to fail the job with.
 * delete and hardDelete read only `Id`; the other operations must name fields of the object or
 * relationship columns (`Account.AccountNumber`).
 */
export function resolveColumns(schema: Schema, job: IngestJob): ResolvedColumns | { error: string } {
  if (job.operation === 'delete' || job.operation === 'hardDelete') {
    const names = job.header.map((h) => (h.trim().toLowerCase() === 'id' ? 'Id' : null));
    return names.includes('Id') ? { names, relations: [] } : { error: jobFailures.fieldNotFound('Id') };
  }
  const names: (string | null)[] = [];
  const relations: RelationshipColumn[] = [];
  for (const [i, h] of job.header.entries()) {
    const f = schema.field(job.object, h.trim());
    const relation = f ? undefined : relationshipColumn(schema, job.object, h, i);
    if (!f && !relation) return { error: jobFailures.fieldNotFound(h) };
    names.push(f ? f.name : null);
    if (relation) relations.push(relation);
  }
  return { names, relations };
}

/** A row as the store's field map: empty values left out, `#N/A` as null. */
function toBody(names: (string | null)[], fields: string[]): Row {
  const body: Row = {};
  for (const [i, name] of names.entries()) {
    const value = fields[i] ?? '';
    if (name === null || value === '') continue;
    body[name] = value === NULL_VALUE ? null : value;
  }
  return body;
}

async function writeBatch(store: RecordStore, tx: WriteTx, job: IngestJob, columns: ResolvedColumns, rows: StoredRow[]): Promise<WriteResult[]> {
  if (job.operation === 'delete' || job.operation === 'hardDelete') {
    const idAt = columns.names.indexOf('Id');
    const ids = rows.map((r) => r.fields[idAt] ?? '');
    return job.operation === 'delete' ? store.remove(tx, job.object, ids) : store.hardDelete(tx, job.object, ids);
  }
  const bodies = rows.map((r) => toBody(columns.names, r.fields));
  const unresolved =
    columns.relations.length > 0
      ? await resolveRelationshipColumns(tx.sql, columns.relations, rows.map((r) => r.fields), bodies, NULL_VALUE)
      : new Map<number, SalesforceError>();
  const todo = bodies.filter((_b, i) => !unresolved.has(i));
  const written =
    job.operation === 'insert'
      ? await store.create(tx, job.object, todo)
      : job.operation === 'update'
        ? await store.update(tx, job.object, todo)
        : await store.upsert(tx, job.object, job.externalIdFieldName ?? '', todo);
  let next = 0;
  return rows.map((_r, i): WriteResult => {
    const error = unresolved.get(i);
    return error ? { ok: false, error } : written[next++]!;
  });
}

function toRowResult(r: WriteResult): RowResult {
  return r.ok
    ? { ok: true, id: r.id, created: r.created, error: '' }
    : { ok: false, id: r.id ?? '', created: false, error: sfError(r.error) };
}

/** Processes a job in state InProgress to JobComplete, Failed, or (when aborted meanwhile) stops. */
export async function processIngestJob(ctx: IngestContext, job: IngestJob): Promise<void> {
  // Durations use the monotonic clock: `now` may be an injected clock that stands still.
  const started = performance.now();
  try {
    if (job.deferredError !== undefined) {
      fail(job, job.deferredError, ctx.now());
      return;
    }
    const columns: ResolvedColumns | { error: string } = job.rows > 0 ? resolveColumns(ctx.schema, job) : { names: [], relations: [] };
    if ('error' in columns) {
      fail(job, columns.error, ctx.now());
      return;
    }
    for (let first = job.processed; first < job.rows; first += ctx.batchSize) {
      // Let waiting requests in between batches: an embedded database answers in microtasks, so
      // without this a long job would keep the event loop (polls, aborts) waiting until it ends.
      await new Promise((resolve) => setImmediate(resolve));
      if (!ctx.stillRunning()) return;
      const rows = await ctx.storage.readRows(job.id, first, Math.min(first + ctx.batchSize, job.rows));
      const quota = ctx.usage.tryBatch(rows.length);
      if (quota !== 'ok') {
        const limits = ctx.usage.limits;
        fail(job, quota === 'batches' ? jobFailures.batchQuota(limits.dailyBatchLimit) : jobFailures.recordQuota(limits.dailyRecordLimit), ctx.now());
        return;
      }
      // Reads happen before the transaction: on PGlite a read through the database handle would
      // wait for the open transaction forever.
      const results = await ctx.store.transaction(async (tx) => {
        const written = (await writeBatch(ctx.store, tx, job, columns, rows)).map(toRowResult);
        await ctx.storage.insertResults(tx.sql, job.id, first, written);
        return written;
      });
      job.processed += results.length;
      job.failed += results.filter((r) => !r.ok).length;
      job.systemModstamp = ctx.now();
    }
    if (ctx.stillRunning()) {
      job.state = 'JobComplete';
      job.systemModstamp = ctx.now();
    }
  } catch (err) {
    const detail = err instanceof SalesforceError ? `${err.errorCode}: ${err.message}` : err instanceof Error ? err.message : String(err);
    if (job.state === 'InProgress') fail(job, jobFailures.internal(detail), ctx.now());
    throw err;
  } finally {
    job.processingMs += Math.round(performance.now() - started);
  }
}
