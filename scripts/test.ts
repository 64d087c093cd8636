/**
 * `pnpm test`: every test in the repo, then one aggregated line.
 *
 * Runs `turbo run test --continue` (each package's own runner prints its own output), then reads
 * the JSON reports the runners wrote (`<package>/.test-results/*.json`, Vitest's and Jest's formats
 * share the counters) and prints, alone on the last line, `N passed, N failed[, N skipped]`.
 * Exits non-zero when anything failed, when a runner crashed, or when no test ran at all.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

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

const args = ['run', 'test', '--continue', ...process.argv.slice(2)];
const turbo = spawnSync('turbo', args, { cwd: root, stdio: 'inherit', shell: false });

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

const problems: string[] = [];
if (turbo.error) problems.push(`could not start turbo: ${turbo.error.message}`);
else if (turbo.status !== 0) problems.push(`turbo exited with ${turbo.status ?? turbo.signal}`);
if (brokenSuites > 0) problems.push(`${brokenSuites} test file(s) failed to load`);
if (passed + failed === 0) problems.push('no test ran');
for (const p of problems) console.error(`pnpm test: ${p}`);

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(problems.length > 0 || failed > 0 ? 1 : 0);
