/**
 * The one door to the environment (STYLE: no `process.env` elsewhere). Every variable is
 * validated at start with a message that names it; `.env.example` documents each one.
 */
import { z } from 'zod';
import type { EventLogOptions } from '@ecars/event-log';
import type { TelemetryV1 } from '@ecars/telemetry';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const port = z.coerce.number().int().min(0).max(65535);
const positive = z.coerce.number().int().min(1);

export const ROLES = ['all', 'broker', 'persist'] as const;
export type Role = (typeof ROLES)[number];

export const configSchema = z.object({
  /** HTTP port: /health, /metrics, /admin and MQTT over WebSocket at /mqtt. */
  PORT: port.default(5100),
  /** Interface; Heroku needs 0.0.0.0 (the Procfile sets it), locally loopback is safer. */
  HOST: z.string().default('127.0.0.1'),
  /** MQTT over TCP. 1883 is often held by a system Mosquitto, hence 1884. */
  MQTT_PORT: port.default(1884),
  /** Which parts this process runs: everything, only the broker (ingest), or only persistence. */
  IOT_ROLE: z.enum(ROLES).default('all'),
  /** PostgreSQL; when unset an embedded PGlite database in PGLITE_DIR is used. */
  DATABASE_URL: z.string().url().optional(),
  /** Where PGlite keeps its files when DATABASE_URL is unset ('memory://' keeps nothing). */
  PGLITE_DIR: z.string().default('.data/pglite'),
  /** Schema holding this app's tables (tests use a private one). */
  DB_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/).default('iot'),
  /** Heroku Postgres needs TLS without a verifiable chain: set false there, deliberately. */
  DATABASE_SSL_REJECT_UNAUTHORIZED: bool.default(true),
  /** Event log between ingest and sinks: in-process (one process), Redis Streams, or Kafka. */
  EVENT_LOG: z.enum(['memory', 'redis', 'kafka']).default('memory'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  REDIS_TLS_REJECT_UNAUTHORIZED: bool.default(true),
  /** Key prefix of the Redis Streams event log. */
  EVENT_LOG_PREFIX: z.string().regex(/^[A-Za-z0-9_.:-]+$/).default('ecars:telemetry'),
  /** Records the event log holds unacknowledged before QoS 1 publishers wait and QoS 0 is dropped. */
  EVENT_LOG_MAX_BUFFERED: positive.default(20_000),
  /** Redis: a crashed consumer's unacknowledged entries are claimed by another after this idle time. */
  EVENT_LOG_CLAIM_IDLE_MS: positive.default(30_000),
  /** Partitions (streams / topic partitions) of the event log. */
  EVENT_LOG_PARTITIONS: positive.default(8),
  KAFKA_URL: z.string().optional(),
  KAFKA_CLIENT_CERT: z.string().optional(),
  KAFKA_CLIENT_CERT_KEY: z.string().optional(),
  KAFKA_TRUSTED_CERT: z.string().optional(),
  KAFKA_PREFIX: z.string().default(''),
  /** Largest telemetry payload, bytes; larger messages are refused (reason too_large). */
  MAX_PAYLOAD_BYTES: positive.default(16 * 1024),
  /** Rows per persistence batch (a batch is written when it is full…). */
  PERSIST_BATCH_SIZE: positive.default(2000),
  /** …or when its oldest row has waited this long. */
  PERSIST_FLUSH_MS: positive.default(200),
  /** Consumers of the persistence group in one process (parallel transactions). */
  PERSIST_CONSUMERS: positive.default(2),
  /** Raw telemetry rows are deleted after this many days; 1-minute rollups are kept longer. */
  TELEMETRY_RETENTION_DAYS: positive.default(30),
  ROLLUP_RETENTION_DAYS: positive.default(730),
  /** A subscriber whose socket does not drain within this time is disconnected (Aedes drainTimeout). */
  DRAIN_TIMEOUT_MS: positive.default(5000),
  /** Time allowed for a graceful stop (Heroku gives 30 s before SIGKILL). */
  SHUTDOWN_GRACE_MS: positive.default(25_000),
  /**
   * Bearer token of the /admin API (provisioning over HTTP: the simulator uses it). Unset: /admin
   * is off.
   */
  ADMIN_TOKEN: z.string().min(16).optional(),
  /**
   * Outside production, when ADMIN_TOKEN is unset, the server makes a random one and writes it
   * here (mode 0600) for local tools (`pnpm simulate`) to read.
   */
  ADMIN_TOKEN_FILE: z.string().default('.data/admin-token'),
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema>;

/** Thrown with every invalid variable listed. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable in a .env file means "unset", not "empty string".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.IOT_ROLE !== 'all' && c.EVENT_LOG === 'memory') {
    throw new ConfigError(`invalid environment:\n  IOT_ROLE=${c.IOT_ROLE} needs a shared event log: set EVENT_LOG=redis or kafka`);
  }
  if (c.IOT_ROLE !== 'all' && !c.DATABASE_URL) {
    throw new ConfigError(`invalid environment:\n  IOT_ROLE=${c.IOT_ROLE} needs DATABASE_URL (PGlite belongs to one process)`);
  }
  if (c.EVENT_LOG === 'kafka' && !c.KAFKA_URL) throw new ConfigError('invalid environment:\n  EVENT_LOG=kafka needs KAFKA_URL');
  return c;
}

/** Reads a variable for tools that are not the server (the CLI's defaults); still one door. */
export function cliEnv(env: Record<string, string | undefined> = process.env): {
  databaseUrl?: string;
  pgliteDir: string;
  schema: string;
  adminToken?: string;
  adminTokenFile: string;
  port: number;
  mqttPort: number;
} {
  const c = configSchema.pick({ DATABASE_URL: true, PGLITE_DIR: true, DB_SCHEMA: true, ADMIN_TOKEN: true, ADMIN_TOKEN_FILE: true, PORT: true, MQTT_PORT: true }).parse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')),
  );
  return {
    ...(c.DATABASE_URL ? { databaseUrl: c.DATABASE_URL } : {}),
    pgliteDir: c.PGLITE_DIR,
    schema: c.DB_SCHEMA,
    ...(c.ADMIN_TOKEN ? { adminToken: c.ADMIN_TOKEN } : {}),
    adminTokenFile: c.ADMIN_TOKEN_FILE,
    port: c.PORT,
    mqttPort: c.MQTT_PORT,
  };
}

/** The event log adapter options the configuration asks for. */
export function eventLogOptions(c: Config): EventLogOptions<TelemetryV1> {
  const common = { maxBuffered: c.EVENT_LOG_MAX_BUFFERED, partitions: c.EVENT_LOG_PARTITIONS };
  switch (c.EVENT_LOG) {
    case 'memory':
      return { kind: 'memory', ...common };
    case 'redis':
      return { kind: 'redis', url: c.REDIS_URL, tlsRejectUnauthorized: c.REDIS_TLS_REJECT_UNAUTHORIZED, prefix: c.EVENT_LOG_PREFIX, claimIdleMs: c.EVENT_LOG_CLAIM_IDLE_MS, ...common };
    case 'kafka':
      return {
        kind: 'kafka',
        brokers: c.KAFKA_URL!,
        prefix: c.KAFKA_PREFIX,
        ...(c.KAFKA_CLIENT_CERT && c.KAFKA_CLIENT_CERT_KEY ? { ssl: { cert: c.KAFKA_CLIENT_CERT, key: c.KAFKA_CLIENT_CERT_KEY, ...(c.KAFKA_TRUSTED_CERT ? { ca: c.KAFKA_TRUSTED_CERT } : {}) } } : {}),
        ...common,
      };
  }
}
