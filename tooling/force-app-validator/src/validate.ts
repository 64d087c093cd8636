/**
 * Runs every check over a Salesforce DX project and gathers the findings. The two JVM checks
 * (apex-ls, PMD) start together with the Node checks, so a run costs about the slower JVM.
 */
import { join } from 'node:path';
import { loadSchema } from '@ecars/local-org';
import { parseProjectApex } from './apex/apex-sources.js';
import { checkApexLs } from './checks/apex-ls.js';
import { checkApexSyntax, checkApiVersions } from './checks/apex-source.js';
import { checkApexTests } from './checks/apex-tests.js';
import { checkConversion } from './checks/convert.js';
import { javaProblem } from './checks/java.js';
import { checkPmd } from './checks/pmd.js';
import { checkReferences } from './checks/references.js';
import { CHECK_NAMES, type CheckName, type Finding } from './findings.js';
import { loadProject } from './project.js';

/** Options of {@link validateProject}. */
export interface ValidateOptions {
  /**
   * Checks to run.
   * @defaultValue all of {@link CHECK_NAMES}
   */
  readonly checks?: readonly CheckName[];
  /**
   * Java executable for apex-ls and PMD.
   * @defaultValue `'java'`
   */
  readonly java?: string;
  /** Called when a check starts and ends, for progress output. */
  readonly onProgress?: (check: CheckName, phase: 'start' | 'end', findings?: number) => void;
}

/** Outcome of one check. */
export interface CheckResult {
  readonly name: CheckName;
  readonly findings: readonly Finding[];
  /** Wall-clock milliseconds. */
  readonly durationMs: number;
  /** Extra figures, e.g. PMD's count of minor violations. */
  readonly details?: Readonly<Record<string, number>>;
}

/** Validates the project at `root`; never throws for a finding, only for an unusable project. */
export async function validateProject(root: string, options: ValidateOptions = {}): Promise<CheckResult[]> {
  const project = loadProject(root);
  const selected = new Set(options.checks ?? CHECK_NAMES);
  const apex = parseProjectApex(project);
  const forceAppDir = join(project.packageDirectories[0]!, 'main', 'default');
  const java = options.java ?? 'java';

  const timed = async (
    name: CheckName,
    run: () => Promise<{ findings: Finding[]; details?: Record<string, number> }>,
  ): Promise<CheckResult> => {
    options.onProgress?.(name, 'start');
    const started = performance.now();
    let outcome: { findings: Finding[]; details?: Record<string, number> };
    try {
      outcome = await run();
    } catch (error) {
      // A tool that crashes is a failed check with the reason, not a crashed validation.
      const message = error instanceof Error ? error.message : String(error);
      outcome = {
        findings: [{ check: name, file: 'force-app', line: 0, message: `check failed to run: ${message}` }],
      };
    }
    options.onProgress?.(name, 'end', outcome.findings.length);
    return {
      name,
      findings: outcome.findings,
      durationMs: Math.round(performance.now() - started),
      ...(outcome.details ? { details: outcome.details } : {}),
    };
  };

  const javaMissing = selected.has('apex-ls') || selected.has('pmd') ? javaProblem(java) : null;
  const jvm = (
    name: CheckName,
    run: () => Promise<{ findings: Finding[]; details?: Record<string, number> }>,
  ) =>
    timed(name, async () =>
      javaMissing ? { findings: [{ check: name, file: 'force-app', line: 0, message: javaMissing }] } : run(),
    );

  const runs: Record<CheckName, () => Promise<CheckResult>> = {
    convert: () => timed('convert', async () => ({ findings: await checkConversion(project) })),
    'apex-syntax': () => timed('apex-syntax', async () => ({ findings: checkApexSyntax(project, apex) })),
    'api-version': () => timed('api-version', async () => ({ findings: checkApiVersions(project) })),
    references: () =>
      timed('references', async () => ({
        findings: checkReferences(project, apex, loadSchema({ forceAppDir })),
      })),
    'apex-tests': () => timed('apex-tests', async () => ({ findings: checkApexTests(project, apex) })),
    'apex-ls': () => jvm('apex-ls', async () => ({ findings: await checkApexLs(project, java) })),
    pmd: () =>
      jvm('pmd', async () => {
        const result = await checkPmd(project);
        return { findings: result.findings, details: { minorViolations: result.minor, rules: result.rules } };
      }),
  };
  return Promise.all(CHECK_NAMES.filter((name) => selected.has(name)).map((name) => runs[name]()));
}
