/**
 * `GET /health`: broker up (ingest roles), event log reachable, database reachable — each with a
 * bounded check, 503 when any is not. `GET /metrics`: Prometheus text.
 */
import type { FastifyInstance } from 'fastify';
import { PERSISTENCE_GROUP } from '../sinks/persistence-sink.js';

const CHECK_TIMEOUT_MS = 2000;

function within<T>(p: Promise<T>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.then(() => true, () => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), CHECK_TIMEOUT_MS)))]).finally(() => clearTimeout(timer));
}

const healthSchema = {
  type: 'object',
  required: ['status', 'role', 'checks'],
  properties: {
    status: { enum: ['ok', 'unavailable'] },
    role: { type: 'string' },
    checks: {
      type: 'object',
      properties: { broker: { type: 'boolean' }, eventLog: { type: 'boolean' }, database: { type: 'boolean' } },
      required: ['eventLog', 'database'],
    },
    connectedVehicles: { type: 'integer' },
    persistenceLag: { type: 'integer' },
  },
} as const;

export async function opsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/health', { schema: { response: { 200: healthSchema, 503: healthSchema } } }, async (_req, reply) => {
    const { broker, db, eventLog, role } = app.iot;
    let lag = -1;
    const [database, log] = await Promise.all([within(db.query('SELECT 1')), within(eventLog.lag(PERSISTENCE_GROUP).then((n) => (lag = n)))]);
    const checks: { broker?: boolean; eventLog: boolean; database: boolean } = { eventLog: log, database };
    if (role !== 'persist') checks.broker = broker !== null && !broker.aedes.closed;
    const ok = Object.values(checks).every(Boolean);
    return reply.code(ok ? 200 : 503).send({
      status: ok ? 'ok' : 'unavailable',
      role,
      checks,
      ...(broker ? { connectedVehicles: broker.connectedVehicles } : {}),
      ...(lag >= 0 ? { persistenceLag: lag } : {}),
    });
  });

  app.get('/metrics', { schema: { response: { 200: { type: 'string' } } } }, async (_req, reply) => {
    const { registry } = app.iot.metrics;
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
