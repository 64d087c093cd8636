/**
 * The event-log contract: what the MQTT ingest appends and what every sink consumes. Every adapter
 * (in-process, Redis Streams, Kafka) implements it and passes the same contract suite
 * (`test/contract.ts`).
 */

/** One record to append. */
export interface LogRecord<T> {
  /** Partition key (the VIN): records with the same key are delivered in append order. */
  key: string;
  /** The payload, serialised by the log's {@link Codec}. */
  value: T;
}

/** A record as a consumer receives it. */
export interface Delivered<T> extends LogRecord<T> {
  /** Partition (Redis: stream shard; Kafka: topic partition) the record lives in. */
  partition: number;
  /**
   * Position inside the partition, as the backend spells it (in-process and Kafka: a decimal
   * counter; Redis: the stream entry id `ms-seq`). Opaque: compare only within one partition.
   */
  offset: string;
}

/** How values become bytes on a durable backend. */
export interface Codec<T> {
  encode(value: T): Buffer;
  decode(bytes: Buffer): T;
}

/**
 * Processes one batch. The batch is acknowledged only after the returned promise resolves; if it
 * rejects, nothing in the batch is acknowledged and every record in it is delivered again (to this
 * consumer or, after a rebalance, to another one of the same group). Records of one key arrive in
 * append order, and a batch never holds a record whose predecessor with the same key is still
 * unacknowledged in another consumer's hands.
 */
export type BatchHandler<T> = (batch: readonly Delivered<T>[]) => Promise<void>;

/** A running consumer. */
export interface Subscription {
  /**
   * Leaves the group: waits for the batch in flight (acknowledged if its handler resolves), then
   * releases this consumer's partitions to the rest of the group. Idempotent.
   */
  stop(): Promise<void>;
}

/** Why a consumer did not acknowledge a batch (given to {@link ConsumeOptions.onError}). */
export interface ConsumeErrorInfo {
  group: string;
  consumer: string;
  /** How many records the unacknowledged batch held (they will be delivered again). */
  records: number;
}

/** Options of {@link EventLog.consume}. */
export interface ConsumeOptions {
  /**
   * Name of this consumer inside its group (Redis: the consumer name that owns pending entries;
   * Kafka: part of the client id). @defaultValue a random name
   */
  consumer?: string;
  /** Most records handed to one handler call. @defaultValue 500 */
  maxBatch?: number;
  /**
   * Called when the handler rejects (the batch is delivered again after `retryDelayMs`). Without
   * it, such errors are swallowed after being counted by redelivery: pass one to log them.
   */
  onError?: (error: unknown, info: ConsumeErrorInfo) => void;
  /** Pause before redelivering a batch whose handler rejected. @defaultValue 100 */
  retryDelayMs?: number;
}

/**
 * An append-only, partitioned log with consumer groups: every group sees every record, the
 * consumers of one group share the partitions, and a record counts as consumed by a group only
 * once a handler of that group resolved for it (at-least-once).
 *
 * @typeParam T - the record value
 */
export interface EventLog<T> {
  /**
   * Appends records. Resolves once the log accepted them (in-process: buffered; Redis: written;
   * Kafka: acknowledged by the partition leaders). While {@link saturated}, the call waits for
   * room before accepting: that is how backpressure reaches QoS 1 publishers (PUBACK withheld).
   */
  append(records: readonly LogRecord<T>[]): Promise<void>;
  /**
   * True while an append would wait: the slowest known group holds `maxBuffered` unacknowledged
   * records. A QoS 0 publisher's message is dropped (and counted) rather than waited for.
   */
  readonly saturated: boolean;
  /** Starts one consumer of `group` (the group is created at its first consumer, from the oldest record). */
  consume(group: string, handler: BatchHandler<T>, options?: ConsumeOptions): Promise<Subscription>;
  /** Records of this log not yet acknowledged by `group` (all retained records for a group never seen). */
  lag(group: string): Promise<number>;
  /**
   * Stops accepting appends, makes every accepted record durable (in-process: gives the running
   * consumers up to `drainTimeoutMs` to acknowledge them), stops the consumers and closes the
   * connections. Idempotent.
   */
  close(): Promise<void>;
}
