/**
 * The Quote: header, the account and contact, the quote's details, one table row per priced line
 * (quantity, list price, discount, unit price, line total) and the totals, every amount exactly
 * as `@ecars/pricing-engine` computed it, formatted in the record's currency.
 */
import type { PostalAddress, QuoteDocumentInput } from './document-input.js';
import { formatDate, formatMoney, formatPercent, formatQuantity } from './format.js';
import { PdfCanvas, type TableColumn } from './pdf-canvas.js';
import type { Theme } from './theme.js';

const COLUMNS: readonly TableColumn[] = [
  { header: 'Product', width: 0.34 },
  { header: 'Qty', width: 0.08, align: 'right' },
  { header: 'List price', width: 0.15, align: 'right' },
  { header: 'Discount', width: 0.1, align: 'right' },
  { header: 'Unit price', width: 0.15, align: 'right' },
  { header: 'Total', width: 0.18, align: 'right' },
];

/** The file name a quote is filed under: `Quote-<QuoteNumber>.pdf`. */
export function quoteFileName(input: Pick<QuoteDocumentInput, 'quoteNumber'>): string {
  return `Quote-${input.quoteNumber}.pdf`;
}

/** Draws a quote; resolves with the PDF bytes. `input` must have passed `validateDocumentInput`. */
export function renderQuote(input: QuoteDocumentInput, theme: Theme): Promise<Uint8Array> {
  const { pricing } = input;
  const locale = theme.locale;
  const money = (minor: number): string =>
    formatMoney(minor, pricing.currencyIsoCode, pricing.currencyDecimals, locale);
  const canvas = new PdfCanvas(
    theme,
    {
      title: `Quote ${input.quoteNumber}`,
      subject: input.name,
      creationDate: new Date(`${input.issueDate}T00:00:00Z`),
    },
    { title: 'Quote', reference: `No. ${input.quoteNumber}` },
  );

  const preparedFor: [string | null, string][] = [[null, input.account.name]];
  for (const line of addressLines(input.account.billingAddress)) preparedFor.push([null, line]);
  if (input.contact) {
    preparedFor.push([null, `Attn: ${input.contact.name}`]);
    if (input.contact.email) preparedFor.push([null, input.contact.email]);
  }
  const details: [string, string][] = [
    ['Quote', input.name],
    ['Issued', formatDate(input.issueDate, locale)],
    ['Valid until', formatDate(pricing.expirationDate, locale)],
    ['Currency', pricing.currencyIsoCode],
  ];
  if (input.preparedBy) details.push(['Prepared by', input.preparedBy]);
  canvas.blocks([
    { title: 'Prepared for', rows: preparedFor },
    { title: 'Quote details', rows: details },
  ]);
  canvas.gap(14);

  canvas.heading('Line items');
  canvas.table(
    COLUMNS,
    pricing.lines.map((line, index) => {
      const label = input.lineLabels[index];
      return [
        { text: label?.productName ?? '', detail: label?.productCode ?? null },
        formatQuantity(line.quantity, locale),
        money(line.listUnitPriceMinor),
        formatPercent(line.discountBps, locale),
        money(line.unitPriceMinor),
        money(line.lineTotalMinor),
      ];
    }),
  );

  canvas.totals([
    ['Subtotal', money(pricing.subtotalMinor)],
    [`Discount (${formatPercent(pricing.discountBps, locale)})`, `−${money(pricing.totalDiscountMinor)}`],
    ['Total', money(pricing.totalMinor)],
  ]);
  if (pricing.needsApproval) {
    canvas.gap(6);
    canvas.paragraph(
      'This quote exceeds the standard discount and is subject to approval before it is binding.',
      {
        color: theme.colors.accent,
        bold: true,
      },
    );
  }
  return canvas.finish();
}

/** The non-empty parts of an address, as printed lines: street, "city state postal code", country. */
export function addressLines(address: PostalAddress | null | undefined): string[] {
  if (!address) return [];
  const cityLine = [address.city, address.state, address.postalCode].filter((part) => part).join(' ');
  return [address.street, cityLine, address.country].filter((part): part is string => Boolean(part));
}
