/**
 * The order confirmation of a Lead's car configuration: the Lead's contact, a picture of the car
 * as configured, and one row per chosen option with the catalogue's label, code and price, then
 * the catalogue's total. Nothing here knows a price: `input.configuration` is
 * `priceConfiguration()`'s result from `@ecars/pricing-engine`.
 */
import type { CatalogGroup, ColorOption, PricedOption } from '@ecars/pricing-engine';
import { carImageSize, drawCarImage, type CarImageSpec } from './car-image.js';
import type { OrderConfirmationInput } from './document-input.js';
import { formatDate, formatMoney } from './format.js';
import { PdfCanvas, type TableColumn } from './pdf-canvas.js';
import { addressLines } from './quote-template.js';
import type { Theme } from './theme.js';

const GROUP_LABELS: Readonly<Record<CatalogGroup, string>> = Object.freeze({
  range: 'Range',
  exteriorColor: 'Exterior colour',
  interiorColor: 'Interior',
});

const COLUMNS: readonly TableColumn[] = [
  { header: 'Option', width: 0.24 },
  { header: 'Choice', width: 0.36 },
  { header: 'Code', width: 0.2 },
  { header: 'Price', width: 0.2, align: 'right' },
];

/** Width of the car picture on the page, in points. */
const IMAGE_WIDTH = 360;

/** The file name an order confirmation is filed under: `Order-Confirmation-<reference>.pdf`. */
export function orderConfirmationFileName(input: Pick<OrderConfirmationInput, 'reference'>): string {
  return `Order-Confirmation-${input.reference}.pdf`;
}

/** The picture's inputs, taken from the chosen options of the configuration. */
export function carImageSpecOf(input: OrderConfirmationInput): CarImageSpec {
  const line = (group: CatalogGroup): PricedOption | undefined =>
    input.configuration.lines.find((l) => l.group === group);
  return {
    rangeImageKey: line('range')?.option.imageKey ?? '',
    bodyColor: (line('exteriorColor')?.option as ColorOption | undefined)?.swatch ?? '#808080',
    interiorColor: (line('interiorColor')?.option as ColorOption | undefined)?.swatch ?? '#808080',
  };
}

/** Draws an order confirmation; resolves with the PDF bytes. `input` must have passed validation. */
export function renderOrderConfirmation(input: OrderConfirmationInput, theme: Theme): Promise<Uint8Array> {
  const { configuration, contact } = input;
  const locale = theme.locale;
  const money = (minor: number): string =>
    formatMoney(minor, configuration.currency, configuration.decimals, locale);
  const canvas = new PdfCanvas(
    theme,
    {
      title: `Order confirmation ${input.reference}`,
      subject: `${input.modelName} for ${contact.name}`,
      creationDate: new Date(`${input.issueDate}T00:00:00Z`),
    },
    { title: 'Order confirmation', reference: `Ref. ${input.reference}` },
  );

  const customer: [string | null, string][] = [[null, contact.name]];
  if (contact.company) customer.push([null, contact.company]);
  for (const line of addressLines(contact.address)) customer.push([null, line]);
  if (contact.email) customer.push([null, contact.email]);
  if (contact.phone) customer.push([null, contact.phone]);
  canvas.blocks([
    { title: 'Customer', rows: customer },
    {
      title: 'Order',
      rows: [
        ['Reference', input.reference],
        ['Model', input.modelName],
        ['Issued', formatDate(input.issueDate, locale)],
        ['Currency', configuration.currency],
      ],
    },
  ]);
  canvas.gap(10);

  const spec = carImageSpecOf(input);
  const size = carImageSize(spec);
  const imageHeight = (IMAGE_WIDTH / size.width) * size.height;
  canvas.ensureSpace(imageHeight + 20);
  const { left, width } = canvas.content;
  drawCarImage(canvas.doc, spec, left + (width - IMAGE_WIDTH) / 2, canvas.y, IMAGE_WIDTH);
  canvas.gap(imageHeight + 4);
  const caption = [input.modelName, ...configuration.lines.map((line) => line.option.label)].join(' · ');
  canvas.paragraph(caption, { color: theme.colors.muted });
  canvas.gap(8);

  canvas.heading('Your configuration');
  canvas.table(
    COLUMNS,
    configuration.lines.map((line) => [
      GROUP_LABELS[line.group],
      'rangeKm' in line.option
        ? { text: line.option.label, detail: `${line.option.rangeKm} km (WLTP)` }
        : line.option.label,
      line.option.code,
      money(line.priceMinor),
    ]),
  );
  canvas.totals([['Total', money(configuration.totalMinor)]]);
  canvas.gap(10);
  canvas.paragraph(
    `Thank you, ${contact.name}. This confirms the configuration above at the prices shown; ` +
      'your eCars representative will contact you about delivery and financing.',
  );
  return canvas.finish();
}
