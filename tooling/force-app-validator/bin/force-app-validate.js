#!/usr/bin/env node
// Runs the TypeScript CLI from its sources through tsx, resolving workspace packages to their
// sources too (the `@ecars/source` export condition), so nothing has to be built first.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const result = spawnSync(
  process.execPath,
  ['--conditions=@ecars/source', '--import', 'tsx', entry, ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: process.cwd() },
);
process.exitCode = result.status ?? 1;
