/**
 * The validation's report in Jest's JSON result shape (one "test" per check), so the root
 * `pnpm test` summary counts each check as passed or failed like any other test.
 */
import { formatFinding } from './findings.js';
import type { CheckResult } from './validate.js';

/** Jest-compatible aggregate result, plus the findings. */
export interface ValidationReport {
  readonly success: boolean;
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numPendingTests: 0;
  readonly numTotalTests: number;
  readonly numTotalTestSuites: 1;
  readonly numFailedTestSuites: 0 | 1;
  readonly numRuntimeErrorTestSuites: 0;
  readonly testResults: readonly {
    readonly name: string;
    readonly status: 'passed' | 'failed';
    readonly assertionResults: readonly {
      readonly title: string;
      readonly status: 'passed' | 'failed';
      readonly duration: number;
      readonly failureMessages: readonly string[];
    }[];
  }[];
}

/** Builds the report from the check results. */
export function buildReport(results: readonly CheckResult[]): ValidationReport {
  const failed = results.filter((r) => r.findings.length > 0).length;
  return {
    success: failed === 0,
    numPassedTests: results.length - failed,
    numFailedTests: failed,
    numPendingTests: 0,
    numTotalTests: results.length,
    numTotalTestSuites: 1,
    numFailedTestSuites: failed > 0 ? 1 : 0,
    numRuntimeErrorTestSuites: 0,
    testResults: [
      {
        name: 'force-app offline validation',
        status: failed > 0 ? 'failed' : 'passed',
        assertionResults: results.map((r) => ({
          title: r.name,
          status: r.findings.length > 0 ? 'failed' : 'passed',
          duration: r.durationMs,
          failureMessages: r.findings.map(formatFinding),
        })),
      },
    ],
  };
}
