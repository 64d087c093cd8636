/** Small measurement helpers of the batch-job benchmark: org counters, CPU, formatting. */
import type { LocalOrg } from '@ecars/local-org';

/** The org's counters that matter here (from `org.stats()`). */
export interface OrgCounters {
  apiCalls: number;
  byEndpoint: Record<string, number>;
  latencyAddedMs: number;
}

export function orgCounters(org: LocalOrg): OrgCounters {
  const stats = org.stats() as {
    api?: { used?: number; byEndpoint?: Record<string, number> };
    faults?: { latencyAddedMs?: number };
  };
  return {
    apiCalls: stats.api?.used ?? 0,
    byEndpoint: { ...(stats.api?.byEndpoint ?? {}) },
    latencyAddedMs: stats.faults?.latencyAddedMs ?? 0,
  };
}

/** `after − before`, per endpoint too (endpoints with no calls left out). */
export function counterDelta(before: OrgCounters, after: OrgCounters): OrgCounters {
  const byEndpoint: Record<string, number> = {};
  for (const [endpoint, n] of Object.entries(after.byEndpoint)) {
    const d = n - (before.byEndpoint[endpoint] ?? 0);
    if (d > 0) byEndpoint[endpoint] = d;
  }
  return {
    apiCalls: after.apiCalls - before.apiCalls,
    byEndpoint,
    latencyAddedMs: after.latencyAddedMs - before.latencyAddedMs,
  };
}

/** CPU seconds (user + system) this process has used. */
export function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const sec = (seconds: number): string => `${seconds.toFixed(2)} s`;
export const int = (n: number): string => n.toLocaleString('en-US');
export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** `GET /query: 11, POST /composite/graph: 70` */
export function endpoints(byEndpoint: Record<string, number>): string {
  return Object.entries(byEndpoint)
    .sort((a, b) => b[1] - a[1])
    .map(([endpoint, n]) => `${endpoint} ${n}`)
    .join(', ');
}
