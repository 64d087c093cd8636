/**
 * Rewrites the reference images of the visual test and the README's sample quote picture from the
 * current templates. Run after an intended change to the layout or the theme, look at the images,
 * and commit them:  pnpm --filter @ecars/documents references
 */
import { writeFile } from 'node:fs/promises';
import { renderDocument } from '../src/index.js';
import { firstPagePng } from '../test/helpers/poppler.js';
import { REFERENCE_DPI, SAMPLES, referencePath } from '../test/helpers/samples.js';

for (const [name, input] of Object.entries(SAMPLES)) {
  const pdf = await renderDocument(input);
  await writeFile(referencePath(name), await firstPagePng(pdf, REFERENCE_DPI));
  console.log(`wrote ${referencePath(name).pathname}`);
}
const readme = new URL('../docs/sample-quote.png', import.meta.url);
await writeFile(readme, await firstPagePng(await renderDocument(SAMPLES.quote), 96));
console.log(`wrote ${readme.pathname}`);
