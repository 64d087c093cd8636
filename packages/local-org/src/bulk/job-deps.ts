/** What the ingest and query job services share (built once by `BulkService`). */
import type { OrgRuntime } from '../org-runtime.js';
import type { ResolvedBulkOptions } from './bulk-options.js';
import type { BulkStorage } from './bulk-storage.js';
import type { BulkUsage } from './bulk-usage.js';
import type { JobRegistry } from './job-registry.js';

export interface JobDeps {
  org: OrgRuntime;
  options: ResolvedBulkOptions;
  registry: JobRegistry;
  storage: BulkStorage;
  usage: BulkUsage;
  /** The injected clock in ms. */
  now: () => number;
  /** Hears unexpected failures of background processing. */
  logError: (err: unknown, msg: string) => void;
}

/** A request body property that must be one of `allowed` when present; `fallback` when absent. */
export function enumProperty<T extends string>(
  body: Record<string, unknown>,
  property: string,
  allowed: readonly T[],
  fallback: T,
  invalid: (property: string, value: unknown) => Error,
): T {
  const value = body[property];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw invalid(property, value);
  return value as T;
}
