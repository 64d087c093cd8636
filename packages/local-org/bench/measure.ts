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

/**
 * Runs `run(k)` `warmups` times untimed, then `runs` times timed (k counts every call from 0, so a
 * run can pick fresh records). `run` resolves to the number of items it handled; every run must
 * handle the same number, or the figures would compare different work.
 */
export async function measure(
  name: string,
  opts: { warmups: number; runs: number; unit: string },
  run: (k: number) => Promise<number>,
): Promise<Measurement> {
  let k = 0;
  for (let i = 0; i < opts.warmups; i++) await run(k++);
  const seconds: number[] = [];
  const cpu: number[] = [];
  let items = -1;
  for (let i = 0; i < opts.runs; i++) {
    const start = performance.now();
    const usage = process.cpuUsage();
    const n = await run(k++);
    seconds.push((performance.now() - start) / 1000);
    const used = process.cpuUsage(usage);
    cpu.push((used.user + used.system) / 1e6);
    if (items !== -1 && n !== items) throw new Error(`${name}: run ${i} handled ${n} items, run 0 handled ${items}`);
    items = n;
  }
  const best = Math.min(...seconds);
  const m: Measurement = { items, seconds, best, median: median(seconds), bestCpu: cpu[seconds.indexOf(best)] ?? 0 };
  // CPU beside wall time: well under 100% means the run waited (for the other core's work, or for
  // a machine busy with something else); well over means both cores worked (GC, PGlite, client).
  console.log(
    `  ${name.padEnd(58)} ${rate(m.items / m.best, opts.unit)}  (median ${rate(m.items / m.median, opts.unit)}; ` +
      `${m.items.toLocaleString('en-US')} per run, best ${ms(m.best)}, CPU ${((100 * m.bestCpu) / m.best).toFixed(0)}%)`,
  );
  return m;
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
