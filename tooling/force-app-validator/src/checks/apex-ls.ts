/**
 * Check `apex-ls`: semantic analysis of the Apex against the project's own metadata with
 * apex-ls (`io.github.apexdevtools.apexls.CheckForIssues`): unknown types, methods, fields and
 * variables, missing meta files. It runs on a temporary workspace linking the package
 * directories, with the project's `plugins.dependencies` (namespaces the org has and the project
 * does not, e.g. `HerokuAppLink` from `heroku salesforce:publish`), so code calling them is
 * checked and only references into those namespaces are taken on trust.
 */
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import type { Finding } from '../findings.js';
import { projectPath, type SfdxProject } from '../project.js';
import { codeAnalyzerJarDirectory } from './java.js';

interface ApexLsReport {
  files?: {
    path: string;
    messages: { start: { line: number }; category: string; message: string }[];
  }[];
}

/** Runs apex-ls; every issue it reports (errors and missing references) is a finding. */
export async function checkApexLs(project: SfdxProject, java = 'java'): Promise<Finding[]> {
  const workspace = mkdtempSync(join(tmpdir(), 'force-app-apexls-'));
  try {
    // Map each workspace directory back to the real one for the findings.
    const links = new Map<string, string>();
    const directories = project.packageDirectories;
    directories.forEach((dir, index) => {
      const link = join(workspace, `pkg${index}-${basename(dir)}`);
      symlinkSync(dir, link, 'dir');
      links.set(link, dir);
    });
    // `plugins.dependencies` lists namespaces the org has but the project does not (e.g.
    // HerokuAppLink, created by `heroku salesforce:publish`); apex-ls accepts references into them.
    const { plugins } = JSON.parse(readFileSync(join(project.root, 'sfdx-project.json'), 'utf8')) as {
      plugins?: unknown;
    };
    writeFileSync(
      join(workspace, 'sfdx-project.json'),
      JSON.stringify({
        packageDirectories: [...links.keys()].map((link) => ({ path: relative(workspace, link) })),
        sourceApiVersion: project.sourceApiVersion,
        ...(plugins === undefined ? {} : { plugins }),
      }),
    );
    if (existsSync(join(project.root, '.forceignore'))) {
      copyFileSync(join(project.root, '.forceignore'), join(workspace, '.forceignore'));
    }
    const stdout = await run(java, [
      '-cp',
      `${codeAnalyzerJarDirectory()}/*`,
      'io.github.apexdevtools.apexls.CheckForIssues',
      '-w',
      workspace,
      '-n',
      '-f',
      'json',
      '-d',
      'errors',
    ]);
    const start = stdout.indexOf('{');
    const report = JSON.parse(start < 0 ? '{}' : stdout.slice(start)) as ApexLsReport;
    const findings: Finding[] = [];
    for (const file of report.files ?? []) {
      let path = file.path;
      for (const [link, real] of links) if (path.startsWith(link)) path = real + path.slice(link.length);
      for (const message of file.messages) {
        findings.push({
          check: 'apex-ls',
          file: projectPath(project, path),
          line: message.start.line,
          message: `${message.category}: ${message.message.replace(join(workspace, '/'), '')}`,
        });
      }
    }
    return findings;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      // CheckForIssues exits 4 when it found issues; anything else non-zero is a crash.
      if (code === 0 || code === 4) resolve(stdout);
      else reject(new Error(`apex-ls exited with ${code}: ${stderr.trim().slice(0, 500)}`));
    });
  });
}
