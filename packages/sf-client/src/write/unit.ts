/**
 * The shapes of the Unit of Work: a unit is records that succeed or fail together (one Quote and
 * its lines), committed as one composite graph.
 */
import type { ApiErrorDetail } from '../errors/salesforce-api-error.js';

/** A reference to another record of the same unit, resolved by Salesforce at commit: `@{quote.id}`. */
export function ref(referenceId: string, field = 'id'): string {
  return `@{${referenceId}.${field}}`;
}

interface UnitRecordBase {
  /**
   * Reference id of the record within its unit: letters, digits and `_`, starting with a letter
   * (Salesforce's rule), unique in the unit. Result ids are keyed by it.
   */
  ref: string;
  /** sObject API name. */
  type: string;
  /** Field values; strings made with {@link ref} point at records earlier in the unit. */
  fields: Record<string, unknown>;
}

/** A record to insert (the default operation). */
export interface CreateRecord extends UnitRecordBase {
  operation?: 'create';
}

/** A record to update by id. */
export interface UpdateRecord extends UnitRecordBase {
  operation: 'update';
  id: string;
}

/** A record to insert or update by an external id. */
export interface UpsertRecord extends UnitRecordBase {
  operation: 'upsert';
  externalIdField: string;
  externalId: string;
}

export type UnitRecord = CreateRecord | UpdateRecord | UpsertRecord;

/** Records committed all or none. */
export interface Unit {
  /**
   * The unit's idempotency key, unique among the units of a commit (e.g. `<jobId>:<opportunityId>`).
   * With `keyField` it is written to the root record, which is how a unit whose commit outcome was
   * lost is found again instead of being written twice.
   */
  key: string;
  /** The records; the first one is the unit's root. */
  records: UnitRecord[];
}

/** The error of a failed unit. */
export interface UnitError extends ApiErrorDetail {
  /** Reference id of the record that failed, when one did (not for request-wide failures). */
  referenceId?: string;
  /** HTTP status of that record or of the whole request. */
  status?: number;
}

export interface UnitResult {
  key: string;
  ok: boolean;
  /** Ids of the unit's records by reference id (all of them on success). */
  ids: Record<string, string>;
  /** Why the unit failed: the real error of the failing record, never `PROCESSING_HALTED`. */
  error?: UnitError;
  /**
   * The unit was found already written instead of being written by this call: its commit's answer
   * was lost and a retry looked it up, or an earlier run had written it. Ids of records that
   * cannot be traced back from the root (see the README) may be missing from `ids`.
   */
  recovered?: boolean;
  /** Requests this unit was sent in. */
  attempts: number;
  /**
   * The unit failed only with errors that prove nothing was written (503, row lock, concurrency
   * limit, halted unrun) until its attempts ran out: the org was unavailable, not the unit wrong.
   * A caller with a longer retry horizon (a job queue's backoff) should commit it again later
   * rather than report it failed.
   */
  retryable?: boolean;
}

/** Progress of a commit, reported after every request. */
export interface CommitProgress {
  total: number;
  /** Units with a final result. */
  done: number;
  succeeded: number;
  failed: number;
  /** Graph requests sent so far (retries included). */
  requests: number;
  /** Requests that were retries. */
  retries: number;
  /** Units found already written after an unknown outcome or a duplicate key. */
  recovered: number;
}

/** Options of `client.commitUnits`. */
export interface CommitUnitsOptions {
  /**
   * A unique external-id field of the units' root records that receives `unit.key` (e.g.
   * `Batch_Key__c` on Quote). Required for retrying after an unknown outcome: before resending,
   * the client queries which keys exist and reports those units as committed. Without it, units
   * whose request outcome is unknown fail with `OUTCOME_UNKNOWN` and are never resent.
   * @defaultValue undefined (no safe retry of unknown outcomes)
   */
  keyField?: string;
  /**
   * Graph requests in flight at once (each also takes a slot of the org's shared limiter).
   * @defaultValue 4
   */
  concurrency?: number;
  /**
   * Called after every request with the progress so far.
   */
  onProgress?: (progress: CommitProgress) => void;
  /**
   * Requests a unit may be sent in before its last retryable error becomes final.
   * @defaultValue the client's `retry.maxAttempts` (5)
   */
  maxAttempts?: number;
  /**
   * Most nodes per request. Salesforce's limit is 500; lower it to keep requests short.
   * @defaultValue 500
   */
  maxNodesPerRequest?: number;
  /**
   * Most graphs (units) per request. Salesforce's limit is 75. Not a limit of shared graphs.
   * @defaultValue 75
   */
  maxGraphsPerRequest?: number;
  /**
   * Put the units of a request in ONE composite graph (one transaction, up to 500 nodes) instead
   * of a graph each: for units of 3 records, 166 units per request instead of 75. A unit is still
   * written whole or not at all: when one fails, Salesforce rolls the whole graph back, the failing
   * unit gets its error and the others are resent at once, each in its own graph (one extra request
   * per failure). Worth it when failures are rare and requests are what costs (API calls, latency).
   * @defaultValue false
   */
  shareGraphs?: boolean;
  /**
   * With `keyField`: before sending anything, look up which unit keys are already written (one
   * query per 200 keys, then their children) and report those units written (`recovered`). For
   * reruns of work that may be partly or wholly written (a retried job): without it, each written
   * unit is only found when its root fails as a duplicate, at most 14 per request.
   * @defaultValue false
   */
  precheck?: boolean;
  /**
   * Stops the commit: once aborted, no further request is sent (a request already in flight
   * completes) and every unit without a result ends failed with `ABORTED`, `retryable: true` (a
   * later commit with `keyField` finds what the interrupted one wrote). For a worker's shutdown grace.
   */
  signal?: AbortSignal;
}
