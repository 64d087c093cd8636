/** Shared JSON schemas (registered with `addSchema`, referenced by `$ref`), named as in the OpenAPI document. */
export const jobAcceptedSchema = {
  $id: 'JobAccepted',
  type: 'object',
  description: 'The job was queued; follow it with GET /api/jobs/{jobId}.',
  required: ['jobId'],
  properties: {
    jobId: { type: 'string', format: 'uuid', description: 'Unique id of the queued job' },
  },
} as const;

export const batchAcceptedSchema = {
  $id: 'BatchAccepted',
  type: 'object',
  description: 'The batch was queued; follow it with GET /api/jobs/{jobId}.',
  required: ['jobId', 'resumable'],
  properties: {
    jobId: { type: 'string', format: 'uuid', description: 'Unique id of the queued job' },
    batchKey: { type: 'string', description: 'The idempotency key the quotes carry (<batchKey>:<opportunityId>), when one was sent' },
    resumable: {
      type: 'boolean',
      description:
        'true when an idempotency key was sent: resubmitting it quotes only what has no quote yet. false: a resubmission is a new batch and quotes every opportunity again.',
    },
  },
} as const;

export const batchExecutionRequestSchema = {
  $id: 'BatchExecutionRequest',
  type: 'object',
  description: 'Price the Opportunities matching a SOQL WHERE clause into Quotes.',
  required: ['soqlWhereClause'],
  additionalProperties: false,
  properties: {
    soqlWhereClause: {
      type: 'string',
      minLength: 1,
      maxLength: 4000,
      description: "A SOQL WHERE clause over Opportunity, e.g. Name LIKE 'Sample Opportunity%'",
    },
    batchKey: {
      type: 'string',
      pattern: '^[A-Za-z0-9_.-]{1,40}$',
      description: 'Idempotency key (letters, digits, _ . -, 1 to 40): a resubmission with the same key writes no quote twice. Same as the Idempotency-Key header.',
    },
  },
} as const;

export const jobStatusSchema = {
  $id: 'JobStatus',
  type: 'object',
  required: ['jobId', 'kind', 'state', 'progress', 'counts', 'errors', 'apiCalls', 'timings'],
  properties: {
    jobId: { type: 'string' },
    kind: { type: 'string', enum: ['quote-batch', 'data-create', 'data-delete'] },
    state: { type: 'string', description: 'waiting, active, waiting-children, delayed, completed or failed' },
    progress: { type: 'integer', minimum: 0, maximum: 100 },
    counts: {
      type: 'object',
      required: ['found', 'priced', 'quoted', 'failed', 'skipped'],
      properties: {
        found: { type: 'integer' },
        priced: { type: 'integer' },
        quoted: { type: 'integer' },
        failed: { type: 'integer' },
        skipped: { type: 'integer' },
      },
    },
    errors: {
      type: 'array',
      description: 'A sample of failed records with their Salesforce error codes',
      items: {
        type: 'object',
        required: ['recordId', 'errorCode', 'message'],
        properties: { recordId: { type: 'string', nullable: true }, errorCode: { type: 'string' }, message: { type: 'string' } },
      },
    },
    apiCalls: { type: 'integer', description: 'Salesforce API calls the job has made' },
    timings: {
      type: 'object',
      properties: {
        createdAt: { type: 'string', format: 'date-time' },
        startedAt: { type: 'string', format: 'date-time', nullable: true },
        finishedAt: { type: 'string', format: 'date-time', nullable: true },
        elapsedMs: { type: 'integer', nullable: true },
        phases: {
          type: 'object',
          description: 'A quote batch: ms spent finding the opportunities, pricing and writing, finishing (null until reached)',
          properties: {
            findingMs: { type: 'integer', nullable: true },
            writingMs: { type: 'integer', nullable: true },
            finishingMs: { type: 'integer', nullable: true },
          },
        },
      },
    },
    failedReason: { type: 'string', nullable: true },
  },
} as const;

export const SHARED_SCHEMAS = [jobAcceptedSchema, batchAcceptedSchema, batchExecutionRequestSchema, jobStatusSchema];

/** Error responses every `/api` route can give. */
export const apiErrorResponses = {
  400: { $ref: 'Error#' },
  401: { $ref: 'Error#' },
  413: { $ref: 'Error#' },
  429: { $ref: 'Error#' },
  503: { $ref: 'Error#' },
} as const;
