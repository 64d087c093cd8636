/**
 * Event-log benchmark: append → consume throughput (records acknowledged by one consumer group
 * per second) for the in-process log, Redis Streams and kafkajs against the Kafka-wire TEST broker
 * (a fixture: its figure says nothing about a real Kafka), against a baseline measured in the same
 * run: one XADD round trip per message, consumed one XREADGROUP + XACK per message.
 * The last line printed is one JSON object.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { KafkaEventLog, MemoryEventLog, RedisEventLog, type EventLog, type LogRecord } from '../src/index.js';
import { KafkaTestBroker } from '../test/kafka-broker/kafka-test-broker.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const MESSAGES = 20_000;
const BASELINE_MESSAGES = 3_000;
const BATCH = 500;

interface Telemetry {
  v: 1;
  vin: string;
  seq: number;
  ts: number;
  lat: number;
  lon: number;
  speedMph: number;
  batteryPct: number;
  rangeMiles: number;
  mpge: number;
  malfunction: number;
  profile: 'short' | 'medium' | 'long';
}

/** ~300-byte telemetry records from 1,000 cars. */
function message(i: number): LogRecord<Telemetry> {
  const vin = `1ECARS${String(i % 1000).padStart(11, '0')}`;
  return {
    key: vin,
    value: {
      v: 1,
      vin,
      seq: Math.floor(i / 1000),
      ts: 1_764_000_000_000 + i,
      lat: 37.7749 + (i % 100) / 10_000,
      lon: -122.4194 - (i % 100) / 10_000,
      speedMph: 42.5,
      batteryPct: 87.25,
      rangeMiles: 231.4,
      mpge: 118.2,
      malfunction: 0.5,
      profile: 'medium',
    },
  };
}

async function measure(name: string, log: EventLog<Telemetry>): Promise<number> {
  let consumed = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const subscription = await log.consume('bench', async (batch) => {
    consumed += batch.length;
    if (consumed >= MESSAGES) done();
  });
  const started = performance.now();
  for (let i = 0; i < MESSAGES; i += BATCH) {
    await log.append(Array.from({ length: Math.min(BATCH, MESSAGES - i) }, (_, j) => message(i + j)));
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([finished, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${name}: timed out`)), 45_000)))]);
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  await subscription.stop();
  await log.close();
  const rate = Math.round(MESSAGES / seconds);
  console.log(`${name}: ${MESSAGES} records appended and consumed in ${seconds.toFixed(2)} s = ${rate} msgs/s`);
  return rate;
}

async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

/** The naive way: one awaited XADD per message; one XREADGROUP and one XACK per message. */
async function baseline(prefix: string): Promise<number> {
  const producer = new Redis(REDIS_URL);
  const consumer = new Redis(REDIS_URL);
  const stream = `${prefix}baseline`;
  await producer.xgroup('CREATE', stream, 'bench', '0', 'MKSTREAM');
  let consumed = 0;
  const started = performance.now();
  const reading = (async () => {
    while (consumed < BASELINE_MESSAGES) {
      const reply = (await consumer.xreadgroup('GROUP', 'bench', 'c', 'COUNT', 1, 'BLOCK', 1000, 'STREAMS', stream, '>')) as [string, [string, string[]][]][] | null;
      for (const [, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          JSON.parse(fields[3]!);
          await consumer.xack(stream, 'bench', id);
          consumed++;
        }
      }
    }
  })();
  for (let i = 0; i < BASELINE_MESSAGES; i++) {
    const record = message(i);
    await producer.xadd(stream, '*', 'k', record.key, 'v', JSON.stringify(record.value));
  }
  await reading;
  const seconds = (performance.now() - started) / 1000;
  producer.disconnect();
  consumer.disconnect();
  const rate = Math.round(BASELINE_MESSAGES / seconds);
  console.log(`baseline (one XADD, one XREADGROUP and one XACK per message): ${BASELINE_MESSAGES} in ${seconds.toFixed(2)} s = ${rate} msgs/s`);
  return rate;
}

const prefix = `bench:event-log:${randomUUID()}:`;
const broker = await new KafkaTestBroker().start();
try {
  const memory = await measure('in-process', new MemoryEventLog<Telemetry>({ maxBuffered: 10_000 }));
  const redis = await measure('Redis Streams', await RedisEventLog.open<Telemetry>({ kind: 'redis', url: REDIS_URL, prefix: `${prefix}log` }));
  const kafka = await measure(
    'kafkajs → Kafka-wire TEST broker (fixture, not a Kafka figure)',
    await KafkaEventLog.open<Telemetry>({ kind: 'kafka', brokers: broker.address, prefix: 'bench-', maxWaitTimeMs: 100, heartbeatIntervalMs: 1000 }),
  );
  const perMessage = await baseline(prefix);
  console.log(
    JSON.stringify({
      bench: 'event-log',
      messages: MESSAGES,
      memoryMsgsPerSec: memory,
      redisMsgsPerSec: redis,
      kafkaTestBrokerMsgsPerSec: kafka,
      redisPerMessageBaselineMsgsPerSec: perMessage,
      redisVsBaseline: Math.round((redis / perMessage) * 10) / 10,
    }),
  );
} finally {
  await broker.close();
  await deleteKeys(prefix);
}
