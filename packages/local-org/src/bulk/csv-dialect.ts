/**
 * The CSV of a job, read and written with the job's `columnDelimiter` and `lineEnding`. Output
 * quotes every field, as Salesforce's result files do, and ends every line (the header included)
 * with the line ending: clients such as @heroku/applink find the columns by reading up to the first
 * `\n`, so a header without one breaks them.
 */
import type { Options as ParseOptions } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import type { SalesforceError } from '../errors.js';
import { COLUMN_DELIMITERS, LINE_ENDINGS, type ColumnDelimiter, type LineEnding } from './types.js';

export interface CsvDialect {
  columnDelimiter: ColumnDelimiter;
  lineEnding: LineEnding;
}

/** csv-parse options for an upload in `dialect` (RFC 4180 quoting, UTF-8 BOM dropped, blank lines skipped). */
export function parseOptions(dialect: CsvDialect): ParseOptions {
  return {
    delimiter: COLUMN_DELIMITERS[dialect.columnDelimiter],
    record_delimiter: LINE_ENDINGS[dialect.lineEnding],
    bom: true,
    skip_empty_lines: true,
    relax_column_count: false,
  };
}

/** CSV text of `rows` in `dialect`, every field quoted, every line terminated. */
export function csvLines(dialect: CsvDialect, rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  return stringify(rows as string[][], {
    delimiter: COLUMN_DELIMITERS[dialect.columnDelimiter],
    record_delimiter: LINE_ENDINGS[dialect.lineEnding],
    quoted: true,
    quoted_empty: true,
    eof: true,
  });
}

/**
 * A record error as Bulk API result files show it in `sf__Error`: `CODE:message:fields --`, e.g.
 * `REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --`, or `CODE:message:--` when the
 * error names no field.
 */
export function sfError(error: SalesforceError): string {
  const fields = error.fields.length > 0 ? `${error.fields.join(' ')} ` : '';
  return `${error.errorCode}:${error.message}:${fields}--`;
}
