// The contract suite on the Redis Streams adapter (the shared Redis at 127.0.0.1:6379; every test
// uses its own random key prefix and deletes its keys afterwards).
import { RedisEventLog } from '../src/index.js';
import { eventLogContract, type TestValue } from './contract.js';
import { REDIS_URL, redisNamespace } from './redis-helpers.js';

eventLogContract({
  name: 'Redis Streams',
  durable: true,
  async namespace() {
    const { prefix, cleanup } = redisNamespace();
    return {
      partitions: 4,
      open: (options) =>
        RedisEventLog.open<TestValue>({ kind: 'redis', url: REDIS_URL, prefix, partitions: 4, blockMs: 100, claimIdleMs: 1000, saturationCheckMs: 20, ...options }),
      cleanup,
    };
  },
});
