import type { Codec } from './types.js';

/** Options every adapter understands. */
export interface CommonEventLogOptions<T> {
  /** Serialises values for durable backends (the in-process log keeps values as they are). @defaultValue JSON */
  codec?: Codec<T>;
  /**
   * Partitions (in-process: queues; Redis: streams; Kafka: topic partitions when the topic is
   * created). Keys are spread over them by murmur2, so this bounds how many consumers of one group
   * can work at once. @defaultValue 8
   */
  partitions?: number;
  /**
   * Backpressure bound: `append` waits (and `saturated` is true) while the slowest known group has
   * this many records unacknowledged. Known groups are those consumed through this instance plus
   * {@link groups}. @defaultValue 10000 in-process, 100000 on Redis and Kafka
   */
  maxBuffered?: number;
  /**
   * Groups whose backlog bounds `append` even though this process does not consume them (the
   * broker process naming the sinks of a multi-process deployment). On the in-process log, records
   * are also retained for these groups before their first consumer starts. @defaultValue []
   */
  groups?: readonly string[];
}

/** The in-process log: one process does everything; nothing survives a restart. */
export interface MemoryEventLogOptions<T> extends CommonEventLogOptions<T> {
  kind?: 'memory';
  /** How long `close()` lets running consumers acknowledge what was appended. @defaultValue 5000 */
  drainTimeoutMs?: number;
}

/** Redis Streams: `partitions` streams sharded by the key's hash, one consumer group per sink. */
export interface RedisEventLogOptions<T> extends CommonEventLogOptions<T> {
  kind: 'redis';
  /** Redis URL (`redis://` or `rediss://`). @defaultValue 'redis://127.0.0.1:6379' */
  url?: string;
  /** Verify the certificate of a `rediss://` server (Heroku Key-Value Store needs false). @defaultValue true */
  tlsRejectUnauthorized?: boolean;
  /** Prefix of every key this log writes (`{prefix}:{partition}`). @defaultValue 'ecars:events' */
  prefix?: string;
  /**
   * Approximate cap per stream (`XADD … MAXLEN ~`). Trimming does not look at acknowledgements,
   * so it must exceed `maxBuffered` (checked): backpressure then stops appends before an entry a
   * known group has not acknowledged could be trimmed. @defaultValue 1000000
   */
  maxLen?: number;
  /** A consumer's pending entry idle this long is claimed by another consumer (`XAUTOCLAIM`). @defaultValue 30000 */
  claimIdleMs?: number;
  /** `XREADGROUP BLOCK` timeout; bounds how long an idle consumer takes to notice a rebalance. @defaultValue 1000 */
  blockMs?: number;
  /** How often the group backlog behind `saturated` is re-read. @defaultValue 100 */
  saturationCheckMs?: number;
}

/** TLS material for Kafka (PEM strings), as Heroku's Kafka add-on provides it. */
export interface KafkaSslOptions {
  /** Client certificate (`KAFKA_CLIENT_CERT`). */
  cert: string;
  /** Client private key (`KAFKA_CLIENT_CERT_KEY`). */
  key: string;
  /** Broker CA (`KAFKA_TRUSTED_CERT`). Heroku's certificates do not name the broker hosts, so the host name is not checked against it. */
  ca?: string;
}

/** Kafka through kafkajs: one topic partitioned by key, one consumer group per sink. */
export interface KafkaEventLogOptions<T> extends CommonEventLogOptions<T> {
  kind: 'kafka';
  /**
   * Brokers: `host:port` strings, or Heroku's `KAFKA_URL` form
   * (`kafka+ssl://h1:9096,kafka+ssl://h2:9096`); `kafka+ssl://` needs {@link ssl}.
   */
  brokers: string | readonly string[];
  /** Client certificate, key and CA for `kafka+ssl://` brokers. */
  ssl?: KafkaSslOptions;
  /** Prefix of the topic and of every group id (Heroku multi-tenant plans: `KAFKA_PREFIX`). @defaultValue '' */
  prefix?: string;
  /** Topic name, after the prefix. @defaultValue 'ecars-telemetry' */
  topic?: string;
  /** Replication factor when this log creates the topic. @defaultValue 1 */
  replicationFactor?: number;
  /** kafkajs client id. @defaultValue 'ecars-event-log' */
  clientId?: string;
  /** Consumer session timeout; a handler must finish well within it. @defaultValue 30000 */
  sessionTimeoutMs?: number;
  /** How often the group backlog behind `saturated` is re-read. @defaultValue 200 */
  saturationCheckMs?: number;
  /** Consumer heartbeat interval (a rebalance is noticed at the next heartbeat). @defaultValue sessionTimeoutMs / 10 */
  heartbeatIntervalMs?: number;
  /** How long the group waits for every member to rejoin during a rebalance. @defaultValue 60000 */
  rebalanceTimeoutMs?: number;
  /** Fetch long-poll: how long the broker may hold a fetch that found nothing new. @defaultValue 500 */
  maxWaitTimeMs?: number;
}

/** Options of `createEventLog`; `kind` picks the adapter. */
export type EventLogOptions<T> = MemoryEventLogOptions<T> | RedisEventLogOptions<T> | KafkaEventLogOptions<T>;
