/** An error the Salesforce API answered with (HTTP 4xx/5xx and its error array). */

/** One entry of Salesforce's error array. */
export interface ApiErrorDetail {
  errorCode: string;
  message: string;
  fields?: string[];
}

export const SalesforceApiErrorMessage = {
  /** Used when the body carries no message. */
  noMessage: (status: number) => `Salesforce answered HTTP ${status} without an error message`,
};

export class SalesforceApiError extends Error {
  override readonly name = 'SalesforceApiError';

  constructor(
    /** Salesforce's code (`INVALID_FIELD`, `REQUEST_LIMIT_EXCEEDED`, …), or `HTTP_<status>` when the body has none. */
    readonly errorCode: string,
    message: string,
    /** HTTP status. */
    readonly status: number,
    /** Fields the error is about. */
    readonly fields: string[] = [],
    /** Every entry of the error array (Salesforce may send several). */
    readonly details: ApiErrorDetail[] = [],
    /** Delay the server asked for in `Retry-After`, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message || SalesforceApiErrorMessage.noMessage(status));
  }

  toJSON(): ApiErrorDetail & { status: number } {
    return { errorCode: this.errorCode, message: this.message, fields: this.fields, status: this.status };
  }
}
