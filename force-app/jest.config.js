// LWC unit tests. Run from the repository root (sfdx-lwc-jest reads sfdx-project.json from the
// working directory): `cd .. && jest --config force-app/jest.config.js`, which `pnpm test` does.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

export default {
  ...jestConfig,
  roots: ['<rootDir>/force-app'],
  // lightning/* modules whose behaviour tests drive are mapped here, once, to force-app/test/jest-mocks.
  moduleNameMapper: {
    '^lightning/empApi$': '<rootDir>/force-app/test/jest-mocks/lightning/empApi',
  },
  setupFilesAfterEnv: [
    ...(jestConfig.setupFilesAfterEnv ?? []),
    '<rootDir>/force-app/test/jest-sa11y-setup.js',
  ],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/force-app/test/'],
  collectCoverage: true,
  coverageDirectory: '<rootDir>/force-app/coverage',
  coverageReporters: ['text-summary', 'json-summary'],
  coverageThreshold: { global: { lines: 90 } },
  reporters: ['default'],
  testTimeout: 10000,
};
