/** Options of latency and fault injection, their defaults and their validation. */

/**
 * What can go wrong with an API call:
 * - `503`: 503 `SERVER_UNAVAILABLE`, handler not run;
 * - `REQUEST_LIMIT_EXCEEDED`: 403 (`ConcurrentPerOrgLongTxn Limit exceeded.`), handler not run;
 * - `UNABLE_TO_LOCK_ROW`: 400 row lock contention, handler not run;
 * - `reset`: the connection is destroyed before the handler runs (nothing applied);
 * - `applied-reset`: the handler runs and commits, then the connection is destroyed instead of
 *   answering — "applied but response lost", the case idempotent retries exist for.
 */
export type FaultKind = '503' | 'REQUEST_LIMIT_EXCEEDED' | 'UNABLE_TO_LOCK_ROW' | 'reset' | 'applied-reset';

export const FAULT_KINDS: readonly FaultKind[] = ['503', 'REQUEST_LIMIT_EXCEEDED', 'UNABLE_TO_LOCK_ROW', 'reset', 'applied-reset'];

/** Requests a rule makes eligible: `path` is a prefix (string) or a pattern (RegExp) of the path without query. */
export interface FaultPathRule {
  /** Upper-case HTTP method(s); any method when absent. */
  method?: string | readonly string[];
  path: string | RegExp;
}

/** REST API calls under `/services/data/vXX.X/`, except `GET /limits` (clients poll it to back off). */
export const DEFAULT_FAULT_PATHS: readonly FaultPathRule[] = [{ path: /^\/services\/data\/v\d+\.\d+\/(?!limits\/?$)/ }];

export interface FaultOptions {
  /**
   * Fixed latency added to every eligible API call before its response is sent, in milliseconds.
   * @defaultValue 0
   */
  latencyMs?: number;
  /**
   * Extra latency per record the call wrote (`request.recordsWritten`, set by write handlers), in
   * milliseconds; models the per-record cost of DML on a real org.
   * @defaultValue 0
   */
  latencyPerRecordMs?: number;
  /**
   * Uniform random jitter of ±jitterMs added to the latency (never below 0 in total), drawn from its
   * own seeded stream so that turning jitter on does not change which calls fault.
   * @defaultValue 0
   */
  jitterMs?: number;
  /**
   * Probability in [0, 1] that an eligible call faults.
   * @defaultValue 0
   */
  faultRate?: number;
  /**
   * The kinds a faulting call picks from, uniformly.
   * @defaultValue FAULT_KINDS (all five)
   */
  faults?: readonly FaultKind[];
  /**
   * Seed of the deterministic random streams; the same seed and request order give the same faults.
   * @defaultValue a random seed (readable as `injector.seed`)
   */
  seed?: number;
  /**
   * Which calls are eligible for faults and latency.
   * @defaultValue DEFAULT_FAULT_PATHS (every REST API call except `/limits`)
   */
  faultPaths?: readonly FaultPathRule[];
}

/** Options with every default filled in. */
export type ResolvedFaultOptions = Required<FaultOptions>;

/** Merges `changes` over `base` and checks the result; throws RangeError/TypeError on a bad option. */
export function resolveFaultOptions(base: ResolvedFaultOptions, changes: FaultOptions): ResolvedFaultOptions {
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as FaultOptions;
  const next: ResolvedFaultOptions = { ...base, ...defined };
  for (const key of ['latencyMs', 'latencyPerRecordMs', 'jitterMs'] as const) {
    if (!(Number.isFinite(next[key]) && next[key] >= 0)) throw new RangeError(`${key} must be a number >= 0, got ${next[key]}`);
  }
  if (!(next.faultRate >= 0 && next.faultRate <= 1)) throw new RangeError(`faultRate must be within [0, 1], got ${next.faultRate}`);
  if (next.faults.length === 0 || next.faults.some((kind) => !FAULT_KINDS.includes(kind))) {
    throw new TypeError(`faults must be a non-empty list of ${FAULT_KINDS.join(', ')}; got ${JSON.stringify(next.faults)}`);
  }
  if (!Number.isInteger(next.seed)) throw new TypeError(`seed must be an integer, got ${next.seed}`);
  return next;
}
