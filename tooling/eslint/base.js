// Shared flat ESLint config for every TypeScript package and app (each package's eslint.config.js
// re-exports it, so the file globs below are relative to the package being linted).
//
// It turns three rules of STYLE.md into checks:
// - `process.env` is read only in a config module (`src/config.ts`, or `src/<dir>/config.ts`);
// - every test asserts something, with a matcher;
// - no import cycles, counting type-only imports: ESLint cannot see those (`import/no-cycle`
//   skips `import type`), so the package's `lint` script also runs `check-cycles` (./cycles.js).
import vitest from '@vitest/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Shipped code of an app or package: the only place the environment rule applies. */
const SOURCE = ['src/**/*.ts'];
/**
 * The one door to the environment in each app/package. Tests, benches and scripts (`test/`,
 * `bench/`, `scripts/`) are deliberately out of the rule's scope: they are harnesses that set up or
 * read the environment of the process they start, not code that ships.
 */
const CONFIG_MODULES = ['src/config.ts', 'src/**/config.ts'];
const TESTS = ['test/**/*.ts', 'src/**/*.test.ts'];

const ENV_MESSAGE = 'Read the environment only in the config module (src/config.ts): validate it there and pass values in.';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.test-results/**', '**/coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-unused-expressions': 'off',
      '@typescript-eslint/no-unused-expressions': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: SOURCE,
    ignores: CONFIG_MODULES,
    rules: {
      // Catches `process.env.X`, `process.env['X']` and `const { env } = process`.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: ENV_MESSAGE }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:process', importNames: ['env'], message: ENV_MESSAGE },
            { name: 'process', importNames: ['env'], message: ENV_MESSAGE },
          ],
        },
      ],
    },
  },
  {
    files: TESTS,
    plugins: { vitest },
    rules: {
      // A test without an assertion passes whatever the code does. Calls of `expect…`/`assert…`
      // count (so a helper such as `expectUsageError` must assert, as its name says); `expectTypeOf`
      // is checked by `tsc`, which `pnpm test` runs too (typecheck).
      'vitest/expect-expect': ['error', { assertFunctionNames: ['expect*', 'assert*'] }],
      // A bare `expect(x)` (no matcher) asserts nothing, and an unawaited `.resolves`/`.rejects`
      // is never checked. Vitest's `expect(value, message)` takes a second argument.
      'vitest/valid-expect': ['error', { alwaysAwait: true, maxArgs: 2 }],
    },
  },
);
