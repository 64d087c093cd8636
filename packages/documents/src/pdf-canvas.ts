/**
 * The drawing layer the templates share: a pdfkit document with the theme applied, a branded
 * header, label/value blocks, a table that breaks across pages and repeats its header, and a
 * footer with "Page n of m" on every page. Templates decide *what* to print; this decides *how*.
 */
import PDFDocument from 'pdfkit';
import { FONT, fonts } from './fonts.js';
import type { Theme } from './theme.js';

/** A4 in points. */
export const PAGE_SIZE = Object.freeze({ width: 595.28, height: 841.89 });

/** Height of the branded band at the top of every page. */
const HEADER_HEIGHT = 74;
/** Space reserved at the bottom of every page for the footer. */
const FOOTER_HEIGHT = 34;
const CELL_PAD_X = 5;
const CELL_PAD_Y = 4;

/** A column of a {@link PdfCanvas.table}. */
export interface TableColumn {
  /** Header text. */
  readonly header: string;
  /** Share of the content width; the shares of a table's columns add up to 1. */
  readonly width: number;
  /** @defaultValue `'left'` */
  readonly align?: 'left' | 'right' | 'center';
}

/** A table cell: one line of text, or a main line with a smaller second line (a product code). */
export type TableCell = string | { readonly text: string; readonly detail?: string | null };

/** Metadata written into the PDF's Info dictionary. */
export interface PdfMetadata {
  readonly title: string;
  readonly subject: string;
  /**
   * Creation date. Taken from the record (not the clock) so that the same data always gives the
   * same bytes: a rerun can be compared with, and deduplicated against, what was filed.
   */
  readonly creationDate: Date;
}

/**
 * Word layouts (glyphs and advances from fontkit's shaping), shared by every document of this
 * thread. pdfkit caches them per document; the same labels, product names and digits come back in
 * every quote, and shaping them again was a third of a quote's CPU time. A layout holds no
 * per-document state (pdfkit adds glyphs to the document's font subset when it encodes, and
 * copies the positions it changes), so sharing it cannot change a PDF; the render tests check that
 * a document's bytes are the same with a cold and a warm cache.
 */
const sharedLayouts = new Map<string, Record<string, unknown>>();
/** Past this many words per font the cache starts over, so a long-running worker stays bounded. */
const MAX_SHARED_LAYOUTS = 50_000;
let documentsSinceCheck = 0;

function shareLayoutCache(doc: PDFKit.PDFDocument, name: string): void {
  // pdfkit internals (0.20): the current font object and its per-document `layoutCache`. If a
  // later pdfkit drops either, documents simply render without the shared cache.
  const font = (doc as unknown as { _font?: { layoutCache?: Record<string, unknown> } })._font;
  if (font?.layoutCache === undefined) return;
  let cache = sharedLayouts.get(name);
  // Counting the keys is linear, so it is done every 500 documents (two fonts each), not for each.
  documentsSinceCheck += 1;
  const check = documentsSinceCheck >= 1_000;
  if (check) documentsSinceCheck = 0;
  if (cache === undefined || (check && Object.keys(cache).length > MAX_SHARED_LAYOUTS)) {
    cache = Object.create(null) as Record<string, unknown>;
    sharedLayouts.set(name, cache);
  }
  font.layoutCache = cache;
}

/** One document being drawn. Create, draw top to bottom, then {@link PdfCanvas.finish}. */
export class PdfCanvas {
  readonly #doc: PDFKit.PDFDocument;
  readonly #theme: Theme;
  readonly #chunks: Buffer[] = [];
  readonly #done: Promise<Uint8Array>;
  readonly #left: number;
  readonly #width: number;
  /** Title and number repeated in the header of every page. */
  readonly #headerTitle: string;
  readonly #headerReference: string;
  /** Current vertical position. */
  #y = 0;

