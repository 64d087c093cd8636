/**
 * The org's Bulk API jobs by id. Ended jobs are kept for the retention period and purged lazily:
 * every lookup and listing first drops jobs that ended longer ago than that (with their stored
 * data), so no timer runs and an injected clock controls purging completely.
 */
import { isValidId, makeId, to18 } from '../ids.js';
import { bulkErrors } from './bulk-errors.js';
import type { BulkJob, IngestJob, QueryJob } from './types.js';

/** Key prefix of Bulk API jobs (ingest and query alike). */
export const JOB_KEY_PREFIX = '750';

type JobOfKind<K extends BulkJob['kind']> = K extends 'ingest' ? IngestJob : QueryJob;

/**
 * The last job serial handed out in this process. Shared by every registry so that two orgs (or a
 * test's second Bulk API over the same database) never share a job id: Salesforce's ids are
 * unique across orgs too.
 */
let lastSerial = 0;

export class JobRegistry {
  readonly #jobs = new Map<string, BulkJob>();

  /**
   * @param now - Clock in ms.
   * @param retentionMs - How long ended jobs are kept.
   * @param onPurge - Drops a purged job's stored data.
   */
  constructor(
    private readonly now: () => number,
    private readonly retentionMs: number,
    private readonly onPurge: (job: BulkJob) => void,
  ) {}

  /** A fresh job id; ids are never reused. */
  nextId(): string {
    lastSerial += 1;
    return makeId(JOB_KEY_PREFIX, lastSerial);
  }

  add(job: BulkJob): void {
    this.#jobs.set(job.id, job);
  }

  /** The job `rawId` (15 or 18 characters) of `kind`, or NOT_FOUND. */
  get<K extends BulkJob['kind']>(kind: K, rawId: string): JobOfKind<K> {
    this.purgeExpired();
    const job = isValidId(rawId) ? this.#jobs.get(to18(rawId)) : undefined;
    if (!job || job.kind !== kind) throw bulkErrors.jobNotFound();
    return job as JobOfKind<K>;
  }

  /** True while `job` is still the registered job of its id (not deleted, purged or reset). */
  isCurrent(job: BulkJob): boolean {
    return this.#jobs.get(job.id) === job;
  }

  /** Jobs of `kind`, oldest first. */
  list<K extends BulkJob['kind']>(kind: K): JobOfKind<K>[] {
    this.purgeExpired();
    return [...this.#jobs.values()].filter((j): j is JobOfKind<K> => j.kind === kind);
  }

  remove(job: BulkJob): void {
    if (this.isCurrent(job)) this.#jobs.delete(job.id);
  }

  clear(): void {
    this.#jobs.clear();
  }

  purgeExpired(): void {
    const cutoff = this.now() - this.retentionMs;
    for (const job of this.#jobs.values()) {
      if (job.finishedAt !== undefined && job.finishedAt <= cutoff) {
        this.#jobs.delete(job.id);
        this.onPurge(job);
      }
    }
  }
}
