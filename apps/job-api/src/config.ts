/**
 * The one door to the environment (STYLE: no `process.env` elsewhere). Every variable is
 * validated at start with a message that names it; `.env.example` documents each one.
 */
import { z } from 'zod';
import { MAX_CHUNK_SIZE } from '@ecars/job-queue';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const configSchema = z.object({
  /** Port to listen on. Behind the AppLink service mesh the app listens on APP_PORT. */
  PORT: z.coerce.number().int().min(0).max(65535).default(5000),
  APP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Interface; Heroku needs 0.0.0.0 (the Procfile sets it), locally loopback is safer. */
  HOST: z.string().default('127.0.0.1'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** BullMQ key prefix: separate environments sharing one Redis (the demo uses its own). */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/).default('ecars'),
  /** Heroku Key-Value Store uses a self-signed certificate: set false there, deliberately. */
  REDIS_TLS_REJECT_UNAUTHORIZED: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Opportunities per chunk job, at most 2,490: a chunk reads its opportunities as up to 5 Id
   * ranges of 498 in one `/composite` call (Salesforce runs at most 5 queries per call).
   */
  CHUNK_SIZE: z.coerce.number().int().min(1).max(MAX_CHUNK_SIZE).default(MAX_CHUNK_SIZE),
  /** Job requests per org per window. */
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).default(60_000),
  /** Largest request body, bytes (413 above). */
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(64 * 1024),
  /** Credentials of the /admin/queues dashboard; the dashboard is off unless both are set. */
  ADMIN_USER: z.string().min(1).optional(),
  ADMIN_PASSWORD: z.string().min(8).optional(),
});

export type Config = z.infer<typeof configSchema>;

/** Thrown with every invalid variable listed. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  if ((parsed.data.ADMIN_USER === undefined) !== (parsed.data.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('invalid environment:\n  ADMIN_USER and ADMIN_PASSWORD must be set together');
  }
  return parsed.data;
}
