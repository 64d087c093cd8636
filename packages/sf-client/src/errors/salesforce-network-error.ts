/**
 * A request got no HTTP response: the connection was refused, reset or timed out. `sent` tells
 * whether the request may have reached Salesforce — when it did, the outcome of a write is unknown
 * and retrying it blindly could apply it twice.
 */
import { ClientErrorCode } from './error-codes.js';

export class SalesforceNetworkError extends Error {
  override readonly name = 'SalesforceNetworkError';
  readonly errorCode = ClientErrorCode.NETWORK_ERROR;

  constructor(
    message: string,
    /** The system or undici code (`ECONNRESET`, `UND_ERR_SOCKET`, `ECONNREFUSED`, `ETIMEDOUT`, …). */
    readonly code: string,
    /** False only when the request certainly never left (connection refused): nothing can have been applied. */
    readonly sent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
