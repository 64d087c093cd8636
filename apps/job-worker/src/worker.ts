/**
 * The worker process. SIGTERM (Heroku gives 30 s): stop taking jobs and let the current chunks
 * finish for SHUTDOWN_GRACE_MS; then the running chunks stop writing and are released to another
 * worker at once (chunk writes are keyed, so nothing is written twice), and the process exits.
 */
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startWorkers } from './workers.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const running = await startWorkers({
    redisUrl: config.REDIS_URL,
    tlsRejectUnauthorized: config.REDIS_TLS_REJECT_UNAUTHORIZED,
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    writeConcurrency: config.WRITE_CONCURRENCY,
    maxConcurrentRequests: config.SF_MAX_CONCURRENT_REQUESTS,
    lockDuration: config.LOCK_DURATION_MS,
    stalledInterval: config.STALLED_INTERVAL_MS,
    chunkRetry: { attempts: config.CHUNK_ATTEMPTS, backoffMs: config.CHUNK_BACKOFF_MS },
    allowedOrigins: config.SF_ALLOWED_ORIGINS,
    progressEvents: config.PROGRESS_EVENTS,
    logger,
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs: config.SHUTDOWN_GRACE_MS }, 'stopping: finishing the current jobs');
    running.stop(config.SHUTDOWN_GRACE_MS).then(
      (outcome) => {
        logger.info({ outcome }, 'stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`job-worker: ${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
