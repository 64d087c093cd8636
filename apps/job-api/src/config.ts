/**
 * The one door to the environment (STYLE: no `process.env` elsewhere). Every variable is
 * validated at start with a message that names it; `.env.example` documents each one.
 */
import { z } from 'zod';
import { defaultAllowedOrigins, MAX_CHUNK_SIZE, originListSchema } from '@ecars/job-queue';

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
  /** Status reads (GET /api/jobs/:id) per org per window: polling has its own budget. */
  STATUS_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(600),
  /**
   * Origins besides Salesforce's https domains an x-client-context org URL may name
   * (comma-separated). Default: the local org, except with NODE_ENV=production (none).
   */
  SF_ALLOWED_ORIGINS: originListSchema,
  /** production, development or test; production refuses to start exposed without the AppLink mesh. */
  NODE_ENV: z.string().default('development'),
  /**
   * Set true to run in production on a public interface without the AppLink service mesh in front
   * (APP_PORT unset): x-client-context is then taken at its word, so only do it behind another
   * authenticating proxy.
   */
  TRUST_CLIENT_CONTEXT_WITHOUT_MESH: bool.default(false),
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
  const parsed = configSchema.safeParse({ ...env, SF_ALLOWED_ORIGINS: env['SF_ALLOWED_ORIGINS'] ?? defaultAllowedOrigins(env) });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  if ((parsed.data.ADMIN_USER === undefined) !== (parsed.data.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('invalid environment:\n  ADMIN_USER and ADMIN_PASSWORD must be set together');
  }
  const c = parsed.data;
  const loopback = c.HOST === '127.0.0.1' || c.HOST === '::1' || c.HOST === 'localhost';
  // Behind the AppLink service mesh (APP_PORT set) the mesh authenticates every request; without it,
  // anyone who reaches the port can forge x-client-context (another org's jobs, its rate limit).
  if (c.NODE_ENV === 'production' && !loopback && c.APP_PORT === undefined && !c.TRUST_CLIENT_CONTEXT_WITHOUT_MESH) {
    throw new ConfigError(
      `refusing to start: NODE_ENV=production on ${c.HOST} without the AppLink service mesh (APP_PORT unset), so x-client-context could be forged.\n` +
        '  Run behind the mesh (Procfile: APP_PORT=3000 heroku-applink-service-mesh …), or set TRUST_CLIENT_CONTEXT_WITHOUT_MESH=true if another proxy authenticates callers.',
    );
  }
  return c;
}
