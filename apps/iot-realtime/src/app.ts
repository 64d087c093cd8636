/**
 * `buildApp(options)`: the telemetry service as a Fastify instance — MQTT broker (TCP and
 * WebSocket), event log, persistence sink, /health, /metrics, /admin. HTTP is not listening
 * (tests use `inject`; `server.ts` listens); MQTT over TCP listens when `mqtt` is given.
 * Load order: ecosystem plugins → own plugins → error handler → routes.
 */
import websocket from '@fastify/websocket';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { EventLogOptions } from '@ecars/event-log';
import { DEFAULT_MAX_PAYLOAD_BYTES, type TelemetryV1 } from '@ecars/telemetry';
import type { Role } from './config.js';
import type { DatabaseOptions } from './db/database.js';
import { IotError, errorSchema } from './errors.js';
import { maxPacketBytes } from './broker/mqtt-broker.js';
import pipeline from './plugins/pipeline.js';
import { adminRoutes } from './routes/admin.js';
import { opsRoutes } from './routes/health.js';
import { mqttWsRoutes } from './routes/mqtt-ws.js';

/** Everything `buildApp` can be told; `server.ts` fills it from the environment. */
export interface AppOptions {
  /** What this process runs. @defaultValue 'all' */
  role?: Role;
  /** Database: PostgreSQL URL or PGlite directory, and the schema. @defaultValue PGlite in memory, schema 'iot' */
  database?: DatabaseOptions;
  /** Event log adapter and its options. @defaultValue the in-process log */
  eventLog?: EventLogOptions<TelemetryV1>;
  /** MQTT over TCP; `false` for none (WebSocket only). @defaultValue false */
  mqtt?: { port: number; host: string } | false;
  /** Largest telemetry payload, bytes. @defaultValue 16384 */
  maxPayloadBytes?: number;
  /** Aedes drainTimeout: a subscriber that does not drain within it is disconnected, ms. @defaultValue 5000 */
  drainTimeoutMs?: number;
  /** Persistence batching and retention. @defaultValue 2000 rows / 200 ms, 2 consumers, 30 / 730 days */
  persist?: Partial<{ batchSize: number; flushMs: number; consumers: number; retentionDays: number; rollupRetentionDays: number }>;
  /** Bearer token of /admin; no /admin routes when unset. */
  adminToken?: string;
  /** Collect Node's default process metrics too. @defaultValue false */
  defaultMetrics?: boolean;
  /** Fastify logger options (pino). @defaultValue { level: 'info' } */
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: 'info',
            ...(typeof options.logger === 'object' ? options.logger : {}),
            // Device tokens travel in MQTT CONNECT and admin responses, never in logs.
            redact: { paths: ['req.headers.authorization', 'token', 'password'], censor: '[redacted]' },
          },
  });
  app.addSchema(errorSchema);
  // One registration for every WebSocket route (/mqtt now, /live next): one `upgrade` owner.
  // maxPayload bounds one frame; an MQTT packet never needs more than the payload limit plus headers.
  await app.register(websocket, { options: { maxPayload: maxPacketBytes(maxPayloadBytes) } });
  await app.register(pipeline, {
    role: options.role ?? 'all',
    database: options.database ?? { pgliteDir: 'memory://' },
    eventLog: options.eventLog ?? { kind: 'memory' },
    mqtt: options.mqtt ?? false,
    maxPayloadBytes,
    drainTimeoutMs: options.drainTimeoutMs ?? 5000,
    persist: {
      batchSize: options.persist?.batchSize ?? 2000,
      flushMs: options.persist?.flushMs ?? 200,
      consumers: options.persist?.consumers ?? 2,
      retentionDays: options.persist?.retentionDays ?? 30,
      rollupRetentionDays: options.persist?.rollupRetentionDays ?? 730,
    },
    defaultMetrics: options.defaultMetrics ?? false,
  });

  app.setErrorHandler((err: FastifyError | IotError, _req, reply) => {
    if (err instanceof IotError) return reply.code(err.statusCode).send(err.toJSON());
    if (err.validation) return reply.code(400).send({ error: { code: 'VALIDATION', message: err.message } });
    app.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'INTERNAL', message: 'internal error' } });
  });

  await app.register(opsRoutes);
  await app.register(mqttWsRoutes);
  if (options.adminToken) await app.register(adminRoutes, { token: options.adminToken });
  return app;
}
