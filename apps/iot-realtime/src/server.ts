/**
 * The process: configuration from the environment, `buildApp`, listen (HTTP + MQTT TCP), and a
 * graceful stop on SIGTERM/SIGINT within SHUTDOWN_GRACE_MS (Heroku sends SIGTERM and waits 30 s):
 * stop accepting, drain the event log into the database, close clients, exit 0.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildApp } from './app.js';
import { ConfigError, eventLogOptions, loadConfig, type Config } from './config.js';
import { newToken } from './services/token-hash.js';

const HELP = `iot-realtime server: MQTT broker (TCP and WebSocket /mqtt), event log, persistence.

Usage: node dist/server.js        (or: pnpm --filter @ecars/iot-realtime dev)

Configuration comes from the environment; every variable is listed with its default in
apps/iot-realtime/.env.example. IOT_ROLE=broker|persist|all splits the pipeline over processes
(needs EVENT_LOG=redis or kafka and DATABASE_URL).
`;

/** ADMIN_TOKEN, or outside production a random one kept in ADMIN_TOKEN_FILE for local tools. */
function adminToken(c: Config): string | undefined {
  if (c.ADMIN_TOKEN) return c.ADMIN_TOKEN;
  if (c.NODE_ENV === 'production') return undefined;
  try {
    const existing = readFileSync(c.ADMIN_TOKEN_FILE, 'utf8').trim();
    if (existing.length >= 16) return existing;
  } catch {
    // none yet
  }
  const token = newToken();
  mkdirSync(dirname(c.ADMIN_TOKEN_FILE), { recursive: true });
  writeFileSync(c.ADMIN_TOKEN_FILE, `${token}\n`, { mode: 0o600 });
  return token;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const config = loadConfig();
  if (!config.DATABASE_URL && config.PGLITE_DIR !== 'memory://') mkdirSync(config.PGLITE_DIR, { recursive: true });
  const token = adminToken(config);
  const app = await buildApp({
    role: config.IOT_ROLE,
    database: {
      ...(config.DATABASE_URL ? { url: config.DATABASE_URL } : { pgliteDir: config.PGLITE_DIR }),
      schema: config.DB_SCHEMA,
      sslRejectUnauthorized: config.DATABASE_SSL_REJECT_UNAUTHORIZED,
    },
    eventLog: eventLogOptions(config),
    mqtt: config.IOT_ROLE === 'persist' ? false : { port: config.MQTT_PORT, host: config.HOST },
    maxPayloadBytes: config.MAX_PAYLOAD_BYTES,
    drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
    persist: {
      batchSize: config.PERSIST_BATCH_SIZE,
      flushMs: config.PERSIST_FLUSH_MS,
      consumers: config.PERSIST_CONSUMERS,
      retentionDays: config.TELEMETRY_RETENTION_DAYS,
      rollupRetentionDays: config.ROLLUP_RETENTION_DAYS,
    },
    ...(token ? { adminToken: token } : {}),
    defaultMetrics: true,
    logger: { level: config.LOG_LEVEL },
  });
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      app.log.info({ signal, graceMs: config.SHUTDOWN_GRACE_MS }, 'stopping');
      const timer = setTimeout(() => {
        app.log.error('graceful stop exceeded SHUTDOWN_GRACE_MS; exiting');
        process.exit(1);
      }, config.SHUTDOWN_GRACE_MS);
      timer.unref();
      app.close().then(
        () => {
          app.log.info('stopped');
          process.exit(0);
        },
        (err: unknown) => {
          app.log.error({ err }, 'error while stopping');
          process.exit(1);
        },
      );
    });
  }
  await app.listen({ port: config.PORT, host: config.HOST });
  app.log.info(
    { role: config.IOT_ROLE, mqttPort: app.iot.mqttPort, eventLog: config.EVENT_LOG, database: config.DATABASE_URL ? 'postgres' : `pglite:${config.PGLITE_DIR}`, admin: token ? (config.ADMIN_TOKEN ? 'ADMIN_TOKEN' : config.ADMIN_TOKEN_FILE) : 'off' },
    'iot-realtime ready',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`iot-realtime: ${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
