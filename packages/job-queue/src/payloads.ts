/**
 * What travels in a job. Validated with zod at both ends: the API when it enqueues, the worker
 * when it dequeues (a job written by an older or newer version fails clearly, not halfway).
 */
import { z } from 'zod';

/**
 * The Salesforce connection a job runs with: the identity of the org and user that asked, and the
 * short-lived access token AppLink gave the request. The token is a secret: it lives in Redis with
 * the job and must never be logged (see `REDACT_PATHS`).
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

/** `POST /api/executebatch`: price the opportunities matching a WHERE clause into quotes. */
export const quoteBatchSchema = z.object({
  kind: z.literal('quote-batch'),
  org: orgContextSchema,
  /** Validated WHERE clause over Opportunity (no LIMIT, ORDER BY, subquery or second FROM). */
  soqlWhereClause: z.string().min(1).max(4000),
  /** Opportunities per chunk job; at most 500 because a chunk's ids travel in its query's URL (16 KB limit). */
  chunkSize: z.number().int().min(1).max(500),
  requestedAt: z.string(),
});
export type QuoteBatchData = z.infer<typeof quoteBatchSchema>;

/** One slice of a batch, processed by any worker. */
export const quoteChunkSchema = z.object({
  kind: z.literal('quote-chunk'),
  org: orgContextSchema,
  batchId: z.string().min(1),
  opportunityIds: z.array(z.string().min(15).max(18)).min(1),
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

/**
 * Pino redaction paths for anything that may carry a job's data: the access token never reaches
 * a log line.
 */
export const REDACT_PATHS = [
  'org.accessToken',
  '*.org.accessToken',
  'data.org.accessToken',
  'job.data.org.accessToken',
  'accessToken',
  '*.accessToken',
  'req.headers["x-client-context"]',
  'req.headers.authorization',
  'headers["x-client-context"]',
  'headers.authorization',
];
