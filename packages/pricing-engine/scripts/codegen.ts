/**
 * `pnpm codegen`: writes the Salesforce metadata generated from the engine's data (Global Value
 * Sets from the car catalogue) into force-app/. Run it after changing src/catalog.ts and commit
 * the result; test/codegen.test.ts fails until the committed files match.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSalesforceMetadata } from './generate-salesforce.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
try {
  for (const [path, text] of Object.entries(generateSalesforceMetadata())) {
    mkdirSync(dirname(join(repoRoot, path)), { recursive: true });
    writeFileSync(join(repoRoot, path), text);
    console.log(`codegen: wrote ${path}`);
  }
} catch (error) {
  console.error(`codegen: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
