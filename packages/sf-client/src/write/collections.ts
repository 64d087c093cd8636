/**
 * sObject Collections (`/composite/sobjects`): independent records, up to 200 per call, with the
 * `allOrNone` choice applying to each call of 200 (Salesforce cannot span a transaction across
 * calls; use the unit of work when records must commit together).
 *
 * Retry safety per operation:
 * - create: retried only when the failure proves nothing was written. When the answer is lost
 *   the records of that call get `OUTCOME_UNKNOWN` and are not resent — a blind resend could
 *   insert them twice. To create with safe retries, upsert on an external id instead.
 * - update and upsert by external id: idempotent (the same values written again), retried on
 *   any transient failure. After a lost answer, `created` of an upsert may read false for a record
 *   this call created.
 * - delete: retried; a record reported `ENTITY_IS_DELETED` after a lost answer was deleted by the
 *   lost attempt and counts as deleted.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClientCore } from '../client/client-core.js';
import { ClientErrorCode } from '../errors/error-codes.js';
import { SalesforceApiError, type ApiErrorDetail } from '../errors/salesforce-api-error.js';
import { mapWithConcurrency } from '../http/limiter.js';
import { backoffDelay, classifyError } from '../http/retry.js';

/** Salesforce's per-call limit. */
export const COLLECTION_LIMIT = 200;

export interface SaveResult {
  id: string | null;
  success: boolean;
  errors: ApiErrorDetail[];
  /** Upsert only: the record was inserted. */
  created?: boolean;
}

export interface CollectionOptions {
  /**
   * Roll back every record of a call of 200 when one fails.
   * @defaultValue false
   */
  allOrNone?: boolean;
  /**
   * Calls of 200 in flight at once.
   * @defaultValue 4
   */
  concurrency?: number;
}

/** A record to write: its fields (and `Id` for updates). */
export type RecordInput = Record<string, unknown>;

interface WireResult {
  id?: string | null;
  success: boolean;
  created?: boolean;
  errors?: Array<{ statusCode?: string; errorCode?: string; message?: string; fields?: string[] }>;
}

type Operation = 'create' | 'update' | 'upsert' | 'delete';

export async function createRecords(core: ClientCore, type: string, records: RecordInput[], options: CollectionOptions = {}) {
  return runChunks(core, 'create', records, options, (chunk) => ({
    method: 'POST',
    path: core.dataPath('/composite/sobjects'),
    json: { allOrNone: options.allOrNone ?? false, records: chunk.map((r) => withType(type, r)) },
  }));
}

export async function updateRecords(core: ClientCore, type: string, records: RecordInput[], options: CollectionOptions = {}) {
  return runChunks(core, 'update', records, options, (chunk) => ({
    method: 'PATCH',
    path: core.dataPath('/composite/sobjects'),
    json: { allOrNone: options.allOrNone ?? false, records: chunk.map((r) => withType(type, r)) },
  }));
}

export async function upsertRecords(
  core: ClientCore,
  type: string,
  externalIdField: string,
  records: RecordInput[],
  options: CollectionOptions = {},
) {
  return runChunks(core, 'upsert', records, options, (chunk) => ({
    method: 'PATCH',
    path: core.dataPath(`/composite/sobjects/${encodeURIComponent(type)}/${encodeURIComponent(externalIdField)}`),
    json: { allOrNone: options.allOrNone ?? false, records: chunk.map((r) => withType(type, r)) },
  }));
}

export async function deleteRecords(core: ClientCore, ids: string[], options: CollectionOptions = {}) {
  return runChunks(core, 'delete', ids, options, (chunk) => ({
    method: 'DELETE',
    path: core.dataPath(`/composite/sobjects?ids=${chunk.map(encodeURIComponent).join(',')}&allOrNone=${options.allOrNone ?? false}`),
  }));
}

function withType(type: string, record: RecordInput): RecordInput {
  return { attributes: { type }, ...record };
}

type Spec = { method: 'POST' | 'PATCH' | 'DELETE'; path: string; json?: unknown };

