// The contract suite on the in-process adapter.
import { MemoryEventLog } from '../src/index.js';
import { eventLogContract, type TestValue } from './contract.js';

eventLogContract({
  name: 'in-process',
  durable: false,
  async namespace() {
    return {
      partitions: 8,
      open: async (options) => new MemoryEventLog<TestValue>({ partitions: 8, ...options }),
      cleanup: async () => undefined,
    };
  },
});
