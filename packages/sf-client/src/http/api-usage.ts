/**
 * API usage as Salesforce reports it in `Sforce-Limit-Info: api-usage=N/M` on every response
 * (N calls used of the org's daily allocation M), plus the calls this client made, and callbacks
 * that fire once when usage crosses a fraction of the allocation.
 */

/** Usage numbers; `used`/`max`/`remaining` are null until a response carried the header. */
export interface ApiUsageSnapshot {
  /** Calls the org has used in the current 24-hour window. */
  used: number | null;
  /** The org's daily allocation. */
  max: number | null;
  /** `max - used`. */
  remaining: number | null;
  /** HTTP requests this client sent to the org (retries included, OAuth calls excluded). */
  calls: number;
}

/** Called once when `used / max` first reaches the threshold it was registered with. */
export type ApiUsageListener = (usage: ApiUsageSnapshot & { threshold: number }) => void;

/** The org's usage; not `per-app-api-usage=` (a connected app's own quota), which the header may also carry. */
const API_USAGE = /(?:^|[\s,;])api-usage=(\d+)\/(\d+)/i;

/** `{used, max}` of a `Sforce-Limit-Info` header value, or undefined when it has no api-usage. */
export function parseLimitInfo(header: string | null | undefined): { used: number; max: number } | undefined {
  const m = API_USAGE.exec(header ?? '');
  return m ? { used: Number(m[1]), max: Number(m[2]) } : undefined;
}

export class ApiUsageTracker {
  #used: number | null = null;
  #max: number | null = null;
  #calls = 0;
  readonly #listeners: Array<{ threshold: number; listener: ApiUsageListener; fired: boolean }> = [];

  /** Counts one request sent. */
  countCall(): void {
    this.#calls += 1;
  }

  /** Reads the `Sforce-Limit-Info` header of a response and fires crossed thresholds. */
  observe(header: string | null | undefined): void {
    const usage = parseLimitInfo(header);
    if (!usage) return;
    this.#used = usage.used;
    this.#max = usage.max;
    if (usage.max <= 0) return;
    const ratio = usage.used / usage.max;
    for (const entry of this.#listeners) {
      if (entry.fired || ratio < entry.threshold) continue;
      entry.fired = true;
      entry.listener({ ...this.snapshot(), threshold: entry.threshold });
    }
  }

  snapshot(): ApiUsageSnapshot {
    const remaining = this.#used === null || this.#max === null ? null : Math.max(0, this.#max - this.#used);
    return { used: this.#used, max: this.#max, remaining, calls: this.#calls };
  }

  /**
   * Registers `listener` for when usage reaches `threshold` (0..1, e.g. 0.8 = 80 % of the daily
   * allocation); it fires once. Returns a function that unregisters it.
   */
  onThreshold(threshold: number, listener: ApiUsageListener): () => void {
    if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold must be within [0, 1], got ${threshold}`);
    const entry = { threshold, listener, fired: false };
    this.#listeners.push(entry);
    return () => {
      const i = this.#listeners.indexOf(entry);
      if (i >= 0) this.#listeners.splice(i, 1);
    };
  }
}
