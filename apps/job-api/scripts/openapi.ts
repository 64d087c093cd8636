/**
 * Writes `api-docs.yaml` (the document `heroku salesforce:publish` imports) from the route
 * schemas. `--check` exits 1 when the committed file is stale instead of writing it.
 *
 *   pnpm --filter @ecars/job-api openapi [--check]
 *
 * Environment: APPLINK_CONNECTED_APP_NAME, APPLINK_PERMISSION_SET_NAME (names given to
 * `heroku salesforce:publish --authorization-connected-app-name / --authorization-permission-set-name`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderApiDocs } from '../src/api-docs.js';

const target = new URL('../api-docs.yaml', import.meta.url);
const yaml = await renderApiDocs({
  connectedApp: process.env['APPLINK_CONNECTED_APP_NAME'] ?? 'GenerateQuoteJobConnectedApp',
  permissionSet: process.env['APPLINK_PERMISSION_SET_NAME'] ?? 'GenerateQuoteJobPermissions',
});
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== yaml) {
    process.stderr.write('api-docs.yaml is stale: run `pnpm --filter @ecars/job-api openapi` and commit it\n');
    process.exit(1);
  }
  process.stdout.write('api-docs.yaml is current\n');
} else {
  writeFileSync(target, yaml);
  process.stdout.write(`wrote ${target.pathname}\n`);
}
