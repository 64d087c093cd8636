/**
 * Checks `apex-syntax` and `api-version`: every `.cls`/`.trigger` parses and has its
 * `-meta.xml`; every `-meta.xml` that states an `<apiVersion>` states the project's
 * `sourceApiVersion`, so no component silently runs with older platform behaviour.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ApexFile } from '../apex/apex-sources.js';
import type { Finding } from '../findings.js';
import { projectPath, type SfdxProject } from '../project.js';

/** Syntax errors, missing meta files and top-level names that differ from the file name. */
export function checkApexSyntax(project: SfdxProject, apex: readonly ApexFile[]): Finding[] {
  const findings: Finding[] = [];
  for (const file of apex) {
    const at = projectPath(project, file.path);
    for (const problem of file.unit.syntaxErrors) {
      findings.push({
        check: 'apex-syntax',
        file: at,
        line: problem.line,
        message: `column ${problem.column}: ${problem.message}`,
      });
    }
    if (file.unit.syntaxErrors.length === 0 && file.unit.name.toLowerCase() !== file.fileName.toLowerCase()) {
      findings.push({
        check: 'apex-syntax',
        file: at,
        line: 1,
        message: `declares ${file.unit.name}, but the file is named ${file.fileName}`,
      });
    }
    if (!existsSync(`${file.path}-meta.xml`)) {
      findings.push({
        check: 'apex-syntax',
        file: at,
        line: 0,
        message: `${file.fileName} has no -meta.xml file`,
      });
    }
  }
  return findings;
}

/** Every `-meta.xml` whose `<apiVersion>` differs from `sourceApiVersion`. */
export function checkApiVersions(project: SfdxProject): Finding[] {
  const findings: Finding[] = [];
  const metaFiles = project.files.filter((f) => f.endsWith('-meta.xml'));
  for (const file of metaFiles) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      const version = /<apiVersion>\s*([^<\s]+)\s*<\/apiVersion>/.exec(line)?.[1];
      if (version !== undefined && version !== project.sourceApiVersion) {
        findings.push({
          check: 'api-version',
          file: projectPath(project, file),
          line: index + 1,
          message: `apiVersion ${version} differs from sfdx-project.json's sourceApiVersion ${project.sourceApiVersion}`,
        });
      }
    });
  }
  return findings;
}
