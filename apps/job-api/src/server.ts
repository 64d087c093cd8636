/**
 * The web process: configuration from the environment, `buildApp`, listen, and a graceful stop on
 * SIGTERM/SIGINT (Heroku sends SIGTERM and waits 30 s): stop accepting, finish in-flight requests,
 * close the queues.
 */
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await buildApp({
    redisUrl: config.REDIS_URL,
    redisTlsRejectUnauthorized: config.REDIS_TLS_REJECT_UNAUTHORIZED,
    queuePrefix: config.QUEUE_PREFIX,
    chunkSize: config.CHUNK_SIZE,
    rateLimit: { max: config.RATE_LIMIT_MAX, windowMs: config.RATE_LIMIT_WINDOW_MS },
    statusRateLimitMax: config.STATUS_RATE_LIMIT_MAX,
    allowedOrigins: config.SF_ALLOWED_ORIGINS,
    bodyLimit: config.BODY_LIMIT_BYTES,
    ...(config.ADMIN_USER && config.ADMIN_PASSWORD ? { admin: { user: config.ADMIN_USER, password: config.ADMIN_PASSWORD } } : {}),
    logger: { level: config.LOG_LEVEL },
  });
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      app.log.info({ signal }, 'stopping');
      app.close().then(
        () => process.exit(0),
        (err: unknown) => {
          app.log.error({ err }, 'error while stopping');
          process.exit(1);
        },
      );
    });
  }
  // Behind the AppLink service mesh (Procfile: APP_PORT=3000 heroku-applink-service-mesh …) the
  // mesh owns $PORT and forwards to APP_PORT.
  await app.listen({ port: config.APP_PORT ?? config.PORT, host: config.HOST });
}

main().catch((err: unknown) => {
  process.stderr.write(`job-api: ${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
