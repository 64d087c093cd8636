/**
 * Reads rendered PDFs back with Debian's poppler-utils (pdftotext, pdfinfo, pdftoppm): an
 * independent PDF implementation, so a test checks what a viewer shows, not what pdfkit meant.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function withPdf<T>(bytes: Uint8Array, work: (dir: string, file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'ecars-documents-'));
  try {
    const file = join(dir, 'document.pdf');
    await writeFile(file, bytes);
    return await work(dir, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        'poppler-utils is not installed: run `scripts/services.sh ensure` (or apt-get install poppler-utils)',
        {
          cause: error,
        },
      );
    }
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The document's text in reading order (`pdftotext -raw`), pages separated by form feeds. */
export function pdfText(bytes: Uint8Array, options: { layout?: boolean } = {}): Promise<string> {
  return withPdf(bytes, async (_dir, file) => {
    const { stdout } = await run('pdftotext', [
      options.layout === true ? '-layout' : '-raw',
      '-enc',
      'UTF-8',
      file,
      '-',
    ]);
    return stdout;
  });
}

/** Page count, page size in points and the Info dictionary's title (`pdfinfo`). */
export function pdfInfo(
  bytes: Uint8Array,
): Promise<{ pages: number; width: number; height: number; title: string; fonts: string }> {
  return withPdf(bytes, async (_dir, file) => {
    const { stdout } = await run('pdfinfo', [file]);
    const field = (name: string): string => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(stdout)?.[1] ?? '';
    const size = /^Page size:\s*([\d.]+) x ([\d.]+) pts/m.exec(stdout);
    const { stdout: fonts } = await run('pdffonts', [file]);
    return {
      pages: Number(field('Pages')),
      width: Number(size?.[1]),
      height: Number(size?.[2]),
      title: field('Title'),
      fonts,
    };
  });
}

/** The first page as a PNG (`pdftoppm -png -r <dpi> -f 1 -l 1`). */
export function firstPagePng(bytes: Uint8Array, dpi: number): Promise<Buffer> {
  return withPdf(bytes, async (dir, file) => {
    await run('pdftoppm', [
      '-png',
      '-r',
      String(dpi),
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      file,
      join(dir, 'page'),
    ]);
    return readFile(join(dir, 'page.png'));
  });
}

/** A word on a page and its box in points from the top-left corner (`pdftotext -bbox`). */
export interface PdfWord {
  readonly page: number;
  readonly text: string;
  readonly xMin: number;
  readonly yMin: number;
  readonly xMax: number;
  readonly yMax: number;
}

/** Every word of the document with its bounding box. */
export function pdfWords(bytes: Uint8Array): Promise<PdfWord[]> {
  return withPdf(bytes, async (_dir, file) => {
    const { stdout } = await run('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-']);
    const words: PdfWord[] = [];
    let page = 0;
    for (const line of stdout.split('\n')) {
      if (line.includes('<page ')) page += 1;
      const match = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(
        line,
      );
      if (match) {
        const [, xMin, yMin, xMax, yMax, text] = match;
        words.push({
          page,
          text: text!,
          xMin: Number(xMin),
          yMin: Number(yMin),
          xMax: Number(xMax),
          yMax: Number(yMax),
        });
      }
    }
    return words;
  });
}

/** Pairs of words whose boxes overlap by more than `tolerance` points both ways: text drawn over text. */
export function overlappingWords(words: readonly PdfWord[], tolerance = 1): [PdfWord, PdfWord][] {
  const overlaps: [PdfWord, PdfWord][] = [];
  words.forEach((a, index) => {
    for (const b of words.slice(index + 1)) {
      if (a.page !== b.page) continue;
      const x = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
      const y = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
      if (x > tolerance && y > tolerance) overlaps.push([a, b]);
    }
  });
  return overlaps;
}
