// Shared Vitest preset. Every package's vitest.config.ts is `export default defineProject(preset())`
// (or merges its own options on top).
//
// - Workspace packages are resolved to their TypeScript sources through the `@ecars/source`
//   export condition, so tests never need a build first.
// - Besides the console reporter, each run writes .test-results/vitest.json; the root
//   `pnpm test` (scripts/test.ts) sums those files into the one "N passed, N failed" line.
// - Coverage (V8) is measured when the run asks for it: each package's `test` script says
//   `vitest run --coverage`, so `pnpm test` holds every package to the `coverage.thresholds` in
//   its vitest.config.ts, while a targeted `vitest run test/one.test.ts` stays fast and is not
//   failed by a partial figure.
import { defineConfig, mergeConfig } from 'vitest/config';

// Vite's own defaults plus ours first (the defaults must stay: dropping them changes how CJS
// packages such as pg resolve their dependencies).
const serverConditions = ['@ecars/source', 'module', 'node', 'development|production'];
const clientConditions = ['@ecars/source', 'module', 'browser', 'development|production'];

/** @param {import('vitest/config').UserConfig} [overrides] */
export function preset(overrides = {}) {
  return mergeConfig(
    defineConfig({
      resolve: { conditions: clientConditions },
      ssr: { resolve: { conditions: serverConditions } },
      test: {
        include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
        reporters: ['default', 'json'],
        outputFile: { json: '.test-results/vitest.json' },
        testTimeout: 30_000,
        hookTimeout: 120_000,
        coverage: {
          provider: 'v8',
          // The shipped code only: tests, benches and scripts are not what the figure is about.
          include: ['src/**/*.ts'],
          exclude: ['src/**/*.test.ts', 'src/**/*.d.ts'],
          // Not inside .test-results/: scripts/test.ts reads every JSON file there as a test report.
          reportsDirectory: 'coverage',
          reporter: ['text-summary', 'json-summary'],
        },
      },
    }),
    overrides,
  );
}
