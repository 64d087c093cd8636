/**
 * A bare Fastify app with only the faults plugin and a few dummy REST routes that count how often
 * their handler ran, for the fault-injection tests.
 */
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { faultsPlugin } from '../../src/faults/index.js';
import type { FaultsPluginOptions } from '../../src/faults/index.js';

export const API = '/services/data/v64.0';
export const ACCOUNT_ID = '001D000000IqhSLIAZ';

export interface FaultsTestApp {
  app: FastifyInstance;
  /** How many times a handler ran (= how many writes were applied). */
  handled: { count: number };
  /** Every log line, as JSON text. */
  logs: string[];
}

export async function buildFaultsApp(options: FaultsPluginOptions): Promise<FaultsTestApp> {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = Fastify({ logger: { level: 'debug', stream } });
  await app.register(faultsPlugin, options);
  const handled = { count: 0 };

  app.post(`${API}/sobjects/Account`, async (request, reply) => {
    handled.count += 1;
    request.recordsWritten = 1;
    return reply.code(201).send({ id: ACCOUNT_ID, success: true, errors: [] });
  });
  app.patch(`${API}/sobjects/Account/:id`, async (request, reply) => {
    handled.count += 1;
    request.recordsWritten = 1;
    return reply.code(204).send();
  });
  app.post(`${API}/composite/sobjects`, async (request) => {
    handled.count += 1;
    const records = (request.body as { records: unknown[] }).records;
    request.recordsWritten = records.length;
    return records.map((_, i) => ({ id: `001D000000IqhS${i}AAA`, success: true, errors: [] }));
  });
  app.get(`${API}/query`, async () => {
    handled.count += 1;
    return { totalSize: 0, done: true, records: [] };
  });
  app.get(`${API}/limits`, async () => {
    handled.count += 1;
    return { DailyApiRequests: { Max: 1, Remaining: 1 } };
  });
  app.get('/health', async () => {
    handled.count += 1;
    return { ok: true };
  });
  await app.ready();
  return { app, handled, logs };
}
