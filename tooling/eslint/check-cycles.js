#!/usr/bin/env node
/**
 * `check-cycles [dir ...]`: fails when the package in the working directory has an import cycle.
 *
 * Run by every package's `lint` script after ESLint. Type-only imports count (`import type` and
 * `export type … from`): ESLint's `import/no-cycle` skips them, yet a cycle through types still ties
 * two modules together — neither can be understood, moved or split without the other.
 *
 * Looks in `src`, `test`, `bench` and `scripts` (those that exist) unless told the folders.
 * Exits 0 when clean, 1 on a cycle (each printed as `a.ts -> b.ts -> a.ts`), 2 on a usage error.
 */
import { existsSync, readFileSync } from 'node:fs';
import madge from 'madge';

/**
 * Cycles tolerated for now, per package, each as the files madge reports in order. Each entry
 * must say why and when it goes; an entry whose cycle is gone fails the check too, so that it is
 * removed with the cycle.
 */
const KNOWN_CYCLES = {};

const HELP = `check-cycles — fail on import cycles (type-only imports included) in this package

Usage: check-cycles [dir ...]      folders to scan [default: those of src, test, bench, scripts]
`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(HELP);
  process.exit(0);
}
const unknown = args.find((a) => a.startsWith('-'));
if (unknown) {
  process.stderr.write(`check-cycles: unknown option '${unknown}'\n${HELP}`);
  process.exit(2);
}
const dirs = args.length > 0 ? args : ['src', 'test', 'bench', 'scripts'].filter((d) => existsSync(d));
const missing = dirs.find((d) => !existsSync(d));
if (missing) {
  process.stderr.write(`check-cycles: no folder '${missing}' in ${process.cwd()}\n`);
  process.exit(2);
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')).name ?? process.cwd();
const result = await madge(dirs, {
  fileExtensions: ['ts'],
  tsConfig: existsSync('tsconfig.json') ? 'tsconfig.json' : undefined,
  detectiveOptions: { ts: { skipTypeImports: false, skipAsyncImports: false } },
});

const key = (cycle) => cycle.join(' -> ');
const known = new Set((KNOWN_CYCLES[pkg] ?? []).map(key));
const found = result.circular();
const fresh = found.filter((c) => !known.has(key(c)));
const stale = [...known].filter((k) => !found.some((c) => key(c) === k));

for (const cycle of fresh) process.stderr.write(`  ${key([...cycle, cycle[0]])}\n`);
if (fresh.length > 0) {
  process.stderr.write(`check-cycles: ${fresh.length} import cycle(s) in ${pkg} (type-only imports count); break each by moving the shared part into its own module\n`);
}
for (const k of stale) {
  process.stderr.write(`check-cycles: the known cycle '${k}' of ${pkg} is gone: remove it from KNOWN_CYCLES in tooling/eslint/check-cycles.js\n`);
}
// Other packages (`@ecars/…`, npm) are outside this package's graph; an unresolved relative import
// is a file the scan could not see, so a cycle through it would be missed: say so.
const skipped = result.warnings().skipped.filter((s) => s.startsWith('.'));
if (skipped.length > 0) process.stderr.write(`check-cycles: could not resolve ${skipped.join(', ')}\n`);
if (fresh.length > 0 || stale.length > 0) process.exit(1);
process.stdout.write(`check-cycles: no import cycle in ${pkg} (${Object.keys(result.obj()).length} modules${known.size ? `, ${known.size} known cycle(s) tolerated` : ''})\n`);
