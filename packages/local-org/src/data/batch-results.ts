/**
 * Bookkeeping of a batch write: `results[i]` stays undefined while record `i` is still going, and
 * becomes its failure (or success) once decided; every step only looks at the records still going.
 */
import { SalesforceError } from '../errors.js';
import type { Row, WriteResult } from './store-types.js';

/** The failure result of a Salesforce error; anything else is a defect and is thrown on. */
export function failure(e: unknown): WriteResult {
  if (e instanceof SalesforceError) return { ok: false, error: e };
  throw e;
}

/** The rows still going, with their index in the batch. */
export function live(rows: (Row | undefined)[], results: (WriteResult | undefined)[]): { i: number; row: Row }[] {
  return rows.flatMap((row, i) => (row && !results[i] ? [{ i, row }] : []));
}

/** The ids of the rows still going. */
export function liveIds(rows: (Row | undefined)[], results: (WriteResult | undefined)[]): string[] {
  return live(rows, results).map(({ row }) => row['Id'] as string);
}
