/**
 * Why pdfkit and not pdfmake: the same quote document rendered on one thread by
 *   - pdfmake 0.3 (declarative document definition; fonts given as file bytes, the only way its
 *     0.3 API takes them: its pdfkit 0.19 parses them again for every document),
 *   - pdfkit 0.20 driven by this package (`renderDocument`: fonts parsed once per thread),
 *   - pdfkit 0.20 with the fonts given as bytes too, to separate the font effect from the rest.
 * Prints PDFs/s for each; the last line is JSON. Run: pnpm --filter @ecars/documents bench:library [count]
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import PDFDocument from 'pdfkit';
import { FONT_FILES } from '../src/fonts.js';
import {
  formatDate,
  formatMoney,
  formatPercent,
  formatQuantity,
  renderDocument,
  type QuoteDocumentInput,
} from '../src/index.js';
import { DEFAULT_THEME as theme } from '../src/theme.js';
import { quoteInput } from '../test/fixtures/quotes.js';

const require = createRequire(import.meta.url);

/** The part of pdfmake 0.3's server API this comparison uses. */
interface PdfMake {
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(policy: (url: string) => boolean): void;
  setLocalAccessPolicy(policy: (path: string) => boolean): void;
  createPdf(definition: object): { getBuffer(): Promise<Buffer> };
}
const pdfmake = require('pdfmake') as PdfMake;
pdfmake.setFonts({ Roboto: { normal: FONT_FILES.Roboto, bold: FONT_FILES['Roboto-Bold'] } });
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((path) => Object.values(FONT_FILES).includes(path));

