/**
 * `pnpm test`: every check and every test in the repo, then one aggregated line.
 *
 * Runs through turbo with `--continue`, first the checks — each workspace's `typecheck` (tsc, which
 * also checks the `expectTypeOf` assertions), the root scripts' `typecheck:scripts`, each
 * workspace's `lint` (ESLint, then `check-cycles`) — then each workspace's `test` (its own runner,
 * with coverage held to the package's thresholds). Each prints its own output; turbo replays
 * unchanged ones from its cache.
 * Then it reads the JSON reports the runners wrote (`<package>/.test-results/*.json`, Vitest's and
 * Jest's formats share the counters) and prints, alone on the last line,
 * `N passed, N failed[, N skipped]`, with one line above it for each failed check.
 * Exits non-zero when a check or a test failed, when a runner crashed, or when no test ran at all.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The part of turbo's `--summarize` run summary read here. */
interface RunSummary {
  tasks: { taskId: string; task: string; package: string; execution?: { exitCode?: number | null } }[];
}

/** Tasks that are checks rather than test runs: their failures are reported by name. */
const CHECKS = ['typecheck', 'typecheck:scripts', 'lint'];

interface Report {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  numTotalTestSuites?: number;
  numFailedTestSuites?: number;
  numRuntimeErrorTestSuites?: number;
}

const root = new URL('..', import.meta.url).pathname;
const workspaces = [
  ...['apps', 'packages', 'tooling'].flatMap((dir) =>
    existsSync(join(root, dir)) ? readdirSync(join(root, dir)).map((name) => join(root, dir, name)) : [],
  ),
  // The Salesforce DX source is a workspace of its own (LWC jest + offline validation).
  join(root, 'force-app'),
];
const resultDirs = [root, ...workspaces].map((dir) => join(dir, '.test-results'));

// Stale reports from an earlier run must not be counted (turbo restores them on a cache hit).
for (const dir of resultDirs) rmSync(dir, { recursive: true, force: true });

// turbo writes the run summary (each task's exit code) to .turbo/runs/<id>.json: the one that
// appears during a run is that run's.
const summaries = join(root, '.turbo', 'runs');
const listSummaries = () => (existsSync(summaries) ? readdirSync(summaries).filter((f) => f.endsWith('.json')) : []);

/** One line per failed task, naming it: a type error, a lint error, an import cycle or a coverage
 * figure below its threshold fails a task without failing any test. */
const failedTasks: string[] = [];
const problems: string[] = [];

/** Runs `tasks` in every workspace through turbo (extra arguments passed on); how many ran. */
function phase(tasks: string[], extra: string[]): number {
  const before = new Set(listSummaries());
  const turbo = spawnSync('turbo', ['run', ...tasks, '--continue', '--summarize', ...extra, ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    shell: false,
  });
  if (turbo.error) {
    problems.push(`could not start turbo: ${turbo.error.message}`);
    return 0;
  }
  const summaryFile = listSummaries().find((f) => !before.has(f));
  if (!summaryFile) {
    problems.push(`turbo wrote no run summary for ${tasks.join(', ')}, so their results could not be read`);
    return 0;
  }
  const summary = JSON.parse(readFileSync(join(summaries, summaryFile), 'utf8')) as RunSummary;
  rmSync(join(summaries, summaryFile));
  const failedBefore = failedTasks.length;
  for (const task of summary.tasks) {
    const where = task.package === '//' ? 'the root scripts' : task.package;
    const exitCode = task.execution?.exitCode;
    if (exitCode === 0) continue;
    failedTasks.push(
      task.task === 'test'
        ? `the tests of ${where} failed (exit ${exitCode ?? 'none'}: a failing test, coverage below the package's thresholds, or a crash; its output is above)`
        : `${task.task} failed in ${where} (exit ${exitCode ?? 'none'}; its output is above)`,
    );
  }
  if (turbo.status !== 0 && failedTasks.length === failedBefore) problems.push(`turbo exited with ${turbo.status ?? turbo.signal}`);
  return summary.tasks.length;
}

// The checks first, two at a time (one per core: several tsc programs at once only slow each
// other), then the tests: typechecking beside the integration suites would starve their timeouts.
const checksRun = phase(CHECKS, ['--concurrency=2']);
// Tests four packages at a time: more only makes the CPU-bound integration suites (PGlite orgs,
// brokers, worker processes) starve each other past their hook timeouts on a 2-core machine.
phase(['test'], ['--concurrency=4']);

let passed = 0;
let failed = 0;
let skipped = 0;
let brokenSuites = 0;
for (const dir of resultDirs) {
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const report = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Report;
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    brokenSuites += report.numRuntimeErrorTestSuites ?? 0;
  }
}

problems.unshift(...failedTasks);
if (checksRun === 0) problems.push('no check (typecheck, lint) ran');
if (brokenSuites > 0) problems.push(`${brokenSuites} test file(s) failed to load`);
if (passed + failed === 0) problems.push('no test ran');
for (const p of problems) console.error(`pnpm test: ${p}`);

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(problems.length > 0 || failed > 0 ? 1 : 0);
