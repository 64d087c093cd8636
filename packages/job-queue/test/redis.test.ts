import { afterAll, describe, expect, it } from 'vitest';
import { checkEvictionPolicy, redisConnection, redisOptions } from '../src/index.js';

describe('redisOptions', () => {
  it('reads host, port, credentials and database from a redis:// URL', () => {
    expect(redisOptions({ url: 'redis://user:p%40ss@cache.example:6380/3' })).toMatchObject({
      host: 'cache.example',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 3,
      maxRetriesPerRequest: null,
    });
  });

  it('uses TLS for rediss:// and verifies certificates unless told not to', () => {
    expect(redisOptions({ url: 'rediss://h:1' }).tls).toEqual({ rejectUnauthorized: true });
    expect(redisOptions({ url: 'rediss://h:1', tlsRejectUnauthorized: false }).tls).toEqual({ rejectUnauthorized: false });
    expect(redisOptions({ url: 'redis://h:1' }).tls).toBeUndefined();
  });

  it('refuses other schemes with a message naming REDIS_URL', () => {
    expect(() => redisOptions({ url: 'http://h:1' })).toThrow(/REDIS_URL must start with redis:\/\/ or rediss:\/\//);
  });
});

describe('checkEvictionPolicy (real Redis on 127.0.0.1:6379)', () => {
  const redis = redisConnection({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', maxRetriesPerRequest: 1 });
  afterAll(() => redis.quit());

  it('warns when Redis may evict keys and is quiet with noeviction', async () => {
    const before = ((await redis.config('GET', 'maxmemory-policy')) as string[])[1] ?? 'noeviction';
    try {
      await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
      expect(await checkEvictionPolicy(redis)).toMatch(/maxmemory-policy is 'allkeys-lru'.*noeviction/);
      await redis.config('SET', 'maxmemory-policy', 'noeviction');
      expect(await checkEvictionPolicy(redis)).toBeNull();
    } finally {
      await redis.config('SET', 'maxmemory-policy', before);
    }
  });
});