  constructor(theme: Theme, metadata: PdfMetadata, header: { title: string; reference: string }) {
    this.#theme = theme;
    this.#headerTitle = header.title;
    this.#headerReference = header.reference;
    const typefaces = fonts();
    this.#doc = new PDFDocument({
      size: 'A4',
      // No default font: pdfkit would load Helvetica (parsing its AFM metrics) for every document,
      // or, given Roboto here, open it a second time when the templates select it by name.
      font: null as unknown as string,
      margin: theme.margin,
      bufferPages: true,
      autoFirstPage: false,
      info: {
        Title: metadata.title,
        Subject: metadata.subject,
        Author: theme.companyName,
        Creator: theme.companyName,
        Producer: '@ecars/documents',
        CreationDate: metadata.creationDate,
      },
    });
    // pdfkit takes a parsed fontkit font (it checks for `layout`); its typings only list bytes.
    for (const [name, font] of typefaces) {
      this.#doc.registerFont(name, font as unknown as ArrayBuffer);
      shareLayoutCache(this.#doc.font(name), name);
    }
    this.#done = new Promise<Uint8Array>((resolve, reject) => {
      this.#doc.on('data', (chunk: Buffer) => this.#chunks.push(chunk));
      this.#doc.on('end', () => {
        // A fresh buffer of exactly the PDF's size rather than Buffer.concat, which may hand out a
        // slice of Node's shared pool: the bytes are transferred out of the worker thread, and a
        // pooled ArrayBuffer cannot be.
        const bytes = new Uint8Array(this.#chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
        let offset = 0;
        for (const chunk of this.#chunks) {
          bytes.set(chunk, offset);
          offset += chunk.byteLength;
        }
        resolve(bytes);
      });
      this.#doc.on('error', reject);
    });
    this.#left = theme.margin;
    this.#width = PAGE_SIZE.width - 2 * theme.margin;
    this.#newPage();
  }

  /** The underlying pdfkit document, for drawings the canvas has no helper for (the car image). */
  get doc(): PDFKit.PDFDocument {
    return this.#doc;
  }

  /** Left edge and width of the content area. */
  get content(): { left: number; width: number } {
    return { left: this.#left, width: this.#width };
  }

  /** Current vertical position (points from the top). */
  get y(): number {
    return this.#y;
  }

  /** Moves down by `points`. */
  gap(points: number): void {
    this.#y += points;
  }

  /** Starts a new page when fewer than `height` points are left above the footer. */
  ensureSpace(height: number): void {
    if (this.#y + height > this.#bottom) this.#newPage();
  }

  /** A section heading in the brand colour. */
  heading(text: string): void {
    const { colors, fontSizes } = this.#theme;
    this.ensureSpace(fontSizes.heading + 24);
    this.#doc.font(FONT.bold).fontSize(fontSizes.heading).fillColor(colors.primary);
    this.#doc.text(text, this.#left, this.#y, { width: this.#width, lineBreak: false });
    this.#y += fontSizes.heading + 6;
  }

  /**
   * Side-by-side blocks of lines, e.g. "Prepared for" and the quote's details. Each block is a
   * title then label/value rows (a row without a label is a plain line). Returns nothing; the
   * cursor moves below the tallest block.
   */
  blocks(
    blocks: readonly { title: string; rows: readonly (readonly [label: string | null, value: string])[] }[],
  ): void {
    const { colors, fontSizes } = this.#theme;
    const gutter = 18;
    const blockWidth = (this.#width - gutter * (blocks.length - 1)) / blocks.length;
    const lineHeight = fontSizes.body + 4.5;
    const lineGap = lineHeight - fontSizes.body * 1.17; // pdfkit's own line height is ~1.17 × size
    // Values wrap inside their column (a long account name takes two lines) and push the next row
    // down; every row is measured first so the blocks' height, and the page break, are known.
    const layouts = blocks.map((block) => {
      const labelWidth = block.rows.some(([label]) => label !== null) ? blockWidth * 0.38 : 0;
      const rows = block.rows.map(([label, value]) => {
        const width = label === null ? blockWidth : blockWidth - labelWidth;
        this.#doc.font(label === null ? FONT.regular : FONT.bold).fontSize(fontSizes.body);
        const height = this.#doc.heightOfString(value, { width, lineGap });
        return { label, value, width, height: Math.max(lineHeight, height + lineGap) };
      });
      return {
        title: block.title,
        labelWidth,
        rows,
        height: lineHeight + 2 + rows.reduce((sum, row) => sum + row.height, 0),
      };
    });
    const tallest = Math.max(...layouts.map((layout) => layout.height)) + 6;
    this.ensureSpace(tallest);
    const top = this.#y;
    layouts.forEach((layout, index) => {
      const x = this.#left + index * (blockWidth + gutter);
      let y = top;
      this.#doc.font(FONT.bold).fontSize(fontSizes.small).fillColor(colors.muted);
      this.#doc.text(layout.title.toUpperCase(), x, y, {
        width: blockWidth,
        lineBreak: false,
        characterSpacing: 0.6,
      });
      y += lineHeight + 2;
      for (const row of layout.rows) {
        if (row.label !== null) {
          this.#doc.font(FONT.regular).fontSize(fontSizes.body).fillColor(colors.muted);
          this.#doc.text(row.label, x, y, { width: layout.labelWidth, lineBreak: false });
          this.#doc.font(FONT.bold).fillColor(colors.text);
        } else {
          this.#doc.font(FONT.regular).fontSize(fontSizes.body).fillColor(colors.text);
        }
        this.#doc.text(row.value, x + (row.label === null ? 0 : layout.labelWidth), y, {
          width: row.width,
          lineGap,
        });
        y += row.height;
      }
    });
    this.#y = top + tallest;
  }

  /**
   * A table with a coloured header row and zebra rows. A row that does not fit goes to the next
   * page, where the header row is drawn again; a row is never split.
   */
  table(columns: readonly TableColumn[], rows: readonly (readonly TableCell[])[]): void {
    const { colors, fontSizes } = this.#theme;
    const widths = columns.map((column) => column.width * this.#width);
    const xs = widths.map((_, index) => this.#left + widths.slice(0, index).reduce((sum, w) => sum + w, 0));
    const headerHeight = fontSizes.body + 2 * CELL_PAD_Y + 2;

    const drawHeader = (): void => {
      this.#doc.rect(this.#left, this.#y, this.#width, headerHeight).fill(colors.primary);
      this.#doc.font(FONT.bold).fontSize(fontSizes.body).fillColor(colors.onPrimary);
      columns.forEach((column, index) => {
        this.#doc.text(column.header, (xs[index] ?? 0) + CELL_PAD_X, this.#y + CELL_PAD_Y + 1, {
          width: (widths[index] ?? 0) - 2 * CELL_PAD_X,
          align: column.align ?? 'left',
          lineBreak: false,
        });
      });
      this.#y += headerHeight;
    };

    this.ensureSpace(headerHeight + 2 * fontSizes.body + 2 * CELL_PAD_Y);
    drawHeader();
    rows.forEach((row, rowIndex) => {
      const height = this.#rowHeight(row, widths);
      if (this.#y + height > this.#bottom) {
        this.#newPage();
        drawHeader();
      }
      if (rowIndex % 2 === 1) this.#doc.rect(this.#left, this.#y, this.#width, height).fill(colors.stripe);
      row.forEach((cell, index) => {
        const column = columns[index];
        const x = (xs[index] ?? 0) + CELL_PAD_X;
        const width = (widths[index] ?? 0) - 2 * CELL_PAD_X;
        const align = column?.align ?? 'left';
        const text = typeof cell === 'string' ? cell : cell.text;
        this.#doc.font(FONT.regular).fontSize(fontSizes.body).fillColor(colors.text);
        this.#doc.text(text, x, this.#y + CELL_PAD_Y, { width, align });
        if (typeof cell !== 'string' && cell.detail) {
          this.#doc.fontSize(fontSizes.small).fillColor(colors.muted);
          this.#doc.text(cell.detail, x, this.#doc.y + 1, { width, align });
        }
      });
      this.#y += height;
    });
    this.#rule(colors.rule);
  }

  /**
   * Label/amount rows aligned to the right edge (subtotal, discount, total). The last row is the
   * grand total: bold, above a rule in the brand colour.
   */
  totals(rows: readonly (readonly [label: string, amount: string])[]): void {
    const { colors, fontSizes } = this.#theme;
    const lineHeight = fontSizes.body + 7;
    this.ensureSpace(rows.length * lineHeight + 14);
    const width = this.#width * 0.42;
    const x = this.#left + this.#width - width;
    this.#y += 6;
    rows.forEach(([label, amount], index) => {
      const last = index === rows.length - 1;
      if (last) {
        this.#doc
          .moveTo(x, this.#y)
          .lineTo(x + width, this.#y)
          .lineWidth(1.2)
          .strokeColor(colors.primary)
          .stroke();
        this.#y += 5;
      }
      const size = last ? fontSizes.heading : fontSizes.body;
      this.#doc
        .font(last ? FONT.bold : FONT.regular)
        .fontSize(size)
        .fillColor(last ? colors.primary : colors.muted);
      this.#doc.text(label, x, this.#y, { width: width * 0.5, lineBreak: false });
      this.#doc.font(FONT.bold).fillColor(last ? colors.primary : colors.text);
      this.#doc.text(amount, x + width * 0.4, this.#y, {
        width: width * 0.6 - CELL_PAD_X,
        align: 'right',
        lineBreak: false,
      });
      this.#y += last ? size + 8 : lineHeight;
    });
  }

  /** A paragraph of body text across the content width. */
  paragraph(text: string, options: { color?: string; bold?: boolean } = {}): void {
    const { colors, fontSizes } = this.#theme;
    this.#doc.font(options.bold === true ? FONT.bold : FONT.regular).fontSize(fontSizes.body);
    const height = this.#doc.heightOfString(text, { width: this.#width });
    this.ensureSpace(height + 4);
    this.#doc.fillColor(options.color ?? colors.text).text(text, this.#left, this.#y, { width: this.#width });
    this.#y += height + 4;
  }

  /** Draws every page's footer, ends the document and resolves with the PDF's bytes. */
  finish(): Promise<Uint8Array> {
    const range = this.#doc.bufferedPageRange();
    for (let index = range.start; index < range.start + range.count; index++) {
      this.#doc.switchToPage(index);
      this.#footer(index - range.start + 1, range.count);
    }
    this.#doc.end();
    return this.#done;
  }

  get #bottom(): number {
    return PAGE_SIZE.height - this.#theme.margin - FOOTER_HEIGHT;
  }

  #rowHeight(row: readonly TableCell[], widths: readonly number[]): number {
    const { fontSizes } = this.#theme;
    let height = 0;
    row.forEach((cell, index) => {
      const width = (widths[index] ?? 0) - 2 * CELL_PAD_X;
      const text = typeof cell === 'string' ? cell : cell.text;
      this.#doc.font(FONT.regular).fontSize(fontSizes.body);
      let cellHeight = this.#doc.heightOfString(text, { width });
      if (typeof cell !== 'string' && cell.detail) {
        this.#doc.fontSize(fontSizes.small);
        cellHeight += Math.max(fontSizes.small + 3, this.#doc.heightOfString(cell.detail, { width }) + 1);
      }
      height = Math.max(height, cellHeight);
    });
    return height + 2 * CELL_PAD_Y;
  }

  #rule(color: string): void {
    this.#doc
      .moveTo(this.#left, this.#y)
      .lineTo(this.#left + this.#width, this.#y)
      .lineWidth(0.6)
      .strokeColor(color)
      .stroke();
  }

  #newPage(): void {
    this.#doc.addPage();
    this.#drawHeader();
    this.#y = HEADER_HEIGHT + 22;
  }

  /** The brand band: logo mark, company name and lines, document title and reference. */
  #drawHeader(): void {
    const { colors, fontSizes, margin } = this.#theme;
    const doc = this.#doc;
    doc.rect(0, 0, PAGE_SIZE.width, HEADER_HEIGHT).fill(colors.primary);
    // Logo mark: a lightning bolt in a ring, drawn as vector paths so it stays sharp at any zoom.
    doc.save();
    doc.translate(margin, 17);
    doc.circle(20, 20, 19).lineWidth(2.5).strokeColor(colors.accent).stroke();
    doc.path('M23 6 L11 23 L19 23 L16 34 L29 16 L21 16 Z').fill(colors.accent);
    doc.restore();
    doc.font(FONT.bold).fontSize(18).fillColor(colors.onPrimary);
    doc.text(this.#theme.companyName, margin + 50, 18, { lineBreak: false });
    doc.font(FONT.regular).fontSize(fontSizes.small).fillColor(colors.onPrimary);
    this.#theme.companyLines.slice(0, 2).forEach((line, index) => {
      doc.text(line, margin + 50, 41 + index * (fontSizes.small + 2.5), { lineBreak: false });
    });
    const right = PAGE_SIZE.width - margin;
    doc.font(FONT.bold).fontSize(fontSizes.title).fillColor(colors.onPrimary);
    doc.text(this.#headerTitle.toUpperCase(), right - 260, 16, {
      width: 260,
      align: 'right',
      lineBreak: false,
    });
    doc.font(FONT.regular).fontSize(fontSizes.body).fillColor(colors.onPrimary);
    doc.text(this.#headerReference, right - 260, 44, { width: 260, align: 'right', lineBreak: false });
  }

  #footer(page: number, pages: number): void {
    const { colors, fontSizes, margin } = this.#theme;
    const doc = this.#doc;
    const y = PAGE_SIZE.height - margin - FOOTER_HEIGHT + 12;
    // Text below the bottom margin would make pdfkit start a new page; the footer is drawn with
    // the margin lifted for that reason, and put back afterwards.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .moveTo(margin, y)
      .lineTo(PAGE_SIZE.width - margin, y)
      .lineWidth(0.6)
      .strokeColor(colors.rule)
      .stroke();
    doc.font(FONT.regular).fontSize(fontSizes.small).fillColor(colors.muted);
    // One line: a longer footer text is cut with an ellipsis rather than run into "Page n of m".
    doc.text(this.#theme.footerText, margin, y + 6, {
      width: this.#width - 90,
      height: fontSizes.small * 1.3,
      ellipsis: true,
    });
    doc.text(`Page ${page} of ${pages}`, PAGE_SIZE.width - margin - 80, y + 6, {
      width: 80,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottomMargin;
  }
}
