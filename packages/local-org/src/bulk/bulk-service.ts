/**
 * The org's Bulk API 2.0: ingest and query jobs over one job registry, one storage and one set of
 * rolling allocations. The HTTP layer (`bulk-plugin.ts`) is a thin shell over this; `reset()` and
 * `close()` are what the org's own lifecycle calls.
 *
 * @example
 * const bulk = new BulkService(runtime, { maxUploadBytes: 1024 * 1024 });
 * await bulk.initialize();
 * const job = bulk.ingest.create({ object: 'Account', operation: 'insert' }, '65.0');
 */
import type { OrgRuntime } from '../org-runtime.js';
import { resolveBulkOptions, type BulkOptions, type ResolvedBulkOptions } from './bulk-options.js';
import { BulkStorage } from './bulk-storage.js';
import { BulkUsage } from './bulk-usage.js';
import { IngestJobs } from './ingest-jobs.js';
import type { JobDeps } from './job-deps.js';
import { JobRegistry } from './job-registry.js';
import { QueryJobs } from './query-jobs.js';

export class BulkService {
  readonly options: ResolvedBulkOptions;
  readonly usage: BulkUsage;
  readonly ingest: IngestJobs;
  readonly query: QueryJobs;
  readonly #registry: JobRegistry;
  readonly #storage: BulkStorage;
  /** Deletions of purged jobs' data still running (awaited by reset/close). */
  readonly #purges = new Set<Promise<void>>();

  /**
   * @param org - The org whose records the jobs read and write.
   * @param options - Limits and clock; see {@link BulkOptions}.
   * @param logError - Hears unexpected failures of background work. @defaultValue console.error
   */
  constructor(
    readonly org: OrgRuntime,
    options: BulkOptions = {},
    logError: (err: unknown, msg: string) => void = (err, msg) => console.error(msg, err),
  ) {
    this.options = resolveBulkOptions(options);
    const now = () => this.options.clock().getTime();
    this.usage = new BulkUsage(this.options, now);
    this.#storage = new BulkStorage(org.db);
    this.#registry = new JobRegistry(now, this.options.retentionMs, (job) => {
      const p = this.#storage
        .deleteJob(job.id)
        .catch((err: unknown) => logError(err, `local-org: purging bulk job ${job.id} failed`))
        .finally(() => this.#purges.delete(p));
      this.#purges.add(p);
    });
    const deps: JobDeps = { org, options: this.options, registry: this.#registry, storage: this.#storage, usage: this.usage, now, logError };
    this.ingest = new IngestJobs(deps);
    this.query = new QueryJobs(deps);
  }

  /** Creates the Bulk API tables (and empties them: jobs do not survive a restart). */
  async initialize(): Promise<void> {
    await this.#storage.initialize();
  }

  /** Drops every job: running ones stop after their current internal batch. */
  async reset(): Promise<void> {
    await this.close();
    await this.#storage.truncate();
    this.usage.reset();
  }

  /** Stops processing (after the current internal batch) and waits for background work to end. */
  async close(): Promise<void> {
    this.#registry.clear();
    await Promise.all([this.ingest.idle(), this.query.idle()]);
    await Promise.all([...this.#purges]);
  }
}
