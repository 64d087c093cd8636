/**
 * Decides, per eligible API call, whether it faults and how, and how much latency it gets; keeps
 * the counters behind `stats()`. Framework-free, so the decisions can be tested and replayed without
 * HTTP; `faultsPlugin` applies them.
 */
import { randomInt } from 'node:crypto';
import { DEFAULT_FAULT_PATHS, FAULT_KINDS, resolveFaultOptions } from './fault-options.js';
import type { FaultKind, FaultOptions, FaultPathRule, ResolvedFaultOptions } from './fault-options.js';
import { SeededRandom } from './seeded-random.js';

export interface FaultStats {
  /** Eligible calls decided on. */
  requests: number;
  /** Faults injected, by kind (every kind present, 0 when none). */
  faultsInjected: Record<FaultKind, number>;
  /** Total latency added, in milliseconds. */
  latencyAddedMs: number;
}

/** Decorrelates the jitter stream from the fault stream of the same seed. */
const JITTER_STREAM = 0x9e3779b9;

/**
 * @example
 * const injector = new FaultInjector({ seed: 42, faultRate: 0.1, faults: ['503'] });
 * if (injector.isEligible('POST', '/services/data/v64.0/composite/graph')) injector.decide();
 * injector.stats().faultsInjected['503'];
 */
export class FaultInjector {
  private options: ResolvedFaultOptions;
  private faultStream!: SeededRandom;
  private jitterStream!: SeededRandom;
  private counters!: FaultStats;

  constructor(options: FaultOptions = {}) {
    const defaults: ResolvedFaultOptions = {
      latencyMs: 0,
      latencyPerRecordMs: 0,
      jitterMs: 0,
      faultRate: 0,
      faults: FAULT_KINDS,
      seed: randomInt(2 ** 31),
      faultPaths: DEFAULT_FAULT_PATHS,
    };
    this.options = resolveFaultOptions(defaults, options);
    this.reset();
  }

  /** The seed in use, to replay a run that used a random one. */
  get seed(): number {
    return this.options.seed;
  }

  /** The options in force, defaults included. */
  get current(): Readonly<ResolvedFaultOptions> {
    return this.options;
  }

  /**
   * Changes options at run time (tests turn faults on and off). A new `seed` restarts the random
   * streams; other changes keep them where they are. Counters are kept.
   */
  setOptions(changes: FaultOptions): void {
    this.options = resolveFaultOptions(this.options, changes);
    if (changes.seed !== undefined) this.seedStreams();
  }

  /** Zeroes the counters and restarts the random streams from the seed, so a run replays exactly. */
  reset(): void {
    this.seedStreams();
    this.counters = { requests: 0, faultsInjected: zeroCounts(), latencyAddedMs: 0 };
  }

  stats(): FaultStats {
    return { ...this.counters, faultsInjected: { ...this.counters.faultsInjected } };
  }

  /** True when a call with this method and URL (query ignored) may fault and gets latency. */
  isEligible(method: string, url: string): boolean {
    const path = url.split('?', 1)[0] ?? '';
    return this.options.faultPaths.some((rule) => matches(rule, method.toUpperCase(), path));
  }

  /** Decides once for an eligible call: the fault to inject, or null. Draws from the fault stream. */
  decide(): FaultKind | null {
    this.counters.requests += 1;
    const { faultRate, faults } = this.options;
    if (faultRate === 0 || this.faultStream.next() >= faultRate) return null;
    const kind = faults[Math.floor(this.faultStream.next() * faults.length)] ?? faults[0];
    if (kind === undefined) return null;
    this.counters.faultsInjected[kind] += 1;
    return kind;
  }

  /**
   * The latency of a call that wrote `recordsWritten` records: latencyMs + latencyPerRecordMs × n,
   * ± jitter, not below 0. Counted in `latencyAddedMs`.
   */
  latencyFor(recordsWritten: number): number {
    const { latencyMs, latencyPerRecordMs, jitterMs } = this.options;
    const jitter = jitterMs === 0 ? 0 : (this.jitterStream.next() * 2 - 1) * jitterMs;
    const delay = Math.max(0, latencyMs + latencyPerRecordMs * recordsWritten + jitter);
    this.counters.latencyAddedMs += delay;
    return delay;
  }

  private seedStreams(): void {
    this.faultStream = new SeededRandom(this.options.seed);
    this.jitterStream = new SeededRandom(this.options.seed ^ JITTER_STREAM);
  }
}

function matches(rule: FaultPathRule, method: string, path: string): boolean {
  if (rule.method !== undefined) {
    const methods = typeof rule.method === 'string' ? [rule.method] : rule.method;
    if (!methods.some((m) => m.toUpperCase() === method)) return false;
  }
  return typeof rule.path === 'string' ? path.startsWith(rule.path) : rule.path.test(path);
}

function zeroCounts(): Record<FaultKind, number> {
  return Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
}
