/**
 * What travels in a job. Validated with zod at both ends: the API when it enqueues, the worker
 * when it dequeues (a job written by an older or newer version fails clearly, not halfway).
 */
import { MAX_WHERE_CLAUSE_LENGTH, validateWhereClause, type ValidWhereClause } from '@ecars/sf-client';
import { z } from 'zod';

/**
 * The Salesforce connection a job runs with: the identity of the org and user that asked, and the
 * short-lived access token AppLink gave the request. The token is a secret: it lives in Redis with
 * the job and must never be logged: every app's logger redacts it with `LOG_REDACTION` of
 * `@ecars/sf-client`, the one list of credential paths (it covers `org.accessToken` in the places a
 * payload is logged).
 */
export const orgContextSchema = z.object({
  instanceUrl: z.string().url(),
  accessToken: z.string().min(1),
  apiVersion: z.string().regex(/^\d+\.\d$/),
  orgId: z.string().min(15).max(18),
  userId: z.string().min(15).max(18),
  username: z.string().min(1),
  namespace: z.string().optional(),
  requestId: z.string().optional(),
});
export type OrgContext = z.infer<typeof orgContextSchema>;

/**
 * Opportunity ids per range of a chunk. A chunk reads each range with one query (a composite
 * subrequest), and a query's first page holds 2,000 rows with the child rows counted: 498
 * opportunities of up to 3 lines each fit one page. 498 = 3 × 166, the Quotes with 2 lines that
 * fill a 500-node graph request, so chunks of whole ranges leave no half-empty request behind.
 */
export const CHUNK_RANGE_SIZE = 498;
/** Ranges per chunk: Salesforce runs at most 5 queries in one `/composite` call. */
export const MAX_RANGES_PER_CHUNK = 5;
/** The largest chunk, and the default: one `/composite` call reads all of it (5 ranges of 498). */
export const MAX_CHUNK_SIZE = CHUNK_RANGE_SIZE * MAX_RANGES_PER_CHUNK;

/**
 * A WHERE clause over Opportunity as it travels in a job: text on the wire, a
 * {@link ValidWhereClause} once parsed. This is the one place a worker validates a clause again: a
 * job may have been written by anything that can write to Redis, and a validated value does not
 * survive serialization. The API validates once and serializes `normalized` (see
 * {@link quoteBatchPayload}); parsing a job's data with the schemas below yields the validated value.
 */
export const opportunityWhereClauseSchema = z
  .string()
  .min(1)
  .max(MAX_WHERE_CLAUSE_LENGTH)
  .transform((clause, ctx): ValidWhereClause => {
    const verdict = validateWhereClause('Opportunity', clause);
    if (verdict.ok) return verdict;
    ctx.addIssue({ code: 'custom', message: `invalid soqlWhereClause: ${verdict.reason}` });
    return z.NEVER;
  });

/**
 * A caller's idempotency key for a batch (`Idempotency-Key` header or `batchKey` field): the quotes
 * carry `<batchKey>:<opportunityId>`, so a resubmission with the same key (after the queue was
 * lost, or a failure) finds what was written and writes only the rest. 40 characters keep the
 * unit key within `Quote.Batch_Key__c`'s 80; no `:` (the unit key's separator).
 */
export const batchKeySchema = z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'letters, digits, _ . - (1 to 40)');

/** `POST /api/executebatch`: price the opportunities matching a WHERE clause into quotes. */
export const quoteBatchSchema = z.object({
  kind: z.literal('quote-batch'),
  org: orgContextSchema,
  /** WHERE clause over Opportunity (no LIMIT, ORDER BY or second FROM), validated again when read. */
  soqlWhereClause: opportunityWhereClauseSchema,
  /** Opportunities per chunk job (see `MAX_CHUNK_SIZE`). */
  chunkSize: z.number().int().min(1).max(MAX_CHUNK_SIZE),
  requestedAt: z.string(),
  /** The caller's idempotency key; without one the job id is the batch key (a resubmission is a new batch). */
  batchKey: batchKeySchema.optional(),
});
/** A quote batch job's data as the worker reads it (the clause validated). */
export type QuoteBatchData = z.output<typeof quoteBatchSchema>;
/** A quote batch job's data as it is written to Redis. */
export type QuoteBatchPayload = z.input<typeof quoteBatchSchema>;

/** The data of a quote batch job for a clause the caller validated (nothing is validated twice). */
export function quoteBatchPayload(data: Omit<QuoteBatchData, 'kind'>): QuoteBatchPayload {
  return { ...data, kind: 'quote-batch', soqlWhereClause: data.soqlWhereClause.normalized };
}

/** A 15- or 18-character Salesforce Id (letters and digits only: safe inside a SOQL string). */
const salesforceId = z.string().regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'a 15- or 18-character Salesforce Id');

/** Opportunities `first`..`last` (inclusive, in `ORDER BY Id` order) that matched the clause when the batch was planned. */
export const idRangeSchema = z.object({
  first: salesforceId,
  last: salesforceId,
  /** How many matched then (the chunk reports what it finds now). */
  count: z.number().int().min(1).max(CHUNK_RANGE_SIZE),
});
export type IdRange = z.infer<typeof idRangeSchema>;

/**
 * One slice of a batch, processed by any worker: the batch's clause restricted to a few Id ranges
 * (PK chunking), so the job stays small in Redis and its queries short whatever the chunk size.
 */
export const quoteChunkSchema = z.object({
  kind: z.literal('quote-chunk'),
  org: orgContextSchema,
  batchId: z.string().min(1),
  /** The first part of the chunk's unit keys: the caller's key, or the batch's job id. @defaultValue batchId */
  batchKey: batchKeySchema.optional(),
  /** The batch key came from the caller: an earlier submission may have written some quotes, so look first. */
  callerKey: z.boolean().optional(),
  /** The batch's WHERE clause, applied again by the chunk (validated again when read). */
  soqlWhereClause: opportunityWhereClauseSchema,
  ranges: z.array(idRangeSchema).min(1).max(MAX_RANGES_PER_CHUNK),
});
/** A chunk job's data as the worker reads it (the clause validated). */
export type QuoteChunkData = z.output<typeof quoteChunkSchema>;
/** A chunk job's data as it is written to Redis. */
export type QuoteChunkPayload = z.input<typeof quoteChunkSchema>;

/** The data of a chunk job of a batch whose clause was validated. */
export function quoteChunkPayload(data: Omit<QuoteChunkData, 'kind'>): QuoteChunkPayload {
  return { ...data, kind: 'quote-chunk', soqlWhereClause: data.soqlWhereClause.normalized };
}

/** `POST /api/data/create` and `POST /api/data/delete`. */
export const sampleDataSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('data-create'),
    org: orgContextSchema,
    numberOfOpportunities: z.number().int().min(1).max(1_000_000),
    requestedAt: z.string(),
  }),
  z.object({
    kind: z.literal('data-delete'),
    org: orgContextSchema,
    requestedAt: z.string(),
  }),
]);
export type SampleDataData = z.infer<typeof sampleDataSchema>;
