/** `GET /health`: 200 when Redis answers, 503 otherwise (for Heroku and load balancers). */
import type { FastifyInstance } from 'fastify';
import { checkPersistence } from '@ecars/job-queue';

const healthSchema = {
  type: 'object',
  properties: {
    status: { type: 'string' },
    redis: { type: 'string' },
    persistence: { type: 'string', description: 'aof, rdb, aof+rdb, none (a Redis restart loses the queue), or unknown (CONFIG refused)' },
  },
} as const;

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/health',
    {
      schema: {
        operationId: 'health',
        tags: ['Operations'],
        summary: 'Health check',
        response: {
          200: healthSchema,
          503: healthSchema,
        },
      },
    },
    async (_req, reply) => {
      const ok = await Promise.race([
        app.redis.ping().then((r) => r === 'PONG').catch(() => false),
        new Promise<boolean>((resolve) => setTimeout(resolve, 1000, false).unref()),
      ]);
      if (!ok) return reply.code(503).send({ status: 'unavailable', redis: 'unreachable', persistence: 'unknown' });
      const { mode } = await checkPersistence(app.redis);
      return reply.code(200).send({ status: 'ok', redis: 'ok', persistence: mode });
    },
  );
}
