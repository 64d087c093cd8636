/**
 * Kafka adapter through kafkajs: one topic (`{prefix}{topic}`) partitioned by murmur2 of the key
 * with an explicit partitioner, an idempotent producer (one request in flight, so retries can
 * neither duplicate nor reorder), and one consumer group (`{prefix}{group}`) per sink. A batch
 * is committed (OffsetCommit) after its handler resolves; a batch whose handler rejects is not
 * resolved, so kafkajs fetches it again from the last resolved offset.
 *
 * kafkajs is in maintenance mode; it stays behind this adapter (the EventLog contract), so it can
 * be swapped without touching the sinks.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Consumer, type KafkaConfig, type Producer } from 'kafkajs';
import { BacklogGate } from './backlog-gate.js';
import { jsonCodec } from './codec.js';
import { EventLogError, EventLogErrorCode } from './errors.js';
import { parseKafkaBrokers } from './kafka-brokers.js';
import type { KafkaEventLogOptions } from './options.js';
import { partitionOf } from './partitioner.js';
import { delay } from './signal.js';
import type { BatchHandler, Codec, ConsumeOptions, Delivered, EventLog, LogRecord, Subscription } from './types.js';
import { positive } from './validate.js';

type ConsumerState = 'running' | 'stopping' | 'stopped';

/** One kafkajs consumer in its group, with explicit state. */
class KafkaSubscription implements Subscription {
  state: ConsumerState = 'running';
  #stopping: Promise<void> | null = null;
  readonly abort = new AbortController();

  constructor(
    readonly consumer: Consumer,
    readonly onStopped: () => void,
  ) {}

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.state = 'stopping';
      this.abort.abort();
      // kafkajs waits for the batch in flight, then leaves the group (LeaveGroup), so the
      // partitions move to the other members at once instead of after the session timeout.
      await this.consumer.disconnect();
      this.state = 'stopped';
      this.onStopped();
    })();
    return this.#stopping;
  }
}

/** The Kafka adapter of {@link EventLog}. Open it with {@link KafkaEventLog.open}. */
export class KafkaEventLog<T> implements EventLog<T> {
  readonly #subscriptions = new Set<KafkaSubscription>();
  readonly #inflight = new Set<Promise<unknown>>();
  readonly #gate: BacklogGate<LogRecord<T>>;
  #closed = false;
  #closing: Promise<void> | null = null;

