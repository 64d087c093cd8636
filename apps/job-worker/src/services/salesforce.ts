/** A Salesforce client for a job, from the org context the API put in it (token never logged). */
import { fromSerializedContext, SalesforceAuthError, type ClientLogger, type SalesforceClient } from '@ecars/sf-client';
import type { OrgContext } from '@ecars/job-queue';
import { UnrecoverableError } from 'bullmq';

/** Builds the client of a job; an unusable context fails the job for good (retrying cannot help). */
export async function clientFor(org: OrgContext, logger?: ClientLogger, maxConcurrentRequests?: number): Promise<SalesforceClient> {
  try {
    return await fromSerializedContext(org, { ...(logger ? { logger } : {}), ...(maxConcurrentRequests ? { maxConcurrentRequests } : {}) });
  } catch (err) {
    if (err instanceof SalesforceAuthError) throw new UnrecoverableError(`Salesforce context unusable: ${err.message}`);
    throw err;
  }
}

/** Auth failures end the job (AppLink tokens cannot be renewed from a worker); others may be retried. */
export function rethrowFinal(err: unknown): never {
  if (err instanceof SalesforceAuthError) {
    throw new UnrecoverableError(`Salesforce session expired or revoked (${err.message}); start the job again from Salesforce`);
  }
  throw err;
}
