/**
 * Server-side query cursors for `/query` → `nextRecordsUrl` → `/query/<locator>` paging.
 *
 * A locator looks like Salesforce's: an 18-character `01g…` id, a dash and the offset of the next
 * record (`01gD0000002HU6KIAW-2000`). A cursor lives `ttlMs` after its last use (Salesforce keeps
 * them about 15 minutes) and at most `maxOpen` are kept; opening one more evicts the oldest. A
 * cursor is closed once its last page has been served.
 *
 * Page size rule: a page holds up to `batchSize` rows, where a record counts as 1 plus the number of
 * records in each of its child relationships (Salesforce counts child rows toward the batch too,
 * which is why queries with subqueries return smaller pages). A page always holds at least one
 * record, so a record with more children than the batch is still returned whole.
 */
import { SalesforceError } from '../errors.js';
import { makeId } from '../ids.js';
import type { QueryPage, SoqlRecord, SoqlResult } from './types.js';

/** Salesforce's default and bounds of `Sforce-Query-Options: batchSize`. */
export const BATCH_SIZE = { default: 2000, min: 200, max: 2000 } as const;

/** Options of {@link QueryCursors}. */
export interface QueryCursorsOptions {
  /**
   * How long an unused cursor stays valid.
   * @defaultValue 15 minutes
   */
  ttlMs?: number;
  /**
   * Most cursors kept at once; opening one more evicts the least recently used.
   * @defaultValue 100
   */
  maxOpen?: number;
  /**
   * Clock in epoch milliseconds (tests).
   * @defaultValue `Date.now`
   */
  now?: () => number;
}

interface Cursor {
  records: SoqlRecord[];
  totalSize: number;
  batchSize: number;
  apiVersion: string;
  queryAll: boolean;
  expiresAt: number;
}

/** Rows a record weighs in a page: itself plus its child relationship records. */
function weight(record: SoqlRecord): number {
  let n = 1;
  for (const value of Object.values(record)) {
    if (value && typeof value === 'object' && 'records' in value && Array.isArray((value as { records: unknown }).records)) {
      n += (value as { records: unknown[] }).records.length;
    }
  }
  return n;
}

/** The clamped batch size: default when absent or not a number, else within [200, 2000]. */
export function clampBatchSize(batchSize: number | undefined): number {
  if (batchSize === undefined || !Number.isFinite(batchSize)) return BATCH_SIZE.default;
  return Math.min(BATCH_SIZE.max, Math.max(BATCH_SIZE.min, Math.floor(batchSize)));
}

const invalidLocator = (): SalesforceError => new SalesforceError('INVALID_QUERY_LOCATOR', 'invalid query locator', 400);

/**
 * The open query cursors of one org.
 *
 * @example
 * ```ts
 * const cursors = new QueryCursors();
 * const page = cursors.firstPage(await executeSoql(ctx, soql), 2000, '64.0', false);
 * // later: cursors.nextPage(locatorFrom(page.nextRecordsUrl))
 * ```
 */
export class QueryCursors {
  readonly #cursors = new Map<string, Cursor>();
  readonly #ttlMs: number;
  readonly #maxOpen: number;
  readonly #now: () => number;
  #serial = 0;

  constructor(opts: QueryCursorsOptions = {}) {
    this.#ttlMs = opts.ttlMs ?? 15 * 60_000;
    this.#maxOpen = Math.max(1, opts.maxOpen ?? 100);
    this.#now = opts.now ?? Date.now;
  }

  /** Number of open cursors (after dropping expired ones). */
  get size(): number {
    this.#sweep();
    return this.#cursors.size;
  }

  /** Closes every cursor (an org reset). */
  clear(): void {
    this.#cursors.clear();
  }

  /**
   * The first page of `result`; opens a cursor when more pages remain.
   * @param batchSize - Requested page size; clamped to 200..2000, default 2000.
   * @param apiVersion - Version for `nextRecordsUrl`.
   * @param queryAll - The result came from `/queryAll` (the next page URL uses it too).
   */
  firstPage(result: SoqlResult, batchSize: number | undefined, apiVersion: string, queryAll: boolean): QueryPage {
    this.#sweep();
    const cursor: Cursor = {
      records: result.records,
      totalSize: result.totalSize,
      batchSize: clampBatchSize(batchSize),
      apiVersion,
      queryAll,
      expiresAt: this.#now() + this.#ttlMs,
    };
    const { records, next } = this.#slice(cursor, 0);
    if (next === undefined) return { totalSize: result.totalSize, done: true, records };
    while (this.#cursors.size >= this.#maxOpen) {
      const oldest = this.#cursors.keys().next().value;
      if (oldest === undefined) break;
      this.#cursors.delete(oldest);
    }
    const id = makeId('01g', ++this.#serial);
    this.#cursors.set(id, cursor);
    return this.#page(id, cursor, records, next);
  }

  /**
   * The page at `locator` (`01g…-2000`).
   * @throws SalesforceError INVALID_QUERY_LOCATOR for an unknown, expired or malformed locator.
   */
  nextPage(locator: string): QueryPage {
    this.#sweep();
    const m = /^(01g[a-zA-Z0-9]{15})-(\d+)$/.exec(locator);
    if (!m) throw invalidLocator();
    const id = m[1] as string;
    const offset = Number(m[2]);
    const cursor = this.#cursors.get(id);
    if (!cursor || offset >= cursor.records.length) throw invalidLocator();
    // Touch: most recently used goes last, and the TTL restarts.
    this.#cursors.delete(id);
    cursor.expiresAt = this.#now() + this.#ttlMs;
    const { records, next } = this.#slice(cursor, offset);
    if (next === undefined) return { totalSize: cursor.totalSize, done: true, records };
    this.#cursors.set(id, cursor);
    return this.#page(id, cursor, records, next);
  }

  #page(id: string, cursor: Cursor, records: SoqlRecord[], next: number): QueryPage {
    const resource = cursor.queryAll ? 'queryAll' : 'query';
    return {
      totalSize: cursor.totalSize,
      done: false,
      nextRecordsUrl: `/services/data/v${cursor.apiVersion}/${resource}/${id}-${next}`,
      records,
    };
  }

  /** Records of the page starting at `offset`, and the next offset (undefined on the last page). */
  #slice(cursor: Cursor, offset: number): { records: SoqlRecord[]; next: number | undefined } {
    let end = offset;
    let used = 0;
    while (end < cursor.records.length) {
      const w = weight(cursor.records[end] as SoqlRecord);
      if (end > offset && used + w > cursor.batchSize) break;
      used += w;
      end++;
    }
    return { records: cursor.records.slice(offset, end), next: end < cursor.records.length ? end : undefined };
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, c] of this.#cursors) if (c.expiresAt <= now) this.#cursors.delete(id);
  }
}
