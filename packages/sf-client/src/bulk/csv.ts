/**
 * CSV for Bulk API 2.0 (RFC 4180, header row, LF line endings, comma): records are streamed through
 * `csv-stringify` into the upload, so a large ingest never holds its whole CSV in memory; result
 * pages are parsed with `csv-parse`.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify';

/** A record to ingest: column → value. null/undefined are sent as empty cells (null). */
export type BulkRecord = Record<string, unknown>;

/** A CSV stream of `records` with `columns` as the header. */
export function csvStream(records: Iterable<BulkRecord> | AsyncIterable<BulkRecord>, columns: readonly string[]): Readable {
  const stringifier = stringify({
    header: true,
    columns: [...columns],
    record_delimiter: 'unix',
    cast: {
      boolean: (value) => (value ? 'true' : 'false'),
      date: (value) => value.toISOString(),
      object: (value) => {
        throw new TypeError(`Bulk API CSV cells must be scalars, got ${JSON.stringify(value).slice(0, 60)}`);
      },
    },
  });
  const source = Readable.from(records as AsyncIterable<BulkRecord>, { objectMode: true });
  source.on('error', (error) => stringifier.destroy(error));
  return source.pipe(stringifier);
}

/** Rows of a CSV result page as objects; empty cells become null. */
export function parseCsv(text: string): Array<Record<string, string | null>> {
  if (text.trim() === '') return [];
  const rows = parse(text, { columns: true, skip_empty_lines: true, relax_column_count: false }) as Array<Record<string, string>>;
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === '' ? null : v])));
}

/** Every column any of `records` has, in first-seen order. */
export function columnsOf(records: Iterable<BulkRecord>): string[] {
  const seen = new Set<string>();
  for (const record of records) for (const key of Object.keys(record)) seen.add(key);
  return [...seen];
}
