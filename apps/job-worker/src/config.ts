/** The one door to the environment for the worker; validated at start, local defaults. */
import { z } from 'zod';
import { defaultAllowedOrigins, originListSchema } from '@ecars/job-queue';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const configSchema = z.object({
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** BullMQ key prefix: separate environments sharing one Redis (the demo uses its own). */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/).default('ecars'),
  REDIS_TLS_REJECT_UNAUTHORIZED: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Chunk jobs one worker process runs at once. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(3),
  /** Composite graph requests in flight per chunk (a full chunk of 2,490 is 15 requests). */
  WRITE_CONCURRENCY: z.coerce.number().int().min(1).max(25).default(15),
  /**
   * Requests in flight to one org from this process, all jobs together. Salesforce limits
   * requests running longer than 20 s to 25 per org; a graph request takes about a second.
   */
  SF_MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(1).max(100).default(25),
  /** A running job's lock lasts this long without renewal; then another worker takes it over (ms). */
  LOCK_DURATION_MS: z.coerce.number().int().min(1000).default(30_000),
  /** How often stalled jobs (of a crashed worker) are looked for (ms). */
  STALLED_INTERVAL_MS: z.coerce.number().int().min(1000).default(30_000),
  /**
   * Attempts of a chunk job. Retryable failures (org unavailable, row locks, timeouts) go back to the
   * queue with backoff; a chunk that runs out fails its batch, visibly.
   */
  CHUNK_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** Delay before a chunk's first retry (ms), doubling every retry: 8 attempts from 5 s wait about 10 minutes in all. */
  CHUNK_BACKOFF_MS: z.coerce.number().int().min(0).default(5000),
  /**
   * Origins besides Salesforce's https domains a job's org URL may name (comma-separated): the
   * worker sends a job's token nowhere else. Default: the local org, except with NODE_ENV=production.
   */
  SF_ALLOWED_ORIGINS: originListSchema,
  /** Publish the batch's progress as the platform event Quote_Job_Progress__e (≤ 1/s per batch, and at the end). */
  PROGRESS_EVENTS: bool.default(true),
  /** Graceful stop: how long to let the current chunk finish before releasing it (ms). */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(25_000),
});
export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse({ ...env, SF_ALLOWED_ORIGINS: env['SF_ALLOWED_ORIGINS'] ?? defaultAllowedOrigins(env) });
  if (!parsed.success) {
    throw new ConfigError(`invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}
