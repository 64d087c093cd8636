/**
 * Settings of the org's Bulk API 2.0. The defaults are Salesforce's documented limits; tests shrink
 * them (a 1 MB upload limit, a one-batch daily quota) to exercise the limits without 150 MB bodies.
 */

const MIB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface BulkOptions {
  /**
   * Largest CSV body of one `PUT …/batches`, in bytes. Salesforce documents 150 MB of base64
   * content per upload; the org counts raw bytes against 150 MiB.
   * @defaultValue 157_286_400 (150 MiB)
   * @see https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/upload_job_data.htm
   */
  maxUploadBytes?: number;
  /**
   * Records per internal batch: each is written in its own transaction and counts as one batch
   * against `dailyBatchLimit`.
   * @defaultValue 10_000
   */
  batchSize?: number;
  /**
   * Internal batches per rolling 24 hours (`DailyBulkApiBatches`, shared with Bulk API 1.0).
   * @defaultValue 15_000
   */
  dailyBatchLimit?: number;
  /**
   * Records per rolling 24 hours.
   * @defaultValue 150_000_000
   */
  dailyRecordLimit?: number;
  /**
   * Query jobs per rolling 24 hours (`DailyBulkV2QueryJobs`).
   * @defaultValue 10_000
   */
  dailyQueryJobLimit?: number;
  /**
   * Query result storage per rolling 24 hours, in MB (`DailyBulkV2QueryFileStorageMB`).
   * @defaultValue 976_562 (1 TB)
   */
  dailyQueryStorageMb?: number;
  /**
   * How long a job and its data are kept after it ends (JobComplete, Failed, Aborted); older jobs
   * are purged the next time jobs are looked at.
   * @defaultValue 7 days
   */
  retentionMs?: number;
  /**
   * Rows of a query result page when the request gives no `maxRecords`. Salesforce then returns as
   * many rows as its size limits allow, which for anything but huge results is all of them; the org
   * returns all remaining rows (streamed from the database). Set a number to make clients page
   * without asking, e.g. to test their `Sforce-Locator` handling.
   * @defaultValue Number.MAX_SAFE_INTEGER (all remaining rows)
   * @see https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm
   */
  defaultMaxRecords?: number;
  /**
   * Time source for job timestamps, retention and the rolling limits.
   * @defaultValue `() => new Date()`
   */
  clock?: () => Date;
}

export type ResolvedBulkOptions = Required<BulkOptions>;

export function resolveBulkOptions(options: BulkOptions = {}): ResolvedBulkOptions {
  const resolved: ResolvedBulkOptions = {
    maxUploadBytes: options.maxUploadBytes ?? 150 * MIB,
    batchSize: options.batchSize ?? 10_000,
    dailyBatchLimit: options.dailyBatchLimit ?? 15_000,
    dailyRecordLimit: options.dailyRecordLimit ?? 150_000_000,
    dailyQueryJobLimit: options.dailyQueryJobLimit ?? 10_000,
    dailyQueryStorageMb: options.dailyQueryStorageMb ?? 976_562,
    retentionMs: options.retentionMs ?? 7 * DAY_MS,
    defaultMaxRecords: options.defaultMaxRecords ?? Number.MAX_SAFE_INTEGER,
    clock: options.clock ?? (() => new Date()),
  };
  for (const key of ['maxUploadBytes', 'batchSize', 'dailyBatchLimit', 'dailyRecordLimit', 'dailyQueryJobLimit', 'defaultMaxRecords'] as const) {
    const v = resolved[key];
    if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`bulk option ${key} must be a positive integer, got ${v}`);
  }
  return resolved;
}
