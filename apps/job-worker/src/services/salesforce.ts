/** A Salesforce client for a job, from the org context the API put in it (token never logged). */
import { fromSerializedContext, SalesforceAuthError, type ClientLogger, type SalesforceClient } from '@ecars/sf-client';
import { formatFailure, type OrgContext } from '@ecars/job-queue';
import { UnrecoverableError } from 'bullmq';

/** How the worker's clients are made: the same for every job of the process. */
export interface ClientSettings {
  logger?: ClientLogger;
  /** Requests in flight to one org from this process (all jobs together). */
  maxConcurrentRequests?: number;
  /** Origins besides Salesforce's https domains a job's org URL may name (`SF_ALLOWED_ORIGINS`). */
  allowedOrigins?: readonly string[];
}

/**
 * Builds the client of a job; an unusable context (including an org URL that is neither a
 * Salesforce domain nor an allowed origin: no request is made) fails the job for good.
 */
export async function clientFor(org: OrgContext, settings: ClientSettings = {}): Promise<SalesforceClient> {
  const { logger, maxConcurrentRequests, allowedOrigins } = settings;
  try {
    return await fromSerializedContext(org, {
      ...(logger ? { logger } : {}),
      ...(maxConcurrentRequests ? { maxConcurrentRequests } : {}),
      allowedOrigins: allowedOrigins ?? [],
    });
  } catch (err) {
    if (err instanceof SalesforceAuthError) throw new UnrecoverableError(formatFailure(err.errorCode, `Salesforce context unusable: ${err.message}`));
    throw err;
  }
}

/**
 * Auth failures end the job (AppLink tokens cannot be renewed from a worker); others may be
 * retried. Either way the reason starts with the error's code (`SERVER_UNAVAILABLE: …`), so a
 * batch reports a chunk's failure with its Salesforce code.
 */
export function rethrowFinal(err: unknown): never {
  if (err instanceof SalesforceAuthError) {
    throw new UnrecoverableError(
      formatFailure(err.errorCode, `Salesforce session expired or revoked (${err.message}); start the job again from Salesforce`),
    );
  }
  if (err instanceof UnrecoverableError) throw err;
  const code = (err as { errorCode?: unknown }).errorCode;
  if (err instanceof Error && typeof code === 'string' && !err.message.startsWith(`${code}: `)) {
    throw new Error(formatFailure(code, err.message), { cause: err });
  }
  throw err;
}
