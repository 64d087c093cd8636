/**
 * Order confirmations: the catalogue's names, codes and prices, the configuration's total and the
 * Lead's contact are on the page; the car is drawn in the chosen paint.
 */
import { CAR_CATALOG, priceConfiguration } from '@ecars/pricing-engine';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  carImageSvg,
  carShapes,
  formatMoney,
  orderConfirmationFileName,
  renderDocument,
} from '../src/index.js';
import { orderConfirmationInput } from './fixtures/quotes.js';
import { firstPagePng, overlappingWords, pdfInfo, pdfText, pdfWords } from './helpers/poppler.js';

function squash(text: string): string {
  return text.replace(/\s+/g, ' ');
}

describe('order confirmation PDF', () => {
  it('prints each chosen option with the catalogue’s label, code and price, the total and the Lead', async () => {
    const input = orderConfirmationInput({
      range: 'Medium_Range',
      exteriorColor: 'Cosmic_Blue',
      interiorColor: 'Nappa_Black',
    });
    const bytes = await renderDocument(input);
    const text = squash(await pdfText(bytes));
    const usd = (minor: number): string => formatMoney(minor, 'USD', 2, 'en-US');

    const range = CAR_CATALOG.ranges.find((option) => option.code === 'Medium_Range')!;
    const paint = CAR_CATALOG.exteriorColors.find((option) => option.code === 'Cosmic_Blue')!;
    const trim = CAR_CATALOG.interiorColors.find((option) => option.code === 'Nappa_Black')!;
    expect(text).toContain(
      `Range ${range.label} ${range.rangeKm} km (WLTP) ${range.code} ${usd(range.priceMinor)}`,
    );
    expect(text).toContain(`Exterior colour ${paint.label} ${paint.code} ${usd(paint.priceMinor)}`);
    expect(text).toContain(`Interior ${trim.label} ${trim.code} ${usd(trim.priceMinor)}`);
    expect(text).toContain(
      `Total ${usd(priceConfiguration({ range: range.code, exteriorColor: paint.code, interiorColor: trim.code }).totalMinor)}`,
    );
    expect(text).toContain(`Model ${CAR_CATALOG.model}`);
    for (const part of [
      'Priya Raman',
      'priya.raman@example.com',
      '+1 415 555 0142',
      'San Francisco 94110',
      'Ref. CC-000042',
    ]) {
      expect(text).toContain(part);
    }
    const info = await pdfInfo(bytes);
    expect(info.pages).toBe(1);
    expect(overlappingWords(await pdfWords(bytes))).toEqual([]);
    expect(bytes.byteLength).toBeLessThan(60_000);
  });

  it('draws the car in the chosen paint: the body colour is on the rendered page', async () => {
    for (const paint of [CAR_CATALOG.exteriorColors[3]!, CAR_CATALOG.exteriorColors[2]!]) {
      const input = orderConfirmationInput({
        range: 'Long_Range',
        exteriorColor: paint.code,
        interiorColor: 'Vegan_White',
      });
      const png = PNG.sync.read(await firstPagePng(await renderDocument(input), 40));
      const target = [1, 3, 5].map((offset) => Number.parseInt(paint.swatch.slice(offset, offset + 2), 16));
      let matches = 0;
      for (let index = 0; index < png.data.length; index += 4) {
        const close = target.every((channel, c) => Math.abs(channel - png.data[index + c]!) <= 6);
        if (close) matches += 1;
      }
      // The body covers a few hundred pixels at 40 dpi; nothing else on the page has this colour.
      expect(matches, `${paint.label} pixels`).toBeGreaterThan(300);
    }
  });

  it('is filed as Order-Confirmation-<reference>.pdf', () => {
    expect(orderConfirmationFileName(orderConfirmationInput())).toBe('Order-Confirmation-CC-000042.pdf');
  });
});

describe('car image', () => {
  it('is one set of shapes for the PDF and the SVG, coloured by the catalogue swatches', () => {
    const spec = { rangeImageKey: 'range-long', bodyColor: '#c3161c', interiorColor: '#b58a5f' };
    const svg = carImageSvg(spec);
    const shapes = carShapes(spec);
    expect(svg.match(/<path /g)).toHaveLength(shapes.length);
    expect(svg).toContain('fill="#c3161c"');
    expect(svg).toContain('fill="#b58a5f"');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 444 170"/);
  });

  it('is longer for a longer range, and falls back to the base body for an image key it has no art for', () => {
    const width = (key: string): string =>
      /viewBox="0 0 (\d+) /.exec(
        carImageSvg({ rangeImageKey: key, bodyColor: '#ffffff', interiorColor: '#000000' }),
      )![1]!;
    expect([width('range-short'), width('range-medium'), width('range-long'), width('range-new')]).toEqual([
      '400',
      '422',
      '444',
      '400',
    ]);
  });
});
