/**
 * Check `convert`: every file converts from source format to Metadata API format with
 * `@salesforce/source-deploy-retrieve`, the library `sf project deploy` uses, so a file the CLI
 * cannot classify or an object it cannot recompose fails here rather than at deploy time. Every
 * XML file must also be well-formed (SDR copies most of them unparsed).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { XMLValidator } from 'fast-xml-parser';
import type { Finding } from '../findings.js';
import { projectPath, type SfdxProject } from '../project.js';

/** Runs the check; resolves to the findings (empty when every file converts). */
export async function checkConversion(project: SfdxProject): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const file of project.files.filter((f) => f.endsWith('.xml'))) {
    const result = XMLValidator.validate(readFileSync(file, 'utf8'));
    if (result !== true) {
      findings.push({
        check: 'convert',
        file: projectPath(project, file),
        line: result.err.line,
        message: `malformed XML: ${result.err.msg}`,
      });
    }
  }
  if (findings.length > 0) return findings;

  const output = mkdtempSync(join(tmpdir(), 'force-app-convert-'));
  try {
    const components = ComponentSet.fromSource([...project.packageDirectories]);
    if (components.size === 0) {
      return [
        { check: 'convert', file: 'sfdx-project.json', line: 0, message: 'no metadata component found' },
      ];
    }
    await new MetadataConverter().convert(components, 'metadata', {
      type: 'directory',
      outputDirectory: output,
      genUniqueDir: false,
    });
  } catch (error) {
    findings.push(fromSdrError(project, error));
  } finally {
    rmSync(output, { recursive: true, force: true });
  }
  return findings;
}

/** SDR errors name the file in their message; pick it out so the finding points at it. */
function fromSdrError(project: SfdxProject, error: unknown): Finding {
  const message = error instanceof Error ? error.message : String(error);
  const path = /(\/[^\s'"]+)/.exec(message)?.[1];
  const file = path !== undefined && path.startsWith(project.root) ? projectPath(project, path) : 'force-app';
  return { check: 'convert', file, line: 0, message: message.replace(/\s+/g, ' ').trim() };
}
