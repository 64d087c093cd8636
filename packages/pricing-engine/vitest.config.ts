import { preset } from '@ecars/vitest-config';

export default preset({
  test: {
    coverage: {
      // Today's figures (statements 94.5%, branches 91.78%, functions 97.53%, lines 94.94%), floored:
      // `pnpm test` fails when coverage falls below them. Raise them as tests are added.
      thresholds: { statements: 94, branches: 91, functions: 97, lines: 94 },
    },
  },
});