  private constructor(
    readonly kafka: Kafka,
    readonly admin: Admin,
    readonly producer: Producer,
    readonly topic: string,
    readonly partitions: number,
    readonly options: KafkaEventLogOptions<T>,
    readonly codec: Codec<T>,
  ) {
    this.#gate = new BacklogGate(
      options.maxBuffered ?? 100_000,
      options.saturationCheckMs ?? 200,
      (group) => this.lag(group),
      (records) => this.#write(records),
    );
  }

  /** Connects, creates the topic if missing (with `partitions`), and starts the producer. */
  static async open<T>(options: KafkaEventLogOptions<T>): Promise<KafkaEventLog<T>> {
    const { brokers, tls } = parseKafkaBrokers(options.brokers);
    if (tls && !options.ssl) {
      throw new EventLogError(EventLogErrorCode.INVALID_OPTIONS, 'kafka+ssl:// brokers need ssl.cert and ssl.key (KAFKA_CLIENT_CERT, KAFKA_CLIENT_CERT_KEY)');
    }
    const partitions = positive('partitions', options.partitions ?? 8);
    positive('maxBuffered', options.maxBuffered ?? 100_000);
    const prefix = options.prefix ?? '';
    const topic = `${prefix}${options.topic ?? 'ecars-telemetry'}`;
    const config: KafkaConfig = {
      clientId: options.clientId ?? 'ecars-event-log',
      brokers,
      // Failures surface as rejected promises of this adapter; kafkajs's own console logger
      // would print every rebalance as an error.
      logLevel: logLevel.NOTHING,
      ...(options.ssl
        ? {
            ssl: {
              cert: options.ssl.cert,
              key: options.ssl.key,
              ...(options.ssl.ca ? { ca: [options.ssl.ca] } : {}),
              // Heroku's broker certificates chain to KAFKA_TRUSTED_CERT but do not name the
              // broker hosts: verify the chain, skip only the host name check.
              checkServerIdentity: () => undefined,
            },
          }
        : {}),
    };
    const kafka = new Kafka(config);
    const admin = kafka.admin();
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Explicit (kafkajs 2 warns otherwise): the same murmur2 partitioner as every adapter, so a
      // key's partition number does not depend on the backend.
      createPartitioner: () => ({ message, partitionMetadata }) => partitionOf(String(message.key), partitionMetadata.length),
    });
    try {
      await admin.connect();
      // Create only when missing: Heroku's multi-tenant plans refuse CreateTopics (topics are
      // made with `heroku kafka:topics:create`), but list them.
      if (!(await admin.listTopics()).includes(topic)) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [{ topic, numPartitions: partitions, replicationFactor: options.replicationFactor ?? 1 }],
        });
      }
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      const actual = metadata.topics[0]?.partitions.length ?? partitions;
      await producer.connect();
      const log = new KafkaEventLog<T>(kafka, admin, producer, topic, actual, options, options.codec ?? jsonCodec<T>());
      for (const group of options.groups ?? []) log.#gate.track(group);
      return log;
    } catch (error) {
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
      throw new EventLogError(EventLogErrorCode.BACKEND, `cannot open the Kafka event log on topic ${topic}`, { cause: error });
    }
  }

  #groupId(group: string): string {
    return `${this.options.prefix ?? ''}${group}`;
  }

  get saturated(): boolean {
    return this.#gate.saturated;
  }

  async append(records: readonly LogRecord<T>[]): Promise<void> {
    if (this.#closed) throw new EventLogError(EventLogErrorCode.CLOSED);
    if (records.length === 0) return;
    await this.#gate.submit(records);
  }

  #write(records: readonly LogRecord<T>[]): Promise<void> {
    const sent = this.producer
      .send({ topic: this.topic, acks: -1, messages: records.map((r) => ({ key: r.key, value: this.codec.encode(r.value) })) })
      .then(
        () => undefined,
        (error: unknown) => {
          throw new EventLogError(EventLogErrorCode.BACKEND, 'produce failed', { cause: error });
        },
      );
    const tracked = sent.catch(() => undefined);
    this.#inflight.add(tracked);
    void tracked.then(() => this.#inflight.delete(tracked));
    return sent;
  }

  async consume(group: string, handler: BatchHandler<T>, options: ConsumeOptions = {}): Promise<Subscription> {
    if (this.#closed) throw new EventLogError(EventLogErrorCode.CLOSED);
    const maxBatch = positive('maxBatch', options.maxBatch ?? 500);
    const retryDelayMs = options.retryDelayMs ?? 100;
    const groupId = this.#groupId(group);
    const name = options.consumer ?? randomUUID();
    const sessionTimeout = this.options.sessionTimeoutMs ?? 30_000;
    const consumer = this.kafka.consumer({
      groupId,
      sessionTimeout,
      rebalanceTimeout: this.options.rebalanceTimeoutMs ?? 60_000,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? Math.max(100, Math.floor(sessionTimeout / 10)),
      maxWaitTimeInMs: this.options.maxWaitTimeMs ?? 500,
      allowAutoTopicCreation: false,
    });
    const subscription = new KafkaSubscription(consumer, () => this.#subscriptions.delete(subscription));
    this.#gate.track(group);
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
          for (let i = 0; i < batch.messages.length; i += maxBatch) {
            if (!isRunning() || isStale()) return;
            const chunk = batch.messages.slice(i, i + maxBatch);
            const delivered: Delivered<T>[] = [];
            for (const m of chunk) {
              try {
                delivered.push({ key: m.key?.toString() ?? '', value: this.codec.decode(m.value ?? Buffer.alloc(0)), partition: batch.partition, offset: m.offset });
              } catch (error) {
                // Reported and skipped (committed with the chunk): left in place it would block
                // its partition forever.
                const undecodable = new EventLogError(EventLogErrorCode.UNDECODABLE, `${batch.topic}/${batch.partition} ${m.offset}`, { cause: error });
                options.onError?.(undecodable, { group, consumer: name, records: 1 });
              }
            }
            try {
              if (delivered.length > 0) await handler(delivered);
            } catch (error) {
              // Left unresolved: kafkajs fetches it again from the last resolved offset.
              options.onError?.(error, { group, consumer: name, records: delivered.length });
              await delay(retryDelayMs, subscription.abort.signal);
              return;
            }
            const last = chunk[chunk.length - 1]!.offset;
            resolveOffset(last);
            await commitOffsetsIfNecessary({
              topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: (BigInt(last) + 1n).toString() }] }],
            });
            await heartbeat();
          }
        },
      });
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw new EventLogError(EventLogErrorCode.BACKEND, `cannot start a consumer of ${groupId}`, { cause: error });
    }
    this.#subscriptions.add(subscription);
    return subscription;
  }

  async lag(group: string): Promise<number> {
    const [ends, committed] = await Promise.all([
      this.admin.fetchTopicOffsets(this.topic),
      this.admin.fetchOffsets({ groupId: this.#groupId(group), topics: [this.topic] }),
    ]);
    const byPartition = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
    let lag = 0n;
    for (const { partition, high, low } of ends) {
      const done = byPartition.get(partition) ?? -1n;
      const from = done >= 0n ? done : BigInt(low);
      if (BigInt(high) > from) lag += BigInt(high) - from;
    }
    return Number(lag);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#gate.close();
    await Promise.all(this.#inflight);
    await Promise.all([...this.#subscriptions].map((s) => s.stop()));
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }
}
