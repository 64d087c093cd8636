/**
 * The bull-board dashboard at `/admin/queues`, behind HTTP Basic credentials from the environment
 * (ADMIN_USER / ADMIN_PASSWORD). Not registered at all when they are unset: a dashboard that can
 * retry and delete jobs must never be open by accident.
 */
import { timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';

/** Options of the dashboard. */
export interface DashboardOptions {
  user: string;
  password: string;
  queues: Queue[];
  /** @defaultValue '/admin/queues' */
  basePath?: string;
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export async function dashboard(app: FastifyInstance, opts: DashboardOptions): Promise<void> {
  const basePath = opts.basePath ?? '/admin/queues';
  const adapter = new FastifyAdapter();
  createBullBoard({ queues: opts.queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter });
  adapter.setBasePath(basePath);
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      const header = req.headers.authorization ?? '';
      const [scheme, encoded] = header.split(' ');
      const [user, ...rest] = Buffer.from(encoded ?? '', 'base64').toString('utf8').split(':');
      if (scheme !== 'Basic' || !same(user ?? '', opts.user) || !same(rest.join(':'), opts.password)) {
        return reply
          .code(401)
          .header('WWW-Authenticate', 'Basic realm="eCars job queues", charset="UTF-8"')
          .send(new ApiError('ADMIN_AUTH_REQUIRED').toJSON());
      }
    });
    await scope.register(adapter.registerPlugin(), { prefix: basePath });
  });
}
