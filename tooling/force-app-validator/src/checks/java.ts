/**
 * The JVM the two Java tools (apex-ls, PMD) run on, and the jar directory shipped inside
 * `@salesforce/code-analyzer-pmd-engine` (apex-ls, PMD 7 and their libraries).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** `java` on PATH answers `-version`; otherwise a sentence saying how to get one. */
export function javaProblem(java = 'java'): string | null {
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    return `no Java runtime (${java} -version failed): install one, e.g. apt-get install openjdk-17-jre-headless (scripts/services.sh ensure does)`;
  }
  return null;
}

/** Directory of the jars bundled with the PMD engine of Salesforce Code Analyzer. */
export function codeAnalyzerJarDirectory(): string {
  const main = require.resolve('@salesforce/code-analyzer-pmd-engine');
  const dir = join(dirname(main), 'java-lib');
  if (!existsSync(dir)) throw new Error(`no java-lib directory next to ${main}`);
  return dir;
}
