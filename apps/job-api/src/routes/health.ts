/** `GET /health`: 200 when Redis answers, 503 otherwise (for Heroku and load balancers). */
import type { FastifyInstance } from 'fastify';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/health',
    {
      schema: {
        operationId: 'health',
        tags: ['Operations'],
        summary: 'Health check',
        response: {
          200: { type: 'object', properties: { status: { type: 'string' }, redis: { type: 'string' } } },
          503: { type: 'object', properties: { status: { type: 'string' }, redis: { type: 'string' } } },
        },
      },
    },
    async (_req, reply) => {
      const ok = await Promise.race([
        app.redis.ping().then((r) => r === 'PONG').catch(() => false),
        new Promise<boolean>((resolve) => setTimeout(resolve, 1000, false).unref()),
      ]);
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', redis: ok ? 'ok' : 'unreachable' });
    },
  );
}
