/**
 * Reads one `PUT …/batches` body as a stream: bytes are counted against the upload limit, the CSV
 * is parsed as it arrives, and rows go to the database in chunks, so memory holds one chunk, never
 * the upload. A CSV problem (bad quoting, a row with the wrong number of columns, the other line
 * ending) does not fail the request: like Salesforce, the org accepts the upload and the job fails
 * when processing starts, with the problem as its `errorMessage`.
 */
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { jobFailures } from './bulk-errors.js';
import type { BulkStorage } from './bulk-storage.js';
import { parseOptions, type CsvDialect } from './csv-dialect.js';

/** Rows per database insert, and the most a chunk may hold in characters before it is written early. */
const CHUNK_ROWS = 2_000;
const CHUNK_CHARS = 4 * 1024 * 1024;

/** The body went past `maxBytes`; nothing of it is kept. */
export class UploadTooLargeError extends Error {
  override readonly name = 'UploadTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`upload exceeds ${maxBytes} bytes`);
  }
}

export interface StoredUpload {
  /** Column names as uploaded (empty when the body had no header row). */
  header: string[];
  /** Data rows stored. */
  rows: number;
  bytes: number;
  /** The CSV problem to fail the job with, if any. */
  deferredError?: string;
}

/**
 * Parses `body` in `dialect` and stores its data rows as rows 0.. of `jobId`.
 * @throws UploadTooLargeError past `maxBytes` (after draining the body, so the error can be answered).
 */
export async function storeUpload(
  body: Readable,
  jobId: string,
  dialect: CsvDialect,
  storage: BulkStorage,
  maxBytes: number,
): Promise<StoredUpload> {
  const parser = parse(parseOptions(dialect));
  let header: string[] | null = null;
  let deferredError: string | undefined;
  let rows = 0;
  let chunk: string[][] = [];
  let chunkChars = 0;

  const flush = async () => {
    const todo = chunk;
    chunk = [];
    chunkChars = 0;
    await storage.insertRows(jobId, rows, todo);
    rows += todo.length;
  };

  const onRecord = async (record: string[]) => {
    if (deferredError !== undefined) return;
    if (header === null) {
      header = record;
      deferredError = lineEndingProblem(dialect, record);
      return;
    }
    chunk.push(record);
    chunkChars += record.reduce((n, v) => n + v.length, 0);
    if (chunk.length >= CHUNK_ROWS || chunkChars >= CHUNK_CHARS) await flush();
  };

  // The consumer drains the parser; its failure (a CSV error or a database error) ends feeding.
  let consumerError: unknown;
  const consumer = (async () => {
    for await (const record of parser) await onRecord(record as string[]);
  })().catch((e: unknown) => {
    consumerError = e;
  });

  let bytes = 0;
  let tooLarge = false;
  // destroyOnReturn: false — leaving the loop early must not destroy the request, whose socket
  // still has to carry the answer.
  for await (const data of body.iterator({ destroyOnReturn: false })) {
    const buf = data as Buffer;
    bytes += buf.length;
    if (bytes > maxBytes) {
      tooLarge = true;
      break;
    }
    if (consumerError !== undefined) break;
    if (!parser.write(buf)) {
      await Promise.race([once(parser, 'drain').catch(() => undefined), consumer]);
    }
  }
  if (tooLarge || consumerError !== undefined) {
    parser.destroy();
    await consumer;
    await drain(body);
  } else {
    parser.end();
    await consumer;
  }
  if (tooLarge) throw new UploadTooLargeError(maxBytes);
  if (consumerError !== undefined) {
    if (!(consumerError instanceof CsvError)) throw consumerError;
    deferredError ??= describeCsvError(dialect, consumerError, header);
  }
  // Rows parsed before a CSV error are kept: they are the job's unprocessed records.
  await flush();
  // An upload without a single line (what jsforce sends for an empty input) is a job without
  // records: a real org completes it with none processed (jsforce's own suite checks exactly that).
  return { header: header ?? [], rows, bytes, ...(deferredError !== undefined ? { deferredError } : {}) };
}

/** Reads and discards the rest of a request body. */
async function drain(body: Readable): Promise<void> {
  if (body.readableEnded || body.destroyed) return;
  body.resume();
  await finished(body).catch(() => undefined);
}

/**
 * Salesforce's check that the data uses the job's line ending: a header ending in `\r` under LF
 * means CRLF data; a header holding `\n` under CRLF means LF data.
 */
function lineEndingProblem(dialect: CsvDialect, header: string[]): string | undefined {
  if (dialect.lineEnding === 'LF' && header[header.length - 1]?.endsWith('\r')) return jobFailures.lineEnding('LF');
  if (dialect.lineEnding === 'CRLF' && header.some((h) => h.includes('\n'))) return jobFailures.lineEnding('CRLF');
  return undefined;
}

function describeCsvError(dialect: CsvDialect, e: CsvError, header: string[] | null): string {
  const line = typeof e['lines'] === 'number' ? e['lines'] : undefined;
  switch (e.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const record = Array.isArray(e['record']) ? e['record'] : [];
      return jobFailures.malformedCsv(
        `line ${line ?? '?'} has ${record.length} column${record.length === 1 ? '' : 's'} but the header has ${header?.length ?? '?'}`,
      );
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return jobFailures.malformedCsv(`a quoted field is never closed (the data ends inside it, on line ${line ?? '?'})`);
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      // `"Name"\r\n` under LF: the quote is followed by the CR of the other line ending.
      if (dialect.lineEnding === 'LF' && /got "\r"/.test(e.message)) return jobFailures.lineEnding('LF');
      return jobFailures.malformedCsv(`unexpected character after a closing quote on line ${line ?? '?'}`);
    case 'INVALID_OPENING_QUOTE':
      return jobFailures.malformedCsv(`a quote inside an unquoted field on line ${line ?? '?'}`);
    default:
      return jobFailures.malformedCsv(e.message);
  }
}
