/**
 * What travels in a job. Validated with zod at both ends: the API when it enqueues, the worker
 * when it dequeues (a job written by an older or newer version fails clearly, not halfway).
 */
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

/** `POST /api/executebatch`: price the opportunities matching a WHERE clause into quotes. */
export const quoteBatchSchema = z.object({
  kind: z.literal('quote-batch'),
  org: orgContextSchema,
  /** Validated WHERE clause over Opportunity (no LIMIT, ORDER BY, subquery or second FROM). */
  soqlWhereClause: z.string().min(1).max(4000),
  /** Opportunities per chunk job (see `MAX_CHUNK_SIZE`). */
  chunkSize: z.number().int().min(1).max(MAX_CHUNK_SIZE),
  requestedAt: z.string(),
});
export type QuoteBatchData = z.infer<typeof quoteBatchSchema>;

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
  /** The batch's validated WHERE clause, applied again by the chunk. */
  soqlWhereClause: z.string().min(1).max(4000),
  ranges: z.array(idRangeSchema).min(1).max(MAX_RANGES_PER_CHUNK),
});
export type QuoteChunkData = z.infer<typeof quoteChunkSchema>;

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
