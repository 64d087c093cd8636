/**
 * Redis connections for BullMQ from `REDIS_URL`. `rediss://` URLs use TLS. Heroku Key-Value
 * Store presents a self-signed certificate, so Heroku documents turning verification off; that is
 * an explicit opt-in here (`tlsRejectUnauthorized: false`), never the default.
 */
import { Redis, type RedisOptions } from 'ioredis';

/** Options of `redisConnection`. */
export interface RedisConnectionOptions {
  /** Redis URL (`redis://` or `rediss://`). @defaultValue 'redis://127.0.0.1:6379' */
  url?: string;
  /** Verify the server certificate of a `rediss://` URL. @defaultValue true */
  tlsRejectUnauthorized?: boolean;
  /**
   * BullMQ workers need `null` (block forever on BRPOPLPUSH-style calls); producers should fail
   * fast. @defaultValue null
   */
  maxRetriesPerRequest?: number | null;
  /** Name shown by `CLIENT LIST`. */
  connectionName?: string;
}

/** ioredis options for `url`, with TLS for `rediss://`. */
export function redisOptions(options: RedisConnectionOptions = {}): RedisOptions {
  const url = new URL(options.url ?? 'redis://127.0.0.1:6379');
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error(`REDIS_URL must start with redis:// or rediss://, got ${url.protocol}//`);
  }
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    db: Number.isInteger(db) ? db : 0,
    ...(url.protocol === 'rediss:' ? { tls: { rejectUnauthorized: options.tlsRejectUnauthorized ?? true } } : {}),
    maxRetriesPerRequest: options.maxRetriesPerRequest === undefined ? null : options.maxRetriesPerRequest,
    ...(options.connectionName ? { connectionName: options.connectionName } : {}),
  };
}

/** A new ioredis connection. The caller owns it and must `quit()` it. */
export function redisConnection(options: RedisConnectionOptions = {}): Redis {
  return new Redis(redisOptions(options));
}

/**
 * BullMQ loses jobs when Redis evicts keys; it needs `maxmemory-policy noeviction`. Returns a
 * warning to log when the server says otherwise (managed Redis may forbid CONFIG: then null).
 */
export async function checkEvictionPolicy(redis: Redis): Promise<string | null> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1];
    if (policy && policy !== 'noeviction') {
      return `Redis maxmemory-policy is '${policy}': queued jobs can be evicted under memory pressure. Set it to 'noeviction'.`;
    }
    return null;
  } catch {
    return null;
  }
}

/** What the server says about persistence: append-only file, snapshots, none, or unknown (CONFIG refused). */
export interface PersistenceReport {
  mode: 'aof' | 'rdb' | 'aof+rdb' | 'none' | 'unknown';
  /** A warning to log when queued jobs would not survive a restart; null otherwise. */
  warning: string | null;
}

/**
 * Whether Redis keeps the queue across a restart (`CONFIG GET appendonly` and `save`). Without
 * persistence a restart loses every queued and running job: resubmit batches with their
 * idempotency key. Managed Redis that refuses CONFIG (Heroku Key-Value Store persists) is
 * `unknown`, without a warning. Never refuses to start: local development runs without it on purpose.
 */
export async function checkPersistence(redis: Redis): Promise<PersistenceReport> {
  try {
    const aof = ((await redis.config('GET', 'appendonly')) as string[])[1];
    const save = ((await redis.config('GET', 'save')) as string[])[1];
    const hasAof = aof === 'yes';
    const hasRdb = typeof save === 'string' && save.trim() !== '';
    if (hasAof || hasRdb) return { mode: hasAof && hasRdb ? 'aof+rdb' : hasAof ? 'aof' : 'rdb', warning: null };
    return {
      mode: 'none',
      warning:
        'Redis persists nothing (appendonly no, save ""): a Redis restart loses every queued and running job. ' +
        'Fine for development; in production enable persistence, and resubmit lost batches with their idempotency key.',
    };
  } catch {
    return { mode: 'unknown', warning: null };
  }
}
