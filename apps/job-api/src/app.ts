/**
 * `buildApp(options)`: the job API as a Fastify instance, not listening (tests use `inject`;
 * `server.ts` listens). Load order: ecosystem plugins → own plugins → hooks → routes.
 */
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { MAX_CHUNK_SIZE } from '@ecars/job-queue';
import { LOG_REDACTION, validateWhereClause as validateWithSchema } from '@ecars/sf-client';
import { ApiError, errorSchema } from './errors.js';
import clientContext from './plugins/client-context.js';
import { dashboard } from './plugins/dashboard.js';
import queues from './plugins/queues.js';
import { healthRoutes } from './routes/health.js';
import { jobRoutes } from './routes/jobs.js';
import { SHARED_SCHEMAS } from './schemas.js';

/** Everything `buildApp` can be told; `server.ts` fills it from the environment. */
export interface AppOptions {
  /** Redis URL. @defaultValue 'redis://127.0.0.1:6379' */
  redisUrl?: string;
  /** Verify TLS certificates of `rediss://`. @defaultValue true */
  redisTlsRejectUnauthorized?: boolean;
  /** BullMQ key prefix (tests isolate themselves with a fresh one). @defaultValue 'ecars' */
  queuePrefix?: string;
  /** Opportunities per chunk job, at most `MAX_CHUNK_SIZE`. @defaultValue MAX_CHUNK_SIZE (2,490: one `/composite` call reads a whole chunk) */
  chunkSize?: number;
  /** Job requests (POST) per org per window. @defaultValue 30 per 60 s */
  rateLimit?: { max: number; windowMs: number };
  /** Status reads (`GET /api/jobs/:id`) per org per window: polling has its own budget. @defaultValue 600 per the same window */
  statusRateLimitMax?: number;
  /**
   * Origins besides Salesforce's https domains an `x-client-context` org URL may name (a local org
   * in development); other URLs are refused with 401. @defaultValue [] (Salesforce domains only)
   */
  allowedOrigins?: readonly string[];
  /**
   * Build the routes and schemas without connecting to Redis (OpenAPI generation): job routes answer
   * 503 and /health reports Redis unreachable. @defaultValue false
   */
  offline?: boolean;
  /** Largest request body in bytes; larger → 413. @defaultValue 65536 */
  bodyLimit?: number;
  /** Dashboard credentials; no dashboard when unset. */
  admin?: { user: string; password: string };
  /** How long to wait for Redis to take a job before answering 503. @defaultValue 5000 */
  enqueueTimeoutMs?: number;
  /** Fastify logger options (pino). Tokens are always redacted. @defaultValue { level: 'info' } */
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimit ?? 64 * 1024;
  const limit = options.rateLimit ?? { max: 30, windowMs: 60_000 };
  const app = Fastify({
    bodyLimit,
    logger:
      options.logger === false
        ? false
        : { level: 'info', ...(typeof options.logger === 'object' ? options.logger : {}), redact: LOG_REDACTION },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  });

  for (const s of [errorSchema, ...SHARED_SCHEMAS]) app.addSchema(s);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'eCars Quote Pricing Jobs',
        description:
          'Batch pricing of Opportunities into Quotes on Heroku workers, and sample data management, called from Salesforce through Heroku AppLink.',
        version: '1.0.0',
      },
      servers: [{ url: 'http://localhost:5000', description: 'Local development server' }],
      tags: [
        { name: 'Pricing Engine', description: 'Quote generation' },
        { name: 'Sample Data', description: 'Sample data management' },
        { name: 'Jobs', description: 'Job status' },
      ],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (json.$id as string | undefined) ?? `def-${i}` },
  });
  await app.register(queues, {
    ...(options.offline ? { offline: true } : {}),
    ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
    ...(options.redisTlsRejectUnauthorized !== undefined ? { tlsRejectUnauthorized: options.redisTlsRejectUnauthorized } : {}),
    ...(options.queuePrefix ? { prefix: options.queuePrefix } : {}),
  });
  await app.register(clientContext, { allowedOrigins: options.allowedOrigins ?? [] });

  app.setErrorHandler((err: FastifyError | ApiError, req, reply) => {
    if (err instanceof ApiError) return reply.code(err.statusCode).send(err.toJSON());
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send(new ApiError('PAYLOAD_TOO_LARGE', bodyLimit).toJSON());
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.code(415).send(new ApiError('UNSUPPORTED_MEDIA_TYPE').toJSON());
    if (err.validation || err.statusCode === 400) return reply.code(400).send(new ApiError('BAD_REQUEST', err.message).toJSON());
    if (err.statusCode === 429) return reply.code(429).send(err);
    req.log.error({ err }, 'unexpected error');
    return reply.code(500).send(new ApiError('INTERNAL_ERROR', req.id).toJSON());
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(new ApiError('NOT_FOUND', `${req.method} ${req.url.split('?')[0]}`).toJSON()));

  await app.register(healthRoutes);
  app.get('/docs', { schema: { hide: true } }, async () => app.swagger());

  await app.register(async (api) => {
    // Who calls first (onRequest), then the per-org rate limit keyed on that org (preHandler).
    api.addHook('onRequest', api.requireOrgContext);
    await api.register(rateLimit, {
      hook: 'preHandler',
      max: limit.max,
      timeWindow: limit.windowMs,
      keyGenerator: (req) => req.org?.orgId ?? req.ip,
      errorResponseBuilder: (_req, ctx) => new ApiError('RATE_LIMITED', ctx.max, Math.round(limit.windowMs / 1000)).toJSON(),
    });
    await api.register(jobRoutes, {
      chunkSize: options.chunkSize ?? MAX_CHUNK_SIZE,
      statusRateLimit: { max: options.statusRateLimitMax ?? 600, windowMs: limit.windowMs },
      ...(options.enqueueTimeoutMs ? { enqueueTimeoutMs: options.enqueueTimeoutMs } : {}),
      validateWhereClause: (clause) => validateWithSchema('Opportunity', clause),
    });
  });

  if (options.admin) {
    await dashboard(app, { ...options.admin, queues: Object.values(app.queues) });
  }
  return app;
}
