/**
 * `force-app-validate [--project DIR] [--report FILE] [--check NAME]...`: validates a Salesforce
 * DX project offline, prints each finding as `file:line: [check] message`, writes a Jest-style
 * JSON report, exits 1 when anything was found.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CHECK_NAMES, formatFinding, type CheckName } from './findings.js';
import { buildReport } from './report.js';
import { validateProject } from './validate.js';

const HELP = `Usage: force-app-validate [options]

Validates a Salesforce DX project without an org: metadata conversion (source-deploy-retrieve),
Apex syntax and -meta.xml API versions, cross-references (SOQL, LWC imports, Flows, permission
sets), Apex test assertions, apex-ls semantic check and PMD Apex rules (both need Java 11+).

Options:
  --project DIR   directory holding sfdx-project.json (default: current directory)
  --report FILE   also write a Jest-style JSON report to FILE
  --check NAME    run only this check (repeatable): ${CHECK_NAMES.join(', ')}
  --help          show this help
`;

export async function main(argv: string[]): Promise<number> {
  let values: { project?: string; report?: string; check?: string[]; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        project: { type: 'string' },
        report: { type: 'string' },
        check: { type: 'string', multiple: true },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    console.error(`force-app-validate: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const unknown = (values.check ?? []).filter((c) => !(CHECK_NAMES as readonly string[]).includes(c));
  if (unknown.length > 0) {
    console.error(
      `force-app-validate: unknown check ${unknown.join(', ')} (expected ${CHECK_NAMES.join(', ')})`,
    );
    return 2;
  }
  const root = resolve(values.project ?? '.');
  const started = performance.now();
  let results;
  try {
    results = await validateProject(root, {
      ...(values.check ? { checks: values.check as CheckName[] } : {}),
      onProgress: (check, phase, findings) => {
        if (phase === 'end')
          console.log(`${findings ? '✗' : '✓'} ${check}${findings ? ` (${findings})` : ''}`);
      },
    });
  } catch (error) {
    console.error(`force-app-validate: ${(error as Error).message}`);
    return 2;
  }
  const findings = results.flatMap((r) => r.findings);
  for (const finding of findings) console.log(formatFinding(finding));
  const pmd = results.find((r) => r.name === 'pmd')?.details;
  console.log(
    `force-app-validate: ${results.length} checks, ${findings.length} finding(s)` +
      (pmd ? `, ${pmd.minorViolations} PMD violation(s) of severity 3-5 (not failures)` : '') +
      ` in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  if (values.report) {
    const report = resolve(values.report);
    mkdirSync(dirname(report), { recursive: true });
    writeFileSync(report, `${JSON.stringify(buildReport(results), null, 2)}\n`);
  }
  return findings.length > 0 ? 1 : 0;
}