/** The quote of `renderQuote`, as a pdfmake document definition: same content, same layout. */
function pdfmakeDefinition(input: QuoteDocumentInput): object {
  const { pricing } = input;
  const money = (minor: number): string =>
    formatMoney(minor, pricing.currencyIsoCode, pricing.currencyDecimals, theme.locale);
  const { colors } = theme;
  const label = (text: string): object => ({ text, color: colors.muted });
  return {
    pageSize: 'A4',
    pageMargins: [theme.margin, 96, theme.margin, 76],
    info: {
      title: `Quote ${input.quoteNumber}`,
      subject: input.name,
      creationDate: new Date(`${input.issueDate}T00:00:00Z`),
    },
    defaultStyle: { font: 'Roboto', fontSize: theme.fontSizes.body, color: colors.text },
    header: () => ({
      stack: [
        { canvas: [{ type: 'rect', x: 0, y: 0, w: 595.28, h: 74, color: colors.primary }] },
        {
          columns: [
            {
              stack: [
                { text: theme.companyName, bold: true, fontSize: 18 },
                ...theme.companyLines.map((line) => ({ text: line, fontSize: theme.fontSizes.small })),
              ],
            },
            {
              stack: [
                { text: 'QUOTE', bold: true, fontSize: theme.fontSizes.title, alignment: 'right' },
                { text: `No. ${input.quoteNumber}`, alignment: 'right' },
              ],
            },
          ],
          color: colors.onPrimary,
          margin: [theme.margin + 50, -62, theme.margin, 0],
        },
      ],
    }),
    footer: (page: number, pages: number) => ({
      columns: [
        { text: theme.footerText },
        { text: `Page ${page} of ${pages}`, alignment: 'right', width: 80 },
      ],
      fontSize: theme.fontSizes.small,
      color: colors.muted,
      margin: [theme.margin, 30, theme.margin, 0],
    }),
    content: [
      {
        columns: [
          {
            stack: [
              { text: 'PREPARED FOR', bold: true, fontSize: theme.fontSizes.small, color: colors.muted },
              input.account.name,
              ...(input.account.billingAddress
                ? [input.account.billingAddress.street ?? '', input.account.billingAddress.city ?? '']
                : []),
              ...(input.contact ? [`Attn: ${input.contact.name}`, input.contact.email ?? ''] : []),
            ],
          },
          {
            table: {
              body: [
                [
                  {
                    text: 'QUOTE DETAILS',
                    bold: true,
                    fontSize: theme.fontSizes.small,
                    color: colors.muted,
                    colSpan: 2,
                  },
                  '',
                ],
                [label('Quote'), { text: input.name, bold: true }],
                [label('Issued'), { text: formatDate(input.issueDate, theme.locale), bold: true }],
                [
                  label('Valid until'),
                  { text: formatDate(pricing.expirationDate, theme.locale), bold: true },
                ],
                [label('Currency'), { text: pricing.currencyIsoCode, bold: true }],
                [label('Prepared by'), { text: input.preparedBy ?? '', bold: true }],
              ],
            },
            layout: 'noBorders',
          },
        ],
        columnGap: 18,
      },
      {
        text: 'Line items',
        bold: true,
        fontSize: theme.fontSizes.heading,
        color: colors.primary,
        margin: [0, 14, 0, 6],
      },
      {
        table: {
          headerRows: 1,
          widths: ['34%', '8%', '15%', '10%', '15%', '18%'],
          body: [
            ['Product', 'Qty', 'List price', 'Discount', 'Unit price', 'Total'].map((text, index) => ({
              text,
              bold: true,
              color: colors.onPrimary,
              fillColor: colors.primary,
              alignment: index === 0 ? 'left' : 'right',
            })),
            ...pricing.lines.map((line, index) => [
              {
                stack: [
                  input.lineLabels[index]!.productName,
                  {
                    text: input.lineLabels[index]!.productCode ?? '',
                    fontSize: theme.fontSizes.small,
                    color: colors.muted,
                  },
                ],
              },
              ...[
                formatQuantity(line.quantity, theme.locale),
                money(line.listUnitPriceMinor),
                formatPercent(line.discountBps, theme.locale),
                money(line.unitPriceMinor),
                money(line.lineTotalMinor),
              ].map((text) => ({ text, alignment: 'right' })),
            ]),
          ],
        },
        layout: {
          hLineWidth: () => 0,
          vLineWidth: () => 0,
          fillColor: (row: number) => (row > 0 && row % 2 === 0 ? colors.stripe : null),
        },
      },
      {
        table: {
          widths: ['*', 100, 110],
          body: [
            ['', label('Subtotal'), { text: money(pricing.subtotalMinor), bold: true, alignment: 'right' }],
            [
              '',
              label(`Discount (${formatPercent(pricing.discountBps, theme.locale)})`),
              { text: `−${money(pricing.totalDiscountMinor)}`, bold: true, alignment: 'right' },
            ],
            [
              '',
              { text: 'Total', bold: true, fontSize: theme.fontSizes.heading, color: colors.primary },
              {
                text: money(pricing.totalMinor),
                bold: true,
                fontSize: theme.fontSizes.heading,
                color: colors.primary,
                alignment: 'right',
              },
            ],
          ],
        },
        layout: 'noBorders',
        margin: [0, 6, 0, 0],
      },
    ],
  };
}

/** pdfkit with fonts as bytes (a reduced page: band, names, totals): isolates the per-document font parse. */
const fontBytes = Object.entries(FONT_FILES).map(([name, file]) => [name, readFileSync(file)] as const);
async function pdfkitWithFontBytes(input: QuoteDocumentInput): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', margin: theme.margin });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on('end', resolve));
  for (const [name, bytes] of fontBytes) doc.registerFont(name, bytes);
  doc.rect(0, 0, 595.28, 74).fill(theme.colors.primary);
  doc.font('Roboto-Bold').fontSize(18).fillColor('#ffffff').text(theme.companyName, 92, 18);
  doc.font('Roboto').fontSize(9).fillColor(theme.colors.text);
  let y = 120;
  input.pricing.lines.forEach((line, index) => {
    doc.text(input.lineLabels[index]!.productName, 42, y, { width: 170 });
    const total = formatMoney(
      line.lineTotalMinor,
      input.pricing.currencyIsoCode,
      input.pricing.currencyDecimals,
      'en-US',
    );
    doc.text(total, 400, y, { width: 150, align: 'right' });
    y += 24;
  });
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

