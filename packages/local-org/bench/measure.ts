/**
 * Timing helpers of the local-org benchmark: warm-up then timed runs, best and median, and the
 * formatting of the human-readable lines. Best run counts (the machine is shared, and noise only
 * ever adds time); medians are printed beside it so a noisy run is visible.
 */

/** Seconds and work items of the timed runs of one measurement. */
export interface Measurement {
  /** Items one run handles (records, nodes…). */
  items: number;
  /** Duration of each timed run, seconds. */
  seconds: number[];
  best: number;
  median: number;
  /** CPU time (user + system, whole process) of the best run, seconds. */
  bestCpu: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** One thing to time. */
export interface Case {
  name: string;
  /** What an item is, for the printed rate (`records`, `nodes`). */
  unit: string;
  /** Untimed runs first (JIT, PGlite's caches, connection pool). */
  warmups: number;
  /**
   * One run; resolves to the number of items it handled. `k` counts this case's calls from 0, so a
   * run can pick fresh records. Every timed run must handle the same number of items, or the
   * figures would compare different work.
   */
  run: (k: number) => Promise<number>;
}

/**
 * Times `cases` `runs` times each, interleaved (A B A B …, after each case's warm-ups), so that a
 * figure and its baseline see the same machine: on a shared box a burst of other work then slows
 * both rather than only one side of a ratio. Prints one line per case.
 */
export async function measureInterleaved(runs: number, cases: Case[]): Promise<Measurement[]> {
  const calls = cases.map(() => 0);
  for (const [c, x] of cases.entries()) for (let i = 0; i < x.warmups; i++) await x.run(calls[c]!++);
  const seconds = cases.map((): number[] => []);
  const cpu = cases.map((): number[] => []);
  const items = cases.map(() => -1);
  for (let i = 0; i < runs; i++) {
    for (const [c, x] of cases.entries()) {
      const start = performance.now();
      const usage = process.cpuUsage();
      const n = await x.run(calls[c]!++);
      seconds[c]!.push((performance.now() - start) / 1000);
      const used = process.cpuUsage(usage);
      cpu[c]!.push((used.user + used.system) / 1e6);
      if (items[c] !== -1 && n !== items[c]) throw new Error(`${x.name}: run ${i} handled ${n} items, run 0 handled ${items[c]}`);
      items[c] = n;
    }
  }
  return cases.map((x, c) => {
    const s = seconds[c]!;
    const best = Math.min(...s);
    const m: Measurement = { items: items[c]!, seconds: s, best, median: median(s), bestCpu: cpu[c]![s.indexOf(best)] ?? 0 };
    // CPU beside wall time: well under 100% means the run waited (for the other core's work, or
    // for a machine busy with something else); over 100% means both cores worked (GC, PGlite's
    // and the client's share of the process).
    console.log(
      `  ${x.name.padEnd(58)} ${rate(m.items / m.best, x.unit)}  (median ${rate(m.items / m.median, x.unit)}; ` +
        `${m.items.toLocaleString('en-US')} per run, best ${ms(m.best)}, CPU ${((100 * m.bestCpu) / m.best).toFixed(0)}%)`,
    );
    return m;
  });
}

/** Times one case: {@link measureInterleaved} with nothing to interleave. */
export async function measure(
  name: string,
  opts: { warmups: number; runs: number; unit: string },
  run: (k: number) => Promise<number>,
): Promise<Measurement> {
  const [m] = await measureInterleaved(opts.runs, [{ name, unit: opts.unit, warmups: opts.warmups, run }]);
  return m!;
}

/** Items per second of the best run. */
export const perSecond = (m: Measurement): number => m.items / m.best;

export const ms = (seconds: number): string => `${(seconds * 1000).toFixed(0)} ms`;

export const rate = (perSec: number, unit: string): string =>
  `${Math.round(perSec).toLocaleString('en-US').padStart(7)} ${unit}/s`;

/** Runs `tasks` with at most `concurrency` in flight; resolves to their results in order. */
export async function runConcurrently<T>(tasks: (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return results;
}
