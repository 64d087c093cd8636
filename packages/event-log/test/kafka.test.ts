// The contract suite on the Kafka adapter: the real kafkajs client against the Kafka-wire test
// broker (test/kafka-broker/) on loopback, every run; and against a real cluster when
// KAFKA_BROKERS is set.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { EventLogErrorCode, KafkaEventLog } from '../src/index.js';
import { eventLogContract, type ContractTarget, type TestValue } from './contract.js';
import { testEnv } from './env.js';
import { KafkaTestBroker } from './kafka-broker/kafka-test-broker.js';

let broker: KafkaTestBroker;
const warnings: string[] = [];
const onWarning = (warning: Error): void => void warnings.push(warning.name);

beforeAll(async () => {
  process.on('warning', onWarning);
  broker = await new KafkaTestBroker().start();
});

afterAll(async () => {
  // Which API versions kafkajs actually sent (the broker serves exactly one of each).
  console.log(`kafka test broker served: ${[...broker.seen].map(([api, n]) => `${api}×${n}`).join(', ')}`);
  await broker.close();
  process.off('warning', onWarning);
});

function kafkaTarget(name: string, brokers: () => string): ContractTarget {
  return {
    name,
    durable: true,
    timeoutMs: 20_000,
    async namespace() {
      const prefix = `test-${randomUUID().slice(0, 8)}-`;
      return {
        partitions: 4,
        open: (options) =>
          KafkaEventLog.open<TestValue>({
            kind: 'kafka',
            brokers: brokers(),
            prefix,
            partitions: 4,
            sessionTimeoutMs: 6000,
            heartbeatIntervalMs: 100,
            rebalanceTimeoutMs: 5000,
            maxWaitTimeMs: 100,
            saturationCheckMs: 20,
            ...options,
          }),
        // Topics are per-test names; the test broker forgets them when it stops.
        cleanup: async () => undefined,
      };
    },
  };
}

eventLogContract(kafkaTarget('Kafka (kafkajs → Kafka-wire test broker)', () => broker.address));

describe('Kafka-wire test broker', () => {
  it('receives only the API versions it advertises', () => {
    expect(broker.unsupported).toEqual([]);
    expect(broker.seen.size).toBeGreaterThan(0);
  });

  it('reports an undecodable record to onError with UNDECODABLE and commits past it', async () => {
    const prefix = `undecodable-${randomUUID().slice(0, 8)}-`;
    const log = await KafkaEventLog.open<TestValue>({ kind: 'kafka', brokers: broker.address, prefix, partitions: 1, heartbeatIntervalMs: 100, maxWaitTimeMs: 100 });
    const raw = new Kafka({ brokers: [broker.address], logLevel: logLevel.NOTHING }).producer({ createPartitioner: () => () => 0 });
    try {
      const errors: unknown[] = [];
      const seen: number[] = [];
      let done!: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      await log.consume(
        'sink',
        async (batch) => {
          seen.push(...batch.map((r) => r.value.seq));
          if (seen.includes(1)) done();
        },
        { onError: (error) => errors.push(error) },
      );
      await log.append([{ key: 'a', value: { k: 'a', seq: 0 } }]);
      await raw.connect();
      await raw.send({ topic: log.topic, messages: [{ key: 'a', value: '{not json' }] });
      await log.append([{ key: 'a', value: { k: 'a', seq: 1 } }]);
      await finished;
      expect(seen).toEqual([0, 1]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: EventLogErrorCode.UNDECODABLE });
    } finally {
      await raw.disconnect();
      await log.close();
    }
  });

  it('ran kafkajs without TimeoutNegativeWarning (patches/kafkajs@2.2.4.patch)', () => {
    expect(broker.seen.get('Fetch v4') ?? 0).toBeGreaterThan(0);
    expect(warnings).not.toContain('TimeoutNegativeWarning');
  });
});

if (testEnv.KAFKA_BROKERS) {
  const brokers = testEnv.KAFKA_BROKERS;
  eventLogContract(kafkaTarget('Kafka (real cluster from KAFKA_BROKERS)', () => brokers));
} else {
  console.log('Kafka contract on a real cluster skipped: KAFKA_BROKERS is not set');
}
