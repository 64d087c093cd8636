/**
 * Codes of the errors the client itself raises, beside the API's own (`INVALID_FIELD`,
 * `UNABLE_TO_LOCK_ROW`, …, which pass through unchanged in `errorCode`).
 */
export const ClientErrorCode = {
  /** A write's request was sent but no answer came back (connection reset, timeout): it may or may not have been applied. */
  OUTCOME_UNKNOWN: 'OUTCOME_UNKNOWN',
  /** Retries ran out on a retryable error; `cause` is the last one. */
  RETRIES_EXHAUSTED: 'RETRIES_EXHAUSTED',
  /** A unit of work is malformed (bad reference id, dangling `@{ref}`, no records). */
  INVALID_UNIT: 'INVALID_UNIT',
  /** A unit exceeds what one composite graph may hold (500 nodes, depth 15, 15 node types). */
  UNIT_TOO_LARGE: 'UNIT_TOO_LARGE',
  /** Network failure with no response. */
  NETWORK_ERROR: 'NETWORK_ERROR',
  /** A response that is not what the API documents (e.g. not JSON). */
  UNEXPECTED_RESPONSE: 'UNEXPECTED_RESPONSE',
  /** The session is invalid or expired and this connection cannot obtain a new one. */
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  /** Logging in failed (OAuth error, `sf` CLI failure, malformed context). */
  AUTHENTICATION_FAILED: 'AUTHENTICATION_FAILED',
  /** A Bulk API job did not finish within the timeout and was aborted. */
  BULK_TIMEOUT: 'BULK_TIMEOUT',
  /** A Bulk API job ended `Failed` or `Aborted`. */
  BULK_JOB_FAILED: 'BULK_JOB_FAILED',
  /** A context names an org URL a token must not be sent to (not a Salesforce domain, not an allowed origin). */
  ORG_URL_NOT_ALLOWED: 'ORG_URL_NOT_ALLOWED',
  /** The caller aborted the work (a unit of work's `signal`): nothing more was sent. */
  ABORTED: 'ABORTED',
  /** A SOQL identifier or value the builder refuses. */
  INVALID_SOQL: 'INVALID_SOQL',
} as const;

export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];
