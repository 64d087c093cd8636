/**
 * An error the client raises itself (see {@link ClientErrorCode}): unknown outcome of a write,
 * retries exhausted, malformed unit of work, bulk job timeout, refused SOQL.
 */
import type { ClientErrorCode } from './error-codes.js';

export class SalesforceClientError extends Error {
  override readonly name = 'SalesforceClientError';

  constructor(
    readonly errorCode: ClientErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
