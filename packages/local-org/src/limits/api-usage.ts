/**
 * The org's daily API request allocation and what has been used of it.
 *
 * Salesforce enforces the allocation over a rolling 24 hours. This counter approximates that with
 * a window that opens at the first counted call and resets (counts back to zero) when a call comes
 * more than 24 hours after it opened: exact for any test or benchmark shorter than a day, which is
 * every run of the local org that matters.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ApiUsageOptions {
  /**
   * Maximum API requests per 24 hours (`DailyApiRequests.Max`). Salesforce's allocation is
   * 100,000 + a per-licence amount for production orgs, 15,000 for Developer Edition and 5,000,000
   * for a Full sandbox; the default is the sandbox figure, high enough that benchmarks measure cost
   * instead of hitting the cap. Tests of the cap set a small number.
   * @defaultValue 5_000_000
   * @see https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm
   */
  apiLimit?: number;
  /**
   * Clock in milliseconds since the epoch, for tests of the window.
   * @defaultValue Date.now
   */
  now?: () => number;
}

export interface ApiUsageSnapshot {
  /** Calls counted in the current window. */
  used: number;
  max: number;
  remaining: number;
  /** ISO time the window opened; null before the first call. */
  windowStartedAt: string | null;
  /** Calls in the current window by endpoint key (`GET /query`); sums to `used`. */
  byEndpoint: Record<string, number>;
}

/**
 * Counts API calls against the daily allocation.
 *
 * @example
 * const usage = new ApiUsage({ apiLimit: 15_000 });
 * if (!usage.tryCount('GET /query')) reply403();
 * usage.snapshot().used; // 1
 */
export class ApiUsage {
  readonly max: number;
  private readonly now: () => number;
  private windowStart: number | null = null;
  private usedInWindow = 0;
  private endpoints = new Map<string, number>();

  constructor(options: ApiUsageOptions = {}) {
    const max = options.apiLimit ?? 5_000_000;
    if (!Number.isSafeInteger(max) || max < 0) throw new RangeError(`apiLimit must be a non-negative integer, got ${max}`);
    this.max = max;
    this.now = options.now ?? Date.now;
  }

  /** Calls counted in the current window. */
  get used(): number {
    this.roll();
    return this.usedInWindow;
  }

  get remaining(): number {
    return Math.max(0, this.max - this.used);
  }

  /**
   * Counts one call under `key` and returns true, or returns false without counting when the
   * allocation is used up (the call must then be refused with `REQUEST_LIMIT_EXCEEDED`).
   */
  tryCount(key: string): boolean {
    this.roll();
    if (this.usedInWindow >= this.max) return false;
    this.windowStart ??= this.now();
    this.usedInWindow += 1;
    this.endpoints.set(key, (this.endpoints.get(key) ?? 0) + 1);
    return true;
  }

  snapshot(): ApiUsageSnapshot {
    const used = this.used;
    return {
      used,
      max: this.max,
      remaining: Math.max(0, this.max - used),
      windowStartedAt: this.windowStart === null ? null : new Date(this.windowStart).toISOString(),
      byEndpoint: Object.fromEntries([...this.endpoints].sort(([a], [b]) => a.localeCompare(b))),
    };
  }

  /** Forgets every count (a fresh day). */
  reset(): void {
    this.windowStart = null;
    this.usedInWindow = 0;
    this.endpoints = new Map();
  }

  private roll(): void {
    if (this.windowStart !== null && this.now() - this.windowStart >= DAY_MS) this.reset();
  }
}
