/**
 * Public types of the SOQL engine.
 */
import type { Schema } from '../schema/schema.js';
import type { Sql } from '../storage/database.js';

/** What a query runs against. */
export interface SoqlContext {
  /** The org's data model; names in the query are resolved here (any case). */
  schema: Schema;
  /** Connection or transaction the query runs on. */
  sql: Sql;
  /** API version of the request, e.g. `'64.0'`; used in `attributes.url`. */
  apiVersion: string;
  /** Id of the running user (reserved for `USING SCOPE mine` and similar; not used yet). */
  userId: string;
  /**
   * Clock for date literals (`TODAY`, `LAST_N_DAYS:7`), evaluated in UTC.
   * @defaultValue `() => new Date()`
   */
  now?: () => Date;
}

/** Options of one query. */
export interface SoqlOptions {
  /**
   * Include soft-deleted rows (`IsDeleted = true`), as `/queryAll` does.
   * @defaultValue false
   */
  includeDeleted?: boolean;
}

/** One record of a result, shaped like Salesforce's JSON. */
export interface SoqlRecord {
  attributes: { type: string; url?: string };
  [field: string]: unknown;
}

/** A child relationship's value in a record (`null` when there are no children). */
export interface SoqlChildResult {
  totalSize: number;
  done: true;
  records: SoqlRecord[];
}

/** A whole query result, before paging. */
export interface SoqlResult {
  /** Number of rows; for `SELECT COUNT()` the count, with no records. */
  totalSize: number;
  records: SoqlRecord[];
}

/** One page as `/query` and `/query/<locator>` answer it. */
export interface QueryPage {
  totalSize: number;
  done: boolean;
  /** Path of the next page (`/services/data/vXX.X/query/01g…-2000`); absent on the last page. */
  nextRecordsUrl?: string;
  records: SoqlRecord[];
}
