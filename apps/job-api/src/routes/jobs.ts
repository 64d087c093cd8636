/**
 * Starting jobs (`executebatch`, `data/create`, `data/delete`) and following them
 * (`GET /api/jobs/:id`). A job is only visible to the org that created it.
 */
import { randomUUID } from 'node:crypto';
import type { Job, Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  dataJobStatus,
  batchKeySchema,
  quoteBatchPayload,
  quoteBatchStatus,
  sampleDataSchema,
  type OrgContext,
} from '@ecars/job-queue';
import type { WhereClauseValidation } from '@ecars/sf-client';
import { ApiError } from '../errors.js';
import { apiErrorResponses } from '../schemas.js';

/** Options of the job routes. */
export interface JobRoutesOptions {
  /** Opportunities per chunk job. */
  chunkSize: number;
  /** Checks a user-supplied WHERE clause over Opportunity; returns the reason when it is refused. */
  validateWhereClause: (clause: string) => WhereClauseValidation;
  /** How long to wait for Redis to take a job before answering 503. @defaultValue 5000 */
  enqueueTimeoutMs?: number;
  /** Status reads per org per window (their own budget: polling must not exhaust the job budget). */
  statusRateLimit: { max: number; windowMs: number };
}

/** An idempotency key: what `batchKeySchema` accepts (letters, digits, `_ . -`, 1 to 40). */
const BATCH_KEY_PATTERN = '^[A-Za-z0-9_.-]{1,40}$';

/** Rejects when `promise` has not settled after `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Attempts, backoff and retention of every job the API creates. */
export const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  // Finished jobs stay visible to GET /api/jobs/:id for a day (and the last 1,000), failed ones a week.
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

