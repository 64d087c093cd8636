/**
 * `pnpm codegen`: writes `src/generated/*.ts` from local-org's schema (standard objects and the
 * repository's force-app metadata). Run it after changing force-app objects; the codegen test
 * fails until the committed files match.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSchema } from '@ecars/local-org';
import { generateAll } from './generate-sobjects.js';

const root = fileURLToPath(new URL('..', import.meta.url));
for (const [path, text] of Object.entries(generateAll(loadSchema().objects()))) {
  writeFileSync(join(root, path), text);
  console.log(`codegen: wrote ${path}`);
}
