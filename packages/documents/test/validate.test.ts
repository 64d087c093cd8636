/** Bad document data fails before any drawing, with the field named. */
import { describe, expect, it } from 'vitest';
import {
  DOCUMENT_ERROR_CODES,
  DocumentInputError,
  QueueFullError,
  UnknownTemplateError,
  formatDate,
  formatMoney,
  formatPercent,
  formatQuantity,
  isDocumentError,
  renderDocument,
  validateDocumentInput,
  type DocumentInput,
} from '../src/index.js';
import { orderConfirmationInput, quoteInput } from './fixtures/quotes.js';

function pathOf(input: unknown): string {
  try {
    validateDocumentInput(input);
  } catch (error) {
    if (error instanceof DocumentInputError) return error.path;
    throw error;
  }
  return '(valid)';
}

describe('validateDocumentInput', () => {
  it('accepts the fixtures', () => {
    expect(pathOf(quoteInput())).toBe('(valid)');
    expect(pathOf(orderConfirmationInput())).toBe('(valid)');
  });

  it('names the field of a bad quote', () => {
    const quote = quoteInput({ lines: 2 });
    expect(pathOf({ ...quote, quoteNumber: '' })).toBe('quoteNumber');
    expect(pathOf({ ...quote, issueDate: '20/11/2026' })).toBe('issueDate');
    expect(pathOf({ ...quote, account: { name: '  ' } })).toBe('account.name');
    expect(pathOf({ ...quote, lineLabels: [...quote.lineLabels, { productName: 'extra' }] })).toBe(
      'lineLabels',
    );
    expect(pathOf({ ...quote, lineLabels: [quote.lineLabels[0], { productName: '' }] })).toBe(
      'lineLabels[1].productName',
    );
    expect(pathOf({ ...quote, pricing: { ...quote.pricing, currencyIsoCode: 'XYZ' } })).toBe(
      'pricing.currencyIsoCode',
    );
    expect(pathOf({ ...quote, pricing: { ...quote.pricing, totalMinor: 12.5 } })).toBe('pricing.totalMinor');
    const lines = [...quote.pricing.lines];
    lines[1] = { ...lines[1]!, lineTotalMinor: -1 };
    expect(pathOf({ ...quote, pricing: { ...quote.pricing, lines } })).toBe(
      'pricing.lines[1].lineTotalMinor',
    );
  });

  it('names the field of a bad order confirmation', () => {
    const order = orderConfirmationInput();
    expect(pathOf({ ...order, contact: {} })).toBe('contact.name');
    const lines = order.configuration.lines;
    expect(pathOf({ ...order, configuration: { ...order.configuration, lines: lines.slice(0, 2) } })).toBe(
      'configuration.lines',
    );
    expect(
      pathOf({ ...order, configuration: { ...order.configuration, lines: [lines[0], lines[0], lines[2]] } }),
    ).toBe('configuration.lines[1].group');
    const badSwatch = { ...lines[1]!, option: { ...lines[1]!.option, swatch: 'red' } };
    expect(
      pathOf({ ...order, configuration: { ...order.configuration, lines: [lines[0], badSwatch, lines[2]] } }),
    ).toBe('configuration.lines[1].option.swatch');
  });

  it('refuses a template that does not exist with its own error', async () => {
    const input = { ...quoteInput(), template: 'invoice' } as unknown as DocumentInput;
    await expect(renderDocument(input)).rejects.toBeInstanceOf(UnknownTemplateError);
    await expect(renderDocument(input)).rejects.toMatchObject({
      code: DOCUMENT_ERROR_CODES.UNKNOWN_TEMPLATE,
    });
    expect(() => validateDocumentInput(null)).toThrow('input: must be an object');
  });

  it('recognises its errors, also as serialised data that lost the class', () => {
    const error = JSON.parse(
      JSON.stringify({ ...new QueueFullError(3), code: DOCUMENT_ERROR_CODES.QUEUE_FULL }),
    ) as unknown;
    expect(isDocumentError(error)).toBe(true);
    expect(isDocumentError(new QueueFullError(3))).toBe(true);
    expect(isDocumentError({ code: 'ECONNRESET' })).toBe(false);
    expect(isDocumentError(new Error('x'))).toBe(false);
  });
});

describe('formatting', () => {
  it('formats minor units exactly, with the record’s decimals, in the locale', () => {
    expect(formatMoney(169_900, 'EUR', 2, 'de-DE')).toBe('1.699,00\u00a0€');
    expect(formatMoney(1_234, 'JPY', 0, 'en-US')).toBe('¥1,234');
    // Beyond 2^53 / 1000 a double could not hold the fils exactly; the decimal string can.
    expect(formatMoney(9_007_199_254_740_991, 'KWD', 3, 'en-US')).toBe('KWD\u00a09,007,199,254,740.991');
    expect(formatPercent(1_250, 'en-US')).toBe('12.5%');
    expect(formatPercent(1_500, 'de-DE')).toBe('15\u00a0%');
    expect(formatQuantity(2.5, 'en-US')).toBe('2.5');
    expect(formatDate('2026-03-01', 'en-US')).toBe('Mar 1, 2026');
  });
});