export async function jobRoutes(app: FastifyInstance, opts: JobRoutesOptions): Promise<void> {
  const enqueue = async (reply: FastifyReply, queue: Queue, data: unknown, extra: Record<string, unknown> = {}): Promise<FastifyReply> => {
    const jobId = randomUUID();
    try {
      await withTimeout(queue.add((data as { kind: string }).kind, data, { ...JOB_OPTIONS, jobId }), opts.enqueueTimeoutMs ?? 5000);
    } catch (err) {
      reply.log.error({ err: (err as Error).message }, 'could not enqueue job');
      throw new ApiError('QUEUE_UNAVAILABLE');
    }
    reply.log.info({ jobId, kind: (data as { kind: string }).kind, orgId: (data as { org: OrgContext }).org.orgId }, 'job accepted');
    return reply.code(202).send({ jobId, ...extra });
  };
  const orgOf = (org: OrgContext | null): OrgContext => {
    if (!org) throw new ApiError('CLIENT_CONTEXT_MISSING');
    return org;
  };

  app.post<{ Body: { soqlWhereClause: string; batchKey?: string }; Headers: { 'idempotency-key'?: string } }>(
    '/api/executebatch',
    {
      schema: {
        operationId: 'executeBatch',
        tags: ['Pricing Engine'],
        summary: 'Submit Batch Pricing Job',
        description:
          'Price the Opportunities selected by the SOQL WHERE clause and write a Quote with its QuoteLineItems for each, in chunks shared by the worker processes. ' +
          'Send an idempotency key (the Idempotency-Key header or the batchKey field) to make a resubmission safe: every quote carries <key>:<opportunityId>, ' +
          'so resubmitting the same key (after a failure, or if the job was lost) quotes only the opportunities without one and writes nothing twice. ' +
          'Without a key the job id is the key: a resubmission is a new batch and writes a second quote for every opportunity the first one quoted.',
        headers: {
          type: 'object',
          properties: {
            'idempotency-key': {
              type: 'string',
              pattern: BATCH_KEY_PATTERN,
              description: 'Idempotency key of the batch (letters, digits, _ . -, 1 to 40); same as the batchKey field',
            },
          },
        },
        body: { $ref: 'BatchExecutionRequest#' },
        response: { 202: { $ref: 'BatchAccepted#' }, ...apiErrorResponses },
      },
    },
    async (req, reply) => {
      const org = orgOf(req.org);
      const header = req.headers['idempotency-key'];
      const field = req.body.batchKey;
      if (header !== undefined && field !== undefined && header !== field) throw new ApiError('BATCH_KEY_CONFLICT', header, field);
      const batchKey = batchKeySchema.optional().parse(header ?? field);
      const clause = req.body.soqlWhereClause.trim();
      const verdict = opts.validateWhereClause(clause);
      if (!verdict.ok) throw new ApiError('INVALID_WHERE_CLAUSE', verdict.reason);
      // Validated once, here; the job carries the clause re-composed from its parse tree, so what
      // runs is exactly what was validated (the worker validates it again as it reads the job).
      const data = quoteBatchPayload({
        org,
        soqlWhereClause: verdict,
        chunkSize: opts.chunkSize,
        requestedAt: new Date().toISOString(),
        ...(batchKey ? { batchKey } : {}),
      });
      return enqueue(reply, app.queues.quoteBatches, data, { resumable: batchKey !== undefined, ...(batchKey ? { batchKey } : {}) });
    },
  );

  app.post<{ Querystring: { numberOfOpportunities: number } }>(
    '/api/data/create',
    {
      schema: {
        operationId: 'datacreate',
        tags: ['Sample Data'],
        summary: 'Submit Sample Data Creation Job',
        description: 'Create sample Opportunities (2 products each) across the seeded accounts with Bulk API 2.0.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            numberOfOpportunities: {
              type: 'integer',
              minimum: 1,
              maximum: 1_000_000,
              default: 10,
              description: 'How many Opportunities to create (1 to 1,000,000)',
            },
          },
        },
        response: { 202: { $ref: 'JobAccepted#' }, ...apiErrorResponses },
      },
    },
    async (req, reply) => {
      // The schema coerces the query string ('0x10' → 16, ' 5' → 5): only plain decimal digits are a number here.
      const raw = new URLSearchParams(req.url.split('?')[1] ?? '').get('numberOfOpportunities');
      if (raw !== null && !/^[0-9]+$/.test(raw)) {
        throw new ApiError('BAD_REQUEST', `querystring/numberOfOpportunities must be a whole number in decimal digits, got ${JSON.stringify(raw)}`);
      }
      const data = sampleDataSchema.parse({
        kind: 'data-create',
        org: orgOf(req.org),
        numberOfOpportunities: req.query.numberOfOpportunities,
        requestedAt: new Date().toISOString(),
      });
      return enqueue(reply, app.queues.sampleData, data);
    },
  );

  app.post(
    '/api/data/delete',
    {
      schema: {
        operationId: 'datadelete',
        tags: ['Sample Data'],
        summary: 'Submit Sample Data Deletion Job',
        description: 'Permanently delete the sample Opportunities (and their quotes) with Bulk API 2.0.',
        response: { 202: { $ref: 'JobAccepted#' }, ...apiErrorResponses },
      },
    },
    async (req, reply) => {
      const data = sampleDataSchema.parse({ kind: 'data-delete', org: orgOf(req.org), requestedAt: new Date().toISOString() });
      return enqueue(reply, app.queues.sampleData, data);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/jobs/:id',
    {
      schema: {
        operationId: 'jobStatus',
        tags: ['Jobs'],
        summary: 'Job status',
        description: 'State, progress, counts, a sample of errors with their Salesforce codes, timings and API calls used.',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 100 } } },
        response: { 200: { $ref: 'JobStatus#' }, 404: { $ref: 'Error#' }, ...apiErrorResponses },
      },
      // Polling has its own, higher budget: `--wait` and the demo poll every second or so.
      config: { rateLimit: { max: opts.statusRateLimit.max, timeWindow: opts.statusRateLimit.windowMs } },
    },
    async (req) => {
      const org = orgOf(req.org);
      // Bounded like an enqueue: a Redis that does not answer is a 503, not a hung request.
      const find = async (q: Queue): Promise<Job | undefined> => withTimeout(q.getJob(req.params.id), opts.enqueueTimeoutMs ?? 5000).catch(() => {
        throw new ApiError('QUEUE_UNREACHABLE');
      });
      const batch = await find(app.queues.quoteBatches);
      const job = batch ?? (await find(app.queues.sampleData));
      // Another org's job is "not found": its existence is not this caller's business.
      if (!job || (job.data as { org?: { orgId?: string } }).org?.orgId !== org.orgId) {
        throw new ApiError('JOB_NOT_FOUND', req.params.id);
      }
      return batch ? quoteBatchStatus(job) : dataJobStatus(job);
    },
  );
}
