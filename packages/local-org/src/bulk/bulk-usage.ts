/**
 * The Bulk API's rolling 24-hour allocations: internal batches and records of ingest jobs, query
 * jobs, and query result storage. Each use is kept with its time and forgotten 24 hours later, so
 * the window really rolls (unlike the daily API counter, nothing resets at once).
 */
import type { OrgLimit } from '../limits/index.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MB = 1024 * 1024;

interface Use {
  at: number;
  amount: number;
}

/** Uses within the last 24 hours, with their running total. */
class RollingCounter {
  #uses: Use[] = [];
  #total = 0;

  constructor(private readonly now: () => number) {}

  total(): number {
    const since = this.now() - DAY_MS;
    while (this.#uses.length > 0 && this.#uses[0]!.at <= since) this.#total -= this.#uses.shift()!.amount;
    return this.#total;
  }

  add(amount: number): void {
    this.#uses.push({ at: this.now(), amount });
    this.#total += amount;
  }

  clear(): void {
    this.#uses = [];
    this.#total = 0;
  }
}

export interface BulkLimits {
  dailyBatchLimit: number;
  dailyRecordLimit: number;
  dailyQueryJobLimit: number;
  dailyQueryStorageMb: number;
}

export class BulkUsage {
  readonly #batches: RollingCounter;
  readonly #records: RollingCounter;
  readonly #queryJobs: RollingCounter;
  readonly #queryBytes: RollingCounter;

  constructor(
    readonly limits: BulkLimits,
    now: () => number,
  ) {
    this.#batches = new RollingCounter(now);
    this.#records = new RollingCounter(now);
    this.#queryJobs = new RollingCounter(now);
    this.#queryBytes = new RollingCounter(now);
  }

  /**
   * Counts one internal batch of `records` records, or returns which allocation it would exceed
   * (then nothing is counted).
   */
  tryBatch(records: number): 'ok' | 'batches' | 'records' {
    if (this.#batches.total() + 1 > this.limits.dailyBatchLimit) return 'batches';
    if (this.#records.total() + records > this.limits.dailyRecordLimit) return 'records';
    this.#batches.add(1);
    this.#records.add(records);
    return 'ok';
  }

  /** Counts one query job; false when the allocation is used up. */
  tryQueryJob(): boolean {
    if (this.#queryJobs.total() + 1 > this.limits.dailyQueryJobLimit) return false;
    this.#queryJobs.add(1);
    return true;
  }

  addQueryBytes(bytes: number): void {
    this.#queryBytes.add(bytes);
  }

  /** The `GET /limits` entries this allocation owns. */
  readings(): Record<'DailyBulkApiBatches' | 'DailyBulkV2QueryJobs' | 'DailyBulkV2QueryFileStorageMB', OrgLimit> {
    const remaining = (max: number, used: number): OrgLimit => ({ Max: max, Remaining: Math.max(0, max - used) });
    return {
      DailyBulkApiBatches: remaining(this.limits.dailyBatchLimit, this.#batches.total()),
      DailyBulkV2QueryJobs: remaining(this.limits.dailyQueryJobLimit, this.#queryJobs.total()),
      DailyBulkV2QueryFileStorageMB: remaining(this.limits.dailyQueryStorageMb, Math.ceil(this.#queryBytes.total() / MB)),
    };
  }

  /** Records counted in the window (not a `/limits` entry in Salesforce; for stats and tests). */
  recordsUsed(): number {
    return this.#records.total();
  }

  reset(): void {
    for (const c of [this.#batches, this.#records, this.#queryJobs, this.#queryBytes]) c.clear();
  }
}
