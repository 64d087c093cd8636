// Pure parts: the shared partitioner, Heroku's KAFKA_URL form, option validation, adapter choice.
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createEventLog, EventLogError, EventLogErrorCode, MemoryEventLog, parseKafkaBrokers, partitionOf } from '../src/index.js';

describe('partitionOf', () => {
  it('puts every key where kafkajs’s default (Java-compatible murmur2) partitioner does', () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    for (const partitions of [1, 3, 8, 12]) {
      const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
      for (let i = 0; i < 500; i++) {
        const key = i % 2 === 0 ? `1ECARS${String(i).padStart(11, '0')}` : `vin-${i}-ü`;
        expect(partitionOf(key, partitions)).toBe(kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } }));
      }
    }
  });
});

describe('parseKafkaBrokers', () => {
  it('reads Heroku’s KAFKA_URL form as a TLS broker list', () => {
    expect(parseKafkaBrokers('kafka+ssl://ec2-1.compute.amazonaws.com:9096,kafka+ssl://ec2-2.compute.amazonaws.com:9096')).toEqual({
      brokers: ['ec2-1.compute.amazonaws.com:9096', 'ec2-2.compute.amazonaws.com:9096'],
      tls: true,
    });
  });

  it('reads plain host:port lists, as a string or an array', () => {
    expect(parseKafkaBrokers(['127.0.0.1:9092', ' kafka://b2:9093 '])).toEqual({ brokers: ['127.0.0.1:9092', 'b2:9093'], tls: false });
  });

  it('refuses entries without a port, mixed schemes and an empty list', () => {
    expect(() => parseKafkaBrokers('kafka+ssl://host')).toThrow(/host:port/);
    expect(() => parseKafkaBrokers('kafka://a:1,kafka+ssl://b:2')).toThrow(/mix/);
    expect(() => parseKafkaBrokers(' , ')).toThrow(/no Kafka broker/);
  });
});

describe('createEventLog', () => {
  it('opens the in-process log by default', async () => {
    const log = await createEventLog<number>();
    expect(log).toBeInstanceOf(MemoryEventLog);
    await log.close();
  });

  it('refuses kafka+ssl brokers without a client certificate, with a coded error', async () => {
    const attempt = createEventLog({ kind: 'kafka', brokers: 'kafka+ssl://h1:9096' });
    await expect(attempt).rejects.toBeInstanceOf(EventLogError);
    await expect(attempt).rejects.toMatchObject({ code: EventLogErrorCode.INVALID_OPTIONS, message: /KAFKA_CLIENT_CERT/ });
  });

  it('refuses non-positive sizes and a Redis URL of another scheme', async () => {
    await expect(createEventLog({ maxBuffered: 0 })).rejects.toMatchObject({ code: EventLogErrorCode.INVALID_OPTIONS });
    await expect(createEventLog({ kind: 'redis', url: 'http://localhost:6379' })).rejects.toMatchObject({ code: EventLogErrorCode.INVALID_OPTIONS });
    await expect(createEventLog({ kind: 'redis', maxLen: 1000, maxBuffered: 1000 })).rejects.toMatchObject({ code: EventLogErrorCode.INVALID_OPTIONS, message: /maxLen/ });
  });
});
