/**
 * The BullMQ queues the API adds jobs to, and a Redis connection for health checks. This plugin
 * opens them, so it closes them (`onClose`). Wrapped in fastify-plugin so the decorators reach
 * the routes.
 */
import { Queue } from 'bullmq';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { checkEvictionPolicy, checkPersistence, QUEUE_PREFIX, QUEUES, redisConnection, redisOptions } from '@ecars/job-queue';

/** Options of the queues plugin. */
export interface QueuesOptions {
  /** Redis URL. @defaultValue 'redis://127.0.0.1:6379' */
  redisUrl?: string;
  /** Verify the TLS certificate of a `rediss://` URL. @defaultValue true */
  tlsRejectUnauthorized?: boolean;
  /** BullMQ key prefix; tests use a fresh one each. @defaultValue 'ecars' */
  prefix?: string;
  /** Connect to nothing (OpenAPI generation): every queue or Redis call fails as if Redis were down. @defaultValue false */
  offline?: boolean;
}

/** What `app.queues`/`app.redis` are offline: any use fails like an unreachable Redis (503, /health unavailable). */
function unreachable<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: (_t, prop) => (prop === 'then' ? undefined : () => Promise.reject(new Error(`${what} is offline (built without Redis)`))),
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    queues: { quoteBatches: Queue; sampleData: Queue };
    redis: Redis;
  }
}

export default fp<QueuesOptions>(
  async (app, opts) => {
    if (opts.offline) {
      app.decorate('queues', { quoteBatches: unreachable<Queue>('quote-batches'), sampleData: unreachable<Queue>('sample-data') });
      app.decorate('redis', unreachable<Redis>('redis'));
      return;
    }
    const url = opts.redisUrl ?? 'redis://127.0.0.1:6379';
    const tls = opts.tlsRejectUnauthorized ?? true;
    const prefix = opts.prefix ?? QUEUE_PREFIX;
    // Producers fail fast when Redis is down (503 to the caller) instead of holding commands in
    // ioredis' offline queue: a command replayed after the caller gave up would create a job the
    // caller believes was refused, and its retry would create a second one.
    const connection = {
      ...redisOptions({ url, tlsRejectUnauthorized: tls, maxRetriesPerRequest: 1, connectionName: 'job-api' }),
      enableOfflineQueue: false,
    };
    const redis = redisConnection({ url, tlsRejectUnauthorized: tls, maxRetriesPerRequest: 1, connectionName: 'job-api-health' });
    redis.on('error', (err) => app.log.warn({ err: err.message }, 'redis connection error'));
    const queues = {
      quoteBatches: new Queue(QUEUES.quoteBatches, { connection, prefix }),
      sampleData: new Queue(QUEUES.sampleData, { connection, prefix }),
    };
    for (const q of Object.values(queues)) {
      q.on('error', (err) => app.log.warn({ err: err.message, queue: q.name }, 'queue error'));
      // Without an offline queue, BullMQ's own start-up commands fail while Redis is unreachable
      // (or when the app closes before it connected); handle that here, it is reported by /health.
      q.waitUntilReady().catch((err: Error) => app.log.warn({ err: err.message, queue: q.name }, 'queue not ready'));
    }
    app.decorate('queues', queues);
    app.decorate('redis', redis);
    app.addHook('onReady', async () => {
      const warning = await checkEvictionPolicy(redis);
      if (warning) app.log.warn(warning);
      const persistence = await checkPersistence(redis);
      if (persistence.warning) app.log.warn({ persistence: persistence.mode }, persistence.warning);
    });
    app.addHook('onClose', async () => {
      // Let a queue that is still connecting finish (or give up) first: closing it mid-start-up
      // makes BullMQ's own start-up commands fail unhandled.
      const settled = (q: Queue) => Promise.race([q.waitUntilReady().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
      await Promise.all(Object.values(queues).map(settled));
      await Promise.allSettled(Object.values(queues).map((q) => q.close()));
      redis.disconnect();
    });
  },
  { name: 'queues' },
);
