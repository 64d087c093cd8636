/** Authentication failed, or the session expired and this connection has no way to renew it. */
import type { ClientErrorCode } from './error-codes.js';

export const SalesforceAuthErrorMessage = {
  cannotRenew: (connection: string) =>
    `Salesforce session expired or invalid (INVALID_SESSION_ID) and a ${connection} connection cannot re-authenticate: ` +
    'obtain a fresh context (a new request from Salesforce, or a new serialized context) and retry',
  stillInvalid: (connection: string) =>
    `Salesforce rejected the session again right after a ${connection} re-authentication (INVALID_SESSION_ID)`,
};

export class SalesforceAuthError extends Error {
  override readonly name = 'SalesforceAuthError';

  constructor(
    /** `SESSION_EXPIRED`, `AUTHENTICATION_FAILED`, or the OAuth `error` (`invalid_grant`, …). */
    readonly errorCode: ClientErrorCode | string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
