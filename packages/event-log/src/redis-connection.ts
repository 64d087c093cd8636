import { Redis, type RedisOptions } from 'ioredis';
import { EventLogError, EventLogErrorCode } from './errors.js';

/** ioredis options for a `redis://` or `rediss://` URL. */
export function redisOptionsFromUrl(url: string, tlsRejectUnauthorized: boolean, connectionName: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new EventLogError(EventLogErrorCode.INVALID_OPTIONS, `not a Redis URL: ${url}`, { cause: error });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new EventLogError(EventLogErrorCode.INVALID_OPTIONS, `Redis URL must start with redis:// or rediss://, got ${parsed.protocol}//`);
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    db: Number.isInteger(db) ? db : 0,
    ...(parsed.protocol === 'rediss:' ? { tls: { rejectUnauthorized: tlsRejectUnauthorized } } : {}),
    connectionName,
    // Reads block on their own connection and retry in the consumer loop; a command must not
    // queue forever while Redis is away.
    maxRetriesPerRequest: 3,
  };
}

export function connectRedis(options: RedisOptions): Redis {
  return new Redis(options);
}
