/**
 * Opens everything the telemetry pipeline needs, in order — database (migrated), event log,
 * broker (ingest role), persistence sink (persist role) — and closes it in the reverse order that
 * loses nothing: stop accepting MQTT, let the event log drain into the sink, write the last
 * batch, close the database.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createEventLog, type EventLog, type EventLogOptions } from '@ecars/event-log';
import type { TelemetryV1 } from '@ecars/telemetry';
import { MqttBroker } from '../broker/mqtt-broker.js';
import type { Role } from '../config.js';
import { openDatabase, type Database, type DatabaseOptions } from '../db/database.js';
import { CredentialStore } from '../services/credentials.js';
import { IotMetrics } from '../services/metrics.js';
import { PERSISTENCE_GROUP, PersistenceSink } from '../sinks/persistence-sink.js';
import { TelemetryWriter } from '../sinks/telemetry-writer.js';

/** Options of the pipeline (see `AppOptions` for defaults). */
export interface PipelineOptions {
  role: Role;
  database: DatabaseOptions;
  eventLog: EventLogOptions<TelemetryV1>;
  mqtt: { port: number; host: string } | false;
  maxPayloadBytes: number;
  drainTimeoutMs: number;
  persist: { batchSize: number; flushMs: number; consumers: number; retentionDays: number; rollupRetentionDays: number };
  defaultMetrics: boolean;
}

export interface Pipeline {
  role: Role;
  db: Database;
  credentials: CredentialStore;
  eventLog: EventLog<TelemetryV1>;
  metrics: IotMetrics;
  writer: TelemetryWriter;
  /** The broker (roles all and broker). */
  broker: MqttBroker | null;
  /** Bound MQTT TCP port, once listening. */
  mqttPort: number | null;
  sink: PersistenceSink | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    iot: Pipeline;
  }
}

const RETENTION_EVERY_MS = 60 * 60 * 1000;

export default fp<PipelineOptions>(
  async (app: FastifyInstance, opts) => {
    const metrics = new IotMetrics({ defaultMetrics: opts.defaultMetrics });
    const db = await openDatabase(opts.database);
    // Closed in this order, whatever was opened: broker (no new messages) → sink switches to
    // immediate writes → event log (lets the sink acknowledge what was accepted) → sink (last
    // batch) → database.
    const closers: Record<'broker' | 'sinkFlush' | 'eventLog' | 'sink' | 'db', (() => Promise<void>) | null> = {
      broker: null,
      sinkFlush: null,
      eventLog: null,
      sink: null,
      db: () => db.close(),
    };
    const closeOpened = async () => {
      for (const key of ['broker', 'sinkFlush', 'eventLog', 'sink', 'db'] as const) {
        const close = closers[key];
        closers[key] = null;
        await close?.().catch((err: unknown) => app.log.error({ err }, `error while closing the ${key}`));
      }
    };
    try {
      const applied = await db.migrate();
      if (applied.length > 0) app.log.info({ applied, schema: db.schema }, 'migrations applied');
      const ingest = opts.role !== 'persist';
      const persist = opts.role !== 'broker';
      // The broker process names the sink's group so backpressure sees its backlog before the
      // persist process has ever connected.
      const eventLog = await createEventLog<TelemetryV1>({ ...opts.eventLog, groups: [PERSISTENCE_GROUP] });
      closers.eventLog = () => eventLog.close();
      const credentials = new CredentialStore(db);
      const writer = new TelemetryWriter(db);
      const iot: Pipeline = { role: opts.role, db, credentials, eventLog, metrics, writer, broker: null, mqttPort: null, sink: null };
      metrics.setLagSource(async () => ({ [PERSISTENCE_GROUP]: await eventLog.lag(PERSISTENCE_GROUP) }));

      if (persist) {
        const sink = new PersistenceSink({ eventLog, writer, metrics, log: app.log, ...opts.persist });
        await sink.start();
        iot.sink = sink;

        const prune = () =>
          writer.prune(opts.persist.retentionDays, opts.persist.rollupRetentionDays).then(
            (n) => (n.raw + n.rollups > 0 ? app.log.info(n, 'retention: pruned') : undefined),
            (err: unknown) => app.log.warn({ err }, 'retention prune failed'),
          );
        const timer = setInterval(prune, RETENTION_EVERY_MS).unref();
        void prune();
        closers.sinkFlush = async () => sink.flushNow();
        closers.sink = async () => {
          clearInterval(timer);
          await sink.stop();
        };
      }
      if (ingest) {
        const broker = await MqttBroker.create({ credentials, db, eventLog, metrics, log: app.log, maxPayloadBytes: opts.maxPayloadBytes, drainTimeoutMs: opts.drainTimeoutMs });
        iot.broker = broker;
        closers.broker = () => broker.close();
        if (opts.mqtt) {
          iot.mqttPort = await broker.listen(opts.mqtt.port, opts.mqtt.host);
          app.log.info({ port: iot.mqttPort }, 'MQTT over TCP listening');
        }
      }
      app.decorate('iot', iot);
    } catch (err) {
      await closeOpened();
      throw err;
    }
    app.addHook('onClose', async () => {
      await closeOpened();
    });
  },
  { name: 'iot-pipeline' },
);
