/**
 * Visual check: each sample's first page, rasterised by poppler, is compared pixel by pixel with
 * the committed reference image. A moved column, a lost colour or a missing picture shows up as
 * thousands of differing pixels; anti-aliasing noise stays far below the tolerance. After an
 * intended layout change: `pnpm --filter @ecars/documents references`, look, commit.
 */
import { readFile } from 'node:fs/promises';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderDocument } from '../src/index.js';
import { firstPagePng } from './helpers/poppler.js';
import { REFERENCE_DPI, SAMPLES, referencePath } from './helpers/samples.js';

/** Share of pixels allowed to differ (beyond pixelmatch's per-pixel colour threshold). */
const TOLERANCE = 0.002;

function differingPixels(actual: PNG, expected: PNG): number {
  return pixelmatch(actual.data, expected.data, undefined, actual.width, actual.height, { threshold: 0.1 });
}

describe('first page against the reference image', () => {
  it.each(Object.keys(SAMPLES) as (keyof typeof SAMPLES)[])('%s looks like the reference', async (name) => {
    const actual = PNG.sync.read(await firstPagePng(await renderDocument(SAMPLES[name]), REFERENCE_DPI));
    const expected = PNG.sync.read(await readFile(referencePath(name)));
    expect({ width: actual.width, height: actual.height }).toEqual({
      width: expected.width,
      height: expected.height,
    });
    const diff = differingPixels(actual, expected);
    expect(diff / (actual.width * actual.height)).toBeLessThan(TOLERANCE);
  });

  it('notices a change: another quote differs from the reference well beyond the tolerance', async () => {
    const quote = SAMPLES.quote;
    const changed = {
      ...quote,
      lineLabels: quote.lineLabels.map((label) => ({
        ...label,
        productName: `${label.productName} (refurbished)`,
      })),
    };
    const actual = PNG.sync.read(await firstPagePng(await renderDocument(changed), REFERENCE_DPI));
    const expected = PNG.sync.read(await readFile(referencePath('quote')));
    expect(differingPixels(actual, expected) / (actual.width * actual.height)).toBeGreaterThan(TOLERANCE);
  });
});
