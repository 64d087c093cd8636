/**
 * The benchmark's keys in Redis: every run uses its own BullMQ prefix
 * `ecars-bench-<host>-<pid>-<random>`, removed at the end. A run that was killed outright (SIGKILL,
 * or tsx's launcher giving up on a busy process) cannot remove its own; the next run on the same
 * host removes the keys of runs whose process no longer exists.
 */
import { hostname } from 'node:os';
import { Redis, type RedisOptions } from 'ioredis';

const HOST =
  hostname()
    .replace(/[^A-Za-z0-9.-]/g, '-')
    .slice(0, 40) || 'host';

/** A fresh prefix for this process (valid as the worker's QUEUE_PREFIX). */
export function benchPrefix(random: string): string {
  return `ecars-bench-${HOST}-${process.pid}-${random}`;
}

/** Deletes every key matching `pattern` (SCAN, so Redis is never blocked); returns how many. */
export async function deleteKeys(connection: RedisOptions, pattern: string): Promise<number> {
  const redis = new Redis({ ...connection, maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/** Removes the keys of earlier runs on this host whose process is gone; returns how many keys. */
export async function removeStaleBenchKeys(connection: RedisOptions): Promise<number> {
  const redis = new Redis({ ...connection, maxRetriesPerRequest: 1 });
  const stale = new Set<string>();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `ecars-bench-${HOST}-*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const prefix = key.split(':', 1)[0]!;
        const pid = Number(prefix.slice(`ecars-bench-${HOST}-`.length).split('-', 1)[0]);
        if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) stale.add(prefix);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  let deleted = 0;
  for (const prefix of stale) deleted += await deleteKeys(connection, `${prefix}:*`);
  return deleted;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
