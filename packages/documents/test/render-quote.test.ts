/**
 * Quote PDFs read back with poppler: every line item, amount, total and name the pricing engine
 * produced is on the page, formatted in the record's currency; pages and size stay in bounds.
 */
import { formatMinor, loadRuleSet, DEFAULT_RULE_SET_DEFINITION, priceQuote } from '@ecars/pricing-engine';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THEME,
  PAGE_SIZE,
  formatMoney,
  quoteFileName,
  renderDocument,
  type QuoteDocumentInput,
} from '../src/index.js';
import { quoteInput } from './fixtures/quotes.js';
import { overlappingWords, pdfInfo, pdfText, pdfWords } from './helpers/poppler.js';

/** pdftotext puts a space between runs, and ICU a no-break space after `KWD`: compare on single spaces. */
function squash(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function money(input: QuoteDocumentInput, minor: number): string {
  return squash(formatMoney(minor, input.pricing.currencyIsoCode, input.pricing.currencyDecimals, 'en-US'));
}

describe('quote PDF', () => {
  it.each(['USD', 'EUR', 'JPY', 'KWD'] as const)(
    'prints every line and total as the engine priced them (%s)',
    async (currency) => {
      const input = quoteInput({ lines: 6, currency, seed: 7 });
      const text = squash(await pdfText(await renderDocument(input)));

      expect(text).toContain(input.account.name);
      expect(text).toContain(input.name);
      expect(text).toContain(`No. ${input.quoteNumber}`);
      expect(text).toContain('Greta Albers');
      expect(text).toContain(`Currency ${currency}`);
      input.pricing.lines.forEach((line, index) => {
        const label = input.lineLabels[index]!;
        // Names may wrap inside their cell: check word by word, in order.
        expect(text).toMatch(new RegExp(label.productName.split(' ').map(escape).join('\\s+')));
        expect(text).toContain(label.productCode!);
        const row = `${line.quantity} ${money(input, line.listUnitPriceMinor)} ${line.discountBps / 100}% ${money(input, line.unitPriceMinor)} ${money(input, line.lineTotalMinor)}`;
        expect(text).toContain(row);
      });
      expect(text).toContain(`Subtotal ${money(input, input.pricing.subtotalMinor)}`);
      expect(text).toContain(`Discount (15%) −${money(input, input.pricing.totalDiscountMinor)}`);
      expect(text).toContain(`Total ${money(input, input.pricing.totalMinor)}`);
    },
  );

  it('formats amounts exactly from minor units, with the currency’s own decimals', async () => {
    const usd = quoteInput({ lines: 2, currency: 'USD' });
    const jpy = quoteInput({ lines: 2, currency: 'JPY' });
    const kwd = quoteInput({ lines: 2, currency: 'KWD' });
    const [usdText, jpyText, kwdText] = await Promise.all(
      [usd, jpy, kwd].map(async (input) => squash(await pdfText(await renderDocument(input)))),
    );

    expect(usdText).toContain(
      `$${Number(formatMinor(usd.pricing.totalMinor, 2)).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
    );
    expect(jpyText).toMatch(/Total ¥[\d,]+ /);
    expect(jpyText).not.toMatch(/¥[\d,]+\.\d/);
    expect(kwdText).toMatch(/Total KWD [\d,]+\.\d{3} /);
  });

  it('is one A4 page for a short quote, and a few small ones for a long one with the header repeated', async () => {
    const short = await renderDocument(quoteInput({ lines: 3 }));
    const shortInfo = await pdfInfo(short);
    expect(shortInfo).toMatchObject({
      pages: 1,
      width: PAGE_SIZE.width,
      height: PAGE_SIZE.height,
      title: 'Quote 00000001',
    });
    expect(short.byteLength).toBeGreaterThan(5_000);
    expect(short.byteLength).toBeLessThan(60_000);

    const longInput = quoteInput({ lines: 80, seed: 3 });
    const long = await renderDocument(longInput);
    const { pages } = await pdfInfo(long);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(pages).toBeLessThanOrEqual(6);
    expect(long.byteLength).toBeLessThan(150_000);
    const text = await pdfText(long);
    const pageTexts = text.split('\f').filter((page) => page.trim() !== '');
    expect(pageTexts).toHaveLength(pages);
    pageTexts.forEach((page, index) => {
      expect(page).toContain('Product Qty List price Discount Unit price Total');
      expect(page).toContain(`Page ${index + 1} of ${pages}`);
    });
    expect(overlappingWords(await pdfWords(long))).toEqual([]);
    // The totals come once, after the last line.
    expect(squash(pageTexts.at(-1)!)).toContain(`Total ${money(longInput, longInput.pricing.totalMinor)}`);
    expect(text.match(/Subtotal/g)).toHaveLength(1);
  });

  it('embeds its fonts (Roboto subsets with Unicode maps) rather than relying on the viewer', async () => {
    const { fonts } = await pdfInfo(await renderDocument(quoteInput({ lines: 1 })));
    expect(fonts).toMatch(/\+Roboto-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).toMatch(/\+Roboto-Bold\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).not.toContain('Helvetica');
  });

  it('gives the same bytes for the same data, so a rerun can be compared with what was filed', async () => {
    const input = quoteInput({ lines: 4, seed: 11 });
    const [first, second] = await Promise.all([
      renderDocument(input),
      renderDocument(structuredClone(input)),
    ]);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
    const other = await renderDocument({ ...input, name: `${input.name} (revised)` });
    expect(Buffer.from(first).equals(Buffer.from(other))).toBe(false);
    // Word layouts are cached across documents: after many others, the bytes are still the same.
    for (const currency of ['EUR', 'JPY', 'KWD'] as const)
      await renderDocument(quoteInput({ lines: 8, currency, seed: 5 }));
    expect(Buffer.from(await renderDocument(input)).equals(Buffer.from(first))).toBe(true);
  });

  it('says when the quote needs approval', async () => {
    const generous = loadRuleSet({
      ...DEFAULT_RULE_SET_DEFINITION,
      id: 'generous',
      approvalThresholdBps: 1_000,
    });
    const base = quoteInput({ lines: 2 });
    const pricing = priceQuote(
      {
        id: base.pricing.opportunityId,
        closeDate: base.pricing.closeDate,
        currencyIsoCode: 'USD',
        accountRegion: 'EMEA',
        lines: base.pricing.lines.map((line) => ({
          pricebookEntryId: line.pricebookEntryId,
          quantity: line.quantity,
          unitPrice: line.listUnitPriceMinor / 100,
        })),
      },
      generous,
    );
    expect(pricing.needsApproval).toBe(true);
    const text = squash(await pdfText(await renderDocument({ ...base, pricing })));
    expect(text).toContain('subject to approval');
    expect(squash(await pdfText(await renderDocument(base)))).not.toContain('subject to approval');
  });

  it('wraps long names inside their block: no text is drawn over other text', async () => {
    const base = quoteInput({ lines: 3 });
    const input: QuoteDocumentInput = {
      ...base,
      name: 'A very long quote name that goes on and on well beyond the width of the details column',
      account: {
        ...base.account,
        name: 'Nordwind Logistik und Spedition Gesellschaft mit beschränkter Haftung & Co. KG Hamburg',
      },
    };
    const bytes = await renderDocument(input);
    const overlaps = overlappingWords(await pdfWords(bytes));
    expect(overlaps.map(([a, b]) => `${a.text} / ${b.text}`)).toEqual([]);
    const text = squash(await pdfText(bytes));
    expect(text).toContain(input.account.name);
    expect(text).toContain(input.name);
  });

  it('keeps a long product code in its cell and a long footer on one line, clear of the page number', async () => {
    const base = quoteInput({ lines: 2 });
    const input: QuoteDocumentInput = {
      ...base,
      lineLabels: base.lineLabels.map((label) => ({
        ...label,
        productCode: 'CODE-WITH-MANY-PARTS-2026-EMEA-FLEET-RENEWAL-SKU',
      })),
    };
    const theme = { ...DEFAULT_THEME, footerText: 'Terms and conditions apply. '.repeat(8) };
    const words = await pdfWords(await renderDocument(input, theme));
    expect(overlappingWords(words).map(([a, b]) => `${a.text} / ${b.text}`)).toEqual([]);
    const pageLabel = words.find((word) => word.text === 'Page')!;
    const footerWords = words.filter(
      (word) => Math.abs(word.yMin - pageLabel.yMin) < 1 && word.xMax < pageLabel.xMin,
    );
    expect(footerWords.length).toBeGreaterThan(3);
    expect(words.filter((word) => word.text === 'Terms').length).toBeLessThan(8);
  });

  it('is filed as Quote-<QuoteNumber>.pdf', () => {
    expect(quoteFileName(quoteInput({ seed: 42 }))).toBe('Quote-00000042.pdf');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
