/**
 * The API's error catalogue: every error the API answers with has a code, a status and a message
 * template here, and every response body has the same shape:
 * `{ "statusCode": 401, "code": "CLIENT_CONTEXT_MISSING", "error": "Unauthorized", "message": "…" }`.
 */
const CATALOGUE = {
  CLIENT_CONTEXT_MISSING: {
    status: 401,
    message: 'The x-client-context header is missing: call this API through Heroku AppLink (or `pnpm invoke`).',
  },
  CLIENT_CONTEXT_MALFORMED: { status: 401, message: 'The x-client-context header is not base64-encoded JSON.' },
  CLIENT_CONTEXT_INCOMPLETE: { status: 401, message: 'The x-client-context header lacks: %s.' },
  ADMIN_AUTH_REQUIRED: { status: 401, message: 'Dashboard credentials required.' },
  CLIENT_CONTEXT_ORG_URL_NOT_ALLOWED: {
    status: 401,
    message: 'The x-client-context org URL is refused (%s): it must be an https Salesforce domain or an allowed origin (SF_ALLOWED_ORIGINS).',
  },
  BATCH_KEY_CONFLICT: { status: 400, message: 'The Idempotency-Key header (%s) and the batchKey field (%s) differ: send one, or the same.' },
  INVALID_WHERE_CLAUSE: { status: 400, message: 'Invalid soqlWhereClause: %s' },
  BAD_REQUEST: { status: 400, message: '%s' },
  JOB_NOT_FOUND: { status: 404, message: 'No job %s for this org.' },
  NOT_FOUND: { status: 404, message: 'Route %s not found.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is larger than %s bytes.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests for this org: at most %s per %s s. Retry later.' },
  QUEUE_UNAVAILABLE: { status: 503, message: 'The job queue is not reachable; the job was not accepted. Retry later.' },
  QUEUE_UNREACHABLE: { status: 503, message: 'The job queue is not reachable, so the job cannot be read. Retry later.' },
  INTERNAL_ERROR: { status: 500, message: 'Unexpected error (request %s). It was logged.' },
} as const;

export type ErrorCode = keyof typeof CATALOGUE;

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An error of the catalogue. `args` fill the `%s` of its message in order. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    ...args: (string | number)[]
  ) {
    let i = 0;
    super(CATALOGUE[code].message.replace(/%s/g, () => String(args[i++] ?? '')));
    this.statusCode = CATALOGUE[code].status;
  }

  toJSON(): { statusCode: number; code: ErrorCode; error: string; message: string } {
    return { statusCode: this.statusCode, code: this.code, error: STATUS_TEXT[this.statusCode] ?? 'Error', message: this.message };
  }
}

/** JSON schema of the error body, shared by every route's responses. */
export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['statusCode', 'code', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string', enum: Object.keys(CATALOGUE) },
    error: { type: 'string' },
    message: { type: 'string' },
  },
} as const;