async function runChunks<T>(
  core: ClientCore,
  operation: Operation,
  items: T[],
  options: CollectionOptions,
  specOf: (chunk: T[]) => Spec,
): Promise<SaveResult[]> {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += COLLECTION_LIMIT) chunks.push(items.slice(i, i + COLLECTION_LIMIT));
  const results = await mapWithConcurrency(chunks, options.concurrency ?? 4, (chunk) => runChunk(core, operation, chunk, options, specOf));
  return results.flat();
}

async function runChunk<T>(
  core: ClientCore,
  operation: Operation,
  chunk: T[],
  options: CollectionOptions,
  specOf: (chunk: T[]) => Spec,
): Promise<SaveResult[]> {
  // Delete resends only what is still pending: after a lost answer, some ids may already be gone.
  let pending = chunk.map((_, i) => i);
  const final: Array<SaveResult | undefined> = new Array(chunk.length);
  let lostAnswer = false;
  const maxAttempts = core.retryOptions.maxAttempts;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 1) core.countRetry();
    try {
      const { body } = await core.send<WireResult[]>(specOf(pending.map((i) => chunk[i] as T)));
      const answers = (body ?? []).map(toSaveResult);
      const next: number[] = [];
      pending.forEach((index, k) => {
        const result = answers[k] ?? failure('UNEXPECTED_RESPONSE', 'Salesforce returned fewer results than records sent');
        if (operation === 'delete' && lostAnswer && !result.success && result.errors[0]?.errorCode === 'ENTITY_IS_DELETED') {
          final[index] = { id: String(chunk[index]), success: true, errors: [] };
        } else if (
          operation === 'delete' &&
          lostAnswer &&
          result.errors[0]?.errorCode === 'ALL_OR_NONE_OPERATION_ROLLED_BACK' &&
          answers.some((a) => a.errors[0]?.errorCode === 'ENTITY_IS_DELETED') &&
          attempt < maxAttempts
        ) {
          next.push(index);
        } else {
          final[index] = result;
        }
      });
      pending = next;
    } catch (error) {
      const retryability = classifyError(error);
      const idempotent = operation !== 'create';
      const retryable = retryability === 'not-applied' || (retryability === 'unknown-outcome' && idempotent);
      if (retryable && attempt < maxAttempts) {
        if (retryability === 'unknown-outcome') lostAnswer = true;
        const delay = backoffDelay(attempt, core.retryOptions, error instanceof SalesforceApiError ? error.retryAfterMs : undefined);
        core.logger.warn({ operation, records: pending.length, attempt, delayMs: delay, error: describe(error) }, 'salesforce: retrying collection call');
        await sleep(delay);
        continue;
      }
      const detail: ApiErrorDetail =
        retryability === 'unknown-outcome' && !idempotent
          ? {
              errorCode: ClientErrorCode.OUTCOME_UNKNOWN,
              message: `the answer to this create was lost (${describe(error)}); the records may or may not exist. Not resent: a resend could duplicate them. Use upsert on an external id for safe retries.`,
              fields: [],
            }
          : { errorCode: errorCodeOf(error), message: (error as Error).message, fields: [] };
      for (const index of pending) final[index] = { id: null, success: false, errors: [detail] };
      pending = [];
    }
  }
  return final.map((r) => r ?? failure('UNEXPECTED_RESPONSE', 'no result'));
}

function toSaveResult(wire: WireResult): SaveResult {
  return {
    id: wire.id ?? null,
    success: wire.success === true,
    errors: (wire.errors ?? []).map((e) => ({
      errorCode: String(e.statusCode ?? e.errorCode ?? 'UNKNOWN_ERROR'),
      message: String(e.message ?? ''),
      fields: e.fields ?? [],
    })),
    ...(wire.created !== undefined ? { created: wire.created } : {}),
  };
}

function failure(errorCode: string, message: string): SaveResult {
  return { id: null, success: false, errors: [{ errorCode, message, fields: [] }] };
}

function errorCodeOf(error: unknown): string {
  const code = (error as { errorCode?: unknown }).errorCode;
  return typeof code === 'string' ? code : 'UNKNOWN_ERROR';
}

function describe(error: unknown): string {
  const e = error as { errorCode?: string; code?: string; message?: string };
  return `${e.errorCode ?? e.code ?? 'error'}: ${e.message ?? String(error)}`;
}
