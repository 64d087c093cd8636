/**
 * The project's worker as it is deployed: `src/worker.ts` in its own process (one Heroku worker
 * dyno each), configured through the environment like the Procfile's, on the benchmark's own
 * queue prefix. Separate processes keep the workers' CPU apart from the in-process org's, so the
 * benchmark can tell them apart (`cpuSeconds`, from /proc on Linux). Each also preloads
 * `exit-with-parent.ts`, so no worker outlives the benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const appRoot = new URL('..', import.meta.url).pathname;
const TRACE_FILE = process.env['BENCH_TRACE'];

/** Settings of every worker process (the environment of `src/worker.ts`). */
export interface WorkerSettings {
  redisUrl: string;
  prefix: string;
  /** WORKER_CONCURRENCY: chunk jobs one process runs at once. */
  concurrency: number;
  /** WRITE_CONCURRENCY: composite graph requests in flight per chunk. */
  writeConcurrency: number;
  /** SF_MAX_CONCURRENT_REQUESTS: requests in flight to the org per process. */
  maxConcurrentRequests: number;
  /** SF_ALLOWED_ORIGINS: the local org's origin (jobs naming any other non-Salesforce URL fail). */
  allowedOrigins?: readonly string[];
}

/** Running worker processes. */
export interface WorkerProcesses {
  readonly count: number;
  /** Warnings and errors the workers logged (job failures, client retries), by message. */
  warnings(): Map<string, number>;
  /** CPU seconds (user + system) the processes used so far; null where /proc is unavailable. */
  cpuSeconds(): number | null;
  /** SIGTERM (graceful), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `count` worker processes and resolves once each has logged that its workers are ready. */
export async function startWorkerProcesses(
  count: number,
  settings: WorkerSettings,
  timeoutMs = 60_000,
): Promise<WorkerProcesses> {
  const children: ChildProcess[] = [];
  const warnings = new Map<string, number>();
  const ready: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    // Node with tsx's loader directly (not the tsx launcher) so the pid is the worker itself.
    const child = spawn(
      process.execPath,
      [
        '--conditions=@ecars/source',
        '--import',
        'tsx',
        '--import',
        './bench/exit-with-parent.ts',
        'src/worker.ts',
      ],
      {
        cwd: appRoot,
        env: {
          ...process.env,
          REDIS_URL: settings.redisUrl,
          QUEUE_PREFIX: settings.prefix,
          // BENCH_TRACE=<file>: every request the workers make (pino debug lines) goes to <file>.
          LOG_LEVEL: TRACE_FILE ? 'debug' : 'info',
          WORKER_CONCURRENCY: String(settings.concurrency),
          WRITE_CONCURRENCY: String(settings.writeConcurrency),
          SF_MAX_CONCURRENT_REQUESTS: String(settings.maxConcurrentRequests),
          SF_ALLOWED_ORIGINS: (settings.allowedOrigins ?? []).join(','),
          // Stopping at the end (or on error) should not wait Heroku's 25 s for chunks nobody needs.
          SHUTDOWN_GRACE_MS: '3000',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(child);
    ready.push(
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`worker process ${i + 1} was not ready within ${timeoutMs / 1000} s`)),
          timeoutMs,
        );
        child.once('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`worker process ${i + 1} exited before it was ready (${signal ?? code})`));
        });
        createInterface({ input: child.stdout! }).on('line', (line) => {
          if (TRACE_FILE) appendFileSync(TRACE_FILE, `${line}\n`);
          let entry: { level?: number; msg?: string };
          try {
            entry = JSON.parse(line) as { level?: number; msg?: string };
          } catch {
            return;
          }
          if (entry.msg === 'workers ready') {
            clearTimeout(timer);
            resolve();
          } else if ((entry.level ?? 0) >= 40 && entry.msg) {
            warnings.set(entry.msg, (warnings.get(entry.msg) ?? 0) + 1);
          }
        });
      }),
    );
  }
  const processes: WorkerProcesses = {
    count,
    warnings: () => new Map(warnings),
    cpuSeconds() {
      let total = 0;
      for (const child of children) {
        const seconds = child.pid === undefined ? null : processCpuSeconds(child.pid);
        if (seconds === null) return null;
        total += seconds;
      }
      return total;
    },
    async stop(graceMs = 10_000) {
      await Promise.all(children.map((child) => stopChild(child, graceMs)));
    },
  };
  try {
    await Promise.all(ready);
  } catch (err) {
    await processes.stop(2_000);
    throw err;
  }
  return processes;
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** utime + stime of a live process from /proc/<pid>/stat, in seconds (Linux: 100 ticks per second). */
function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
