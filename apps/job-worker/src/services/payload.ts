/**
 * Reading a job's data from Redis: the trust boundary of the worker. The job-queue schemas check
 * the shape and validate the WHERE clause again (the one place a worker does); a payload that
 * fails can never succeed, so the job fails for good with the reason instead of being retried.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import type { z } from 'zod';

/** `job.data` parsed with `schema`; an invalid payload ends the job with a readable reason. */
export function readPayload<S extends z.ZodType>(schema: S, job: Job): z.output<S> {
  const parsed = schema.safeParse(job.data);
  if (parsed.success) return parsed.data;
  const reasons = parsed.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message));
  throw new UnrecoverableError(`invalid job payload: ${reasons.join('; ')}`);
}
