import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateSalesforceMetadata, generateValueSets } from '../scripts/generate-salesforce.js';
import { CAR_CATALOG, type CarCatalog } from '../src/index.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe('codegen of Salesforce metadata', () => {
  const generated = generateSalesforceMetadata();

  it.each(Object.keys(generated))('keeps the committed %s identical to what pnpm codegen writes', (path) => {
    // On failure: run `pnpm codegen` and commit the result.
    expect(readFileSync(`${repoRoot}/${path}`, 'utf8')).toBe(generated[path]);
  });

  it('writes one picklist value per catalogue option, in catalogue order, with its label', () => {
    const exterior =
      generated['force-app/main/default/globalValueSets/Exterior_Color.globalValueSet-meta.xml']!;
    const names = [...exterior.matchAll(/<fullName>(.*?)<\/fullName>/g)].map((m) => m[1]);
    expect(names).toEqual(CAR_CATALOG.exteriorColors.map((c) => c.code));
    expect(exterior).toContain('<label>Glacier Silver</label>');
  });

  it('escapes XML in labels and refuses an invalid catalogue', () => {
    const catalog: CarCatalog = {
      ...CAR_CATALOG,
      interiorColors: [
        { code: 'Black_Tan', label: 'Black & <Tan>', priceMinor: 0, imageKey: 'bt', swatch: '#000000' },
      ],
    };
    expect(
      generateValueSets(catalog)[
        'force-app/main/default/globalValueSets/Interior_Color.globalValueSet-meta.xml'
      ],
    ).toContain('<label>Black &amp; &lt;Tan&gt;</label>');
    expect(() => generateValueSets({ ...CAR_CATALOG, ranges: [] })).toThrow('range: has no options');
  });
});