interface Library {
  readonly name: string;
  readonly render: (input: QuoteDocumentInput) => Promise<Uint8Array | Buffer>;
  seconds: number;
  cpuMs: number;
  bytes: number;
  count: number;
}

const count = Number(process.argv[2] ?? 100);
if (!Number.isInteger(count) || count < 4) {
  console.error('usage: library-choice.bench.ts [documents per library, at least 4, default 100]');
  process.exit(2);
}
const candidates: Pick<Library, 'name' | 'render'>[] = [
  {
    name: 'pdfmake 0.3.11 (fonts as bytes)',
    render: (input) => pdfmake.createPdf(pdfmakeDefinition(input)).getBuffer(),
  },
  { name: 'pdfkit 0.20 via renderDocument', render: (input) => renderDocument(input) },
  { name: 'pdfkit 0.20, fonts as bytes (reduced page)', render: pdfkitWithFontBytes },
];
const libraries: Library[] = candidates.map((library) => ({
  ...library,
  seconds: 0,
  cpuMs: 0,
  bytes: 0,
  count: 0,
}));

const inputs = Array.from({ length: count }, (_, index) => quoteInput({ lines: 6, seed: index }));
console.log(
  `same 6-line quote, ${count} documents each, one thread; load average ${loadavg()[0]!.toFixed(2)}`,
);
for (const library of libraries) for (const input of inputs.slice(0, 5)) await library.render(input); // warm up
// The libraries take turns on the same slices, so a change in the machine's load falls on all of
// them; CPU time per PDF is reported too, as it depends far less on the load than PDFs/s.
const ROUNDS = 4;
for (let round = 0; round < ROUNDS; round++) {
  const slice = inputs.slice(
    Math.floor((round * count) / ROUNDS),
    Math.floor(((round + 1) * count) / ROUNDS),
  );
  for (const library of libraries) {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    for (const input of slice) library.bytes += (await library.render(input)).byteLength;
    const cpu = process.cpuUsage(cpuBefore);
    library.seconds += (performance.now() - started) / 1000;
    library.cpuMs += (cpu.user + cpu.system) / 1000;
    library.count += slice.length;
  }
}
const figures = libraries.map((library) => {
  const pdfsPerSec = Math.round((library.count / library.seconds) * 10) / 10;
  const cpuMsPerPdf = Math.round((library.cpuMs / library.count) * 10) / 10;
  console.log(
    `${library.name.padEnd(44)} ${pdfsPerSec.toFixed(1).padStart(7)} PDFs/s ${cpuMsPerPdf.toFixed(1).padStart(7)} ms CPU/PDF ` +
      `${Math.round(library.bytes / library.count)} bytes/PDF`,
  );
  return { pdfsPerSec, cpuMsPerPdf };
});
const [pdfmakeFigures, pdfkitFigures, pdfkitBytesFigures] = figures as [
  (typeof figures)[0],
  (typeof figures)[0],
  (typeof figures)[0],
];
console.log(
  JSON.stringify({
    bench: 'documents-library',
    pdfkitPdfsPerSec: pdfkitFigures.pdfsPerSec,
    pdfmakePdfsPerSec: pdfmakeFigures.pdfsPerSec,
    pdfkitFontBytesPdfsPerSec: pdfkitBytesFigures.pdfsPerSec,
    pdfkitCpuMsPerPdf: pdfkitFigures.cpuMsPerPdf,
    pdfmakeCpuMsPerPdf: pdfmakeFigures.cpuMsPerPdf,
    ratio: Math.round((pdfmakeFigures.cpuMsPerPdf / pdfkitFigures.cpuMsPerPdf) * 100) / 100,
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
  }),
);
