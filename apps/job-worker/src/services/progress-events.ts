/**
 * The batch's live progress as the platform event `Quote_Job_Progress__e` (force-app), for the
 * LWC that follows a batch: published through sf-client after a chunk finishes, at most once a
 * second per batch across every worker process (a Redis key with a 1 s expiry is the turnstile),
 * and always at the end. Publishing is best effort: a failed publish is logged, never fails a job.
 */
import type { Redis } from 'ioredis';
import type { JobStatus } from '@ecars/job-queue';
import type { ClientLogger, SalesforceClient } from '@ecars/sf-client';

/** The platform event's API name. */
export const PROGRESS_EVENT = 'Quote_Job_Progress__e';

/** The event's fields for a batch status (Message__c: the first error, cut to the field's 255). */
export function progressEventFields(status: Pick<JobStatus, 'jobId' | 'state' | 'progress' | 'counts' | 'errors' | 'failedReason'>): Record<string, unknown> {
  const first = status.failedReason ?? (status.errors[0] ? `${status.errors[0].errorCode}: ${status.errors[0].message}` : null);
  return {
    Job_Id__c: status.jobId.slice(0, 64),
    State__c: status.state.slice(0, 32),
    Percent__c: Math.max(0, Math.min(100, status.progress)),
    Found__c: status.counts.found,
    Quoted__c: status.counts.quoted,
    Failed__c: status.counts.failed,
    Skipped__c: status.counts.skipped,
    Message__c: first ? first.slice(0, 255) : null,
  };
}

export class ProgressPublisher {
  constructor(
    private readonly redis: Redis,
    /** Key prefix of the turnstile keys (the BullMQ prefix). */
    private readonly prefix: string,
    private readonly logger?: ClientLogger,
  ) {}

  /** Publishes `status` unless one was published for this batch in the last second (`final` always publishes). */
  async publish(client: SalesforceClient, status: JobStatus, final = false): Promise<boolean> {
    try {
      const key = `${this.prefix}:progress-event:${status.jobId}`;
      if (final) {
        // The last word: progress events still in flight for this batch are dropped for a while.
        await this.redis.set(key, 'final', 'PX', 10_000);
      } else if ((await this.redis.set(key, '1', 'PX', 1000, 'NX')) !== 'OK') {
        return false;
      }
      const [result] = await client.create(PROGRESS_EVENT, [progressEventFields(status)]);
      if (!result?.success) throw new Error(JSON.stringify(result?.errors ?? []));
      return true;
    } catch (err) {
      this.logger?.warn({ jobId: status.jobId, err: (err as Error).message }, 'could not publish the progress event');
      return false;
    }
  }
}
