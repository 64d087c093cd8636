/** A Bulk API 2.0 job that failed, was aborted, or ran past its timeout (and was aborted). */
import type { ClientErrorCode } from './error-codes.js';

export class BulkJobError extends Error {
  override readonly name = 'BulkJobError';

  constructor(
    /** `BULK_TIMEOUT` or `BULK_JOB_FAILED`. */
    readonly errorCode: typeof ClientErrorCode.BULK_TIMEOUT | typeof ClientErrorCode.BULK_JOB_FAILED,
    message: string,
    readonly jobId: string,
    /** The job's last known state. */
    readonly state: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
