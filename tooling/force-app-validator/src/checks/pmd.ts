/**
 * Check `pmd`: PMD 7's Apex rules (`Recommended` plus `Security`) through Salesforce Code
 * Analyzer's core and PMD engine. Violations of severity 1 (critical) and 2 (high) are findings;
 * lower severities are counted in the report for information.
 */
import { CodeAnalyzer, CodeAnalyzerConfig } from '@salesforce/code-analyzer-core';
import { createEnginePlugin } from '@salesforce/code-analyzer-pmd-engine';
import type { Finding } from '../findings.js';
import { projectPath, type SfdxProject } from '../project.js';

/** Rules selected, in Code Analyzer's selector syntax. */
export const PMD_SELECTORS = ['pmd:Recommended:Apex', 'pmd:Security:Apex'];

/** Result of the PMD pass. */
export interface PmdResult {
  /** Severity 1-2 violations. */
  readonly findings: Finding[];
  /** Count of severity 3-5 violations (not failures). */
  readonly minor: number;
  /** Rules that ran. */
  readonly rules: number;
}

/** Runs PMD over the project's package directories. */
export async function checkPmd(project: SfdxProject): Promise<PmdResult> {
  const config = CodeAnalyzerConfig.fromObject(
    { config_root: project.root, engines: { cpd: { disable_engine: true } } },
    project.root,
  );
  const analyzer = new CodeAnalyzer(config);
  await analyzer.addEnginePlugin(createEnginePlugin());
  const workspace = await analyzer.createWorkspace([...project.packageDirectories]);
  const selection = await analyzer.selectRules(PMD_SELECTORS, { workspace });
  const results = await analyzer.run(selection, { workspace });
  const findings: Finding[] = [];
  let minor = 0;
  for (const violation of results.getViolations()) {
    const rule = violation.getRule();
    const location = violation.getPrimaryLocation();
    if (rule.getSeverityLevel() > 2) {
      minor++;
      continue;
    }
    const file = location.getFile();
    findings.push({
      check: 'pmd',
      file: file ? projectPath(project, file) : 'force-app',
      line: location.getStartLine() ?? 0,
      message: `${rule.getName()} (severity ${rule.getSeverityLevel()}): ${violation.getMessage()}`,
    });
  }
  return { findings, minor, rules: selection.getCount() };
}
