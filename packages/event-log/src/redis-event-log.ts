/**
 * Redis Streams adapter. Records go to `partitions` streams (`{prefix}:{n}`) chosen by the key's
 * murmur2 hash; each sink is a consumer group created on every stream.
 *
 * Per-key order with several consumers needs more than a consumer group (Redis hands `>` entries
 * of one stream to whichever consumer asks): each stream is read by one consumer of the group at a
 * time. Consumers register in `{prefix}:members:{group}` (a sorted set scored by expiry) and own
 * the streams `n % members` assigns them, through a lease key `{prefix}:lease:{group}:{n}`
 * renewed by a timer. A consumer gives a stream up only between batches, so the next owner never
 * reads a stream while a batch from it is in flight elsewhere. When it takes a stream over, it
 * claims (`XAUTOCLAIM`) the pending entries the previous owner left unacknowledged (a failed
 * batch, or a crash: a dead consumer's lease and membership expire after `claimIdleMs`) and
 * handles them before anything newer.
 *
 * Trimming: `XADD … MAXLEN ~ maxLen` keeps each stream near `maxLen` entries regardless of
 * acknowledgements; backpressure (`maxBuffered`, which must be below `maxLen`) stops appends
 * before an entry a known group has not acknowledged could be trimmed.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { BacklogGate } from './backlog-gate.js';
import { jsonCodec } from './codec.js';
import { EventLogError, EventLogErrorCode } from './errors.js';
import type { RedisEventLogOptions } from './options.js';
import { partitionOf } from './partitioner.js';
import { connectRedis, redisOptionsFromUrl } from './redis-connection.js';
import { delay } from './signal.js';
import { positive } from './validate.js';
import type { BatchHandler, Codec, ConsumeOptions, Delivered, EventLog, LogRecord, Subscription } from './types.js';

const RENEW_LEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_LEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

type StreamEntry = [id: Buffer, fields: Buffer[] | null];
type ReadReply = [stream: Buffer, entries: StreamEntry[]][] | null;

interface Settings<T> {
  prefix: string;
  partitions: number;
  maxBuffered: number;
  maxLen: number;
  claimIdleMs: number;
  blockMs: number;
  saturationCheckMs: number;
  codec: Codec<T>;
  url: string;
  tlsRejectUnauthorized: boolean;
}

type ConsumerState = 'running' | 'stopping' | 'stopped';

/** One consumer: its own blocking connection, its leases, and a loop with explicit state. */
class RedisConsumer<T> implements Subscription {
  state: ConsumerState = 'running';
  #phase: 'idle' | 'reading' | 'handling' = 'idle';
  /** Streams the group's current membership assigns to this consumer. */
  #assigned = new Set<number>();
  /** Streams whose lease this consumer holds. */
  readonly #held = new Set<number>();
  /** Held streams whose own pending entries must be handled before reading new ones. */
  readonly #recover = new Set<number>();
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #loop: Promise<void> = Promise.resolve();
  #stopping: Promise<void> | null = null;

  constructor(
    readonly log: RedisEventLog<T>,
    readonly group: string,
    readonly name: string,
    readonly blocking: Redis,
    readonly handler: BatchHandler<T>,
    readonly options: Required<Pick<ConsumeOptions, 'maxBatch' | 'retryDelayMs'>> & Pick<ConsumeOptions, 'onError'>,
  ) {}

  get #settings(): Settings<T> {
    return this.log.settings;
  }

  #leaseKey(partition: number): string {
    return `${this.#settings.prefix}:lease:${this.group}:${partition}`;
  }

  get #membersKey(): string {
    return `${this.#settings.prefix}:members:${this.group}`;
  }

  async start(): Promise<void> {
    await this.#heartbeat();
    // Renewing on a timer, not in the loop, keeps a consumer whose handler is slow (a long
    // database commit) from losing its streams mid-batch.
    this.#timer = setInterval(() => void this.#heartbeat().catch(() => undefined), Math.max(50, Math.floor(this.#settings.claimIdleMs / 3)));
    this.#timer.unref();
    this.#loop = this.#run();
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    if (this.state === 'running') this.state = 'stopping';
    this.#abort.abort();
    // A blocked XREADGROUP would hold the loop for up to blockMs: cut it. Entries it was about to
    // return stay pending under this consumer and are claimed by the stream's next owner.
    if (this.#phase === 'reading') this.blocking.disconnect();
    await this.#loop;
    clearInterval(this.#timer);
    const redis = this.log.redis;
    await Promise.all([...this.#held].map((p) => redis.eval(RELEASE_LEASE, 1, this.#leaseKey(p), this.name).catch(() => undefined)));
    this.#held.clear();
    await redis.zrem(this.#membersKey, this.name).catch(() => undefined);
    await this.#forgetName().catch(() => undefined);
    this.blocking.disconnect();
    this.log.forget(this);
  }

  /**
   * Removes this consumer's name from the group on every stream where it owns no pending entry,
   * so random names do not pile up in `XINFO CONSUMERS`. Never where it still owns one: deleting a
   * consumer drops its pending entries, which would then never be delivered again.
   */
  async #forgetName(): Promise<void> {
    const redis = this.log.redis;
    for (let p = 0; p < this.#settings.partitions; p++) {
      const stream = this.log.stream(p);
      const pending = (await redis.xpending(stream, this.group, '-', '+', 1, this.name)) as unknown[];
      if (pending.length === 0) await redis.xgroup('DELCONSUMER', stream, this.group, this.name);
    }
  }

  /** Renews membership and leases, and recomputes which streams this consumer should own. */
  async #heartbeat(): Promise<void> {
    const redis = this.log.redis;
    const now = Date.now();
    const ttl = this.#settings.claimIdleMs;
    const held = [...this.#held];
    const [, , members, ...renewed] = await Promise.all([
      redis.zadd(this.#membersKey, now + ttl, this.name),
      redis.zremrangebyscore(this.#membersKey, '-inf', now),
      redis.zrangebyscore(this.#membersKey, now, '+inf'),
      ...held.map((p) => redis.eval(RENEW_LEASE, 1, this.#leaseKey(p), this.name, ttl)),
    ]);
    // A lease that could not be renewed expired (this process stalled longer than claimIdleMs)
    // and may belong to another consumer now: stop reading that stream at once.
    held.forEach((p, i) => {
      if (Number(renewed[i]) !== 1) {
        this.#held.delete(p);
        this.#recover.delete(p);
      }
    });
    if (this.state !== 'running') return;
    const live = [...new Set([...(members as string[]), this.name])].sort();
    const index = live.indexOf(this.name);
    const assigned = new Set<number>();
    for (let p = 0; p < this.#settings.partitions; p++) if (p % live.length === index) assigned.add(p);
    this.#assigned = assigned;
  }

  async #run(): Promise<void> {
    try {
      while (this.state === 'running') {
        try {
          await this.#rebalance();
          const batch = await this.#read();
          if (batch === null) continue;
          await this.#handle(batch);
        } catch (error) {
          if (this.state !== 'running') break;
          this.options.onError?.(error, { group: this.group, consumer: this.name, records: 0 });
          await delay(this.options.retryDelayMs, this.#abort.signal);
        }
      }
    } finally {
      this.state = 'stopped';
      this.#phase = 'idle';
    }
  }

  /** Between batches: give up streams no longer assigned, take over newly assigned free ones. */
  async #rebalance(): Promise<void> {
    const redis = this.log.redis;
    for (const p of [...this.#held]) {
      if (this.#assigned.has(p)) continue;
      await redis.eval(RELEASE_LEASE, 1, this.#leaseKey(p), this.name);
      this.#held.delete(p);
      this.#recover.delete(p);
    }
    for (const p of this.#assigned) {
      if (this.#held.has(p)) continue;
      const taken = await redis.set(this.#leaseKey(p), this.name, 'PX', this.#settings.claimIdleMs, 'NX');
      if (taken !== 'OK') continue;
      this.#held.add(p);
      // The previous owner is gone from this stream (it released the lease, or its lease
      // expired): whatever it left pending is ours now, to be handled before newer entries.
      const stream = this.log.stream(p);
      let cursor = '0-0';
      do {
        const reply = (await redis.call('XAUTOCLAIM', stream, this.group, this.name, 0, cursor, 'COUNT', 1000, 'JUSTID')) as [string, string[]];
        cursor = reply[0];
      } while (cursor !== '0-0');
      this.#recover.add(p);
    }
  }

  /** Own pending entries first (non-blocking), else new entries (blocking on this consumer's connection). */
  async #read(): Promise<Delivered<T>[] | null> {
    const held = [...this.#held].sort((a, b) => a - b);
    if (held.length === 0) {
      // Nothing to read until the group hands this consumer a stream.
      await delay(this.#settings.blockMs, this.#abort.signal);
      return null;
    }
    const recovering = held.filter((p) => this.#recover.has(p));
    const streams = recovering.length > 0 ? recovering : held;
    const args: (string | number)[] = ['GROUP', this.group, this.name, 'COUNT', this.options.maxBatch];
    if (recovering.length === 0) args.push('BLOCK', this.#settings.blockMs);
    args.push('STREAMS', ...streams.map((p) => this.log.stream(p)), ...streams.map(() => (recovering.length > 0 ? '0' : '>')));
    // Checked right before the call and flagged synchronously with it, so stop() either sees
    // this read and cuts it, or this read never starts.
    if (this.state !== 'running') return null;
    this.#phase = 'reading';
    let reply: ReadReply;
    try {
      reply = (await this.blocking.callBuffer('XREADGROUP', ...args)) as ReadReply;
    } finally {
      this.#phase = 'idle';
    }
    const delivered: Delivered<T>[] = [];
    const gone = new Map<number, string[]>();
    const answered = new Set<number>();
    for (const [streamKey, entries] of reply ?? []) {
      const partition = this.log.partitionOfStream(streamKey.toString());
      if (entries.length > 0) answered.add(partition);
      for (const [id, fields] of entries) {
        // A pending entry trimmed away by MAXLEN comes back without fields: nothing to deliver
        // (acknowledged below, like an entry the codec cannot decode).
        if (fields === null) {
          gone.set(partition, [...(gone.get(partition) ?? []), id.toString()]);
          continue;
        }
        const record = this.#decode(partition, id.toString(), fields);
        if (record) delivered.push(record);
        else gone.set(partition, [...(gone.get(partition) ?? []), id.toString()]);
      }
    }
    if (recovering.length > 0) for (const p of recovering) if (!answered.has(p)) this.#recover.delete(p);
    if (gone.size > 0) await this.#ack(gone);
    return delivered.length > 0 ? delivered : null;
  }

  /** The record, or null (reported to onError, then acknowledged) when the codec refuses it. */
  #decode(partition: number, offset: string, fields: Buffer[]): Delivered<T> | null {
    let key = '';
    let value: Buffer | undefined;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const name = fields[i]!.toString();
      if (name === 'k') key = fields[i + 1]!.toString();
      else if (name === 'v') value = fields[i + 1];
    }
    try {
      return { key, value: this.#settings.codec.decode(value ?? Buffer.alloc(0)), partition, offset };
    } catch (error) {
      const undecodable = new EventLogError(EventLogErrorCode.UNDECODABLE, `${this.log.stream(partition)} ${offset}`, { cause: error });
      this.options.onError?.(undecodable, { group: this.group, consumer: this.name, records: 1 });
      return null;
    }
  }

  async #handle(batch: Delivered<T>[]): Promise<void> {
    this.#phase = 'handling';
    try {
      await this.handler(batch);
    } catch (error) {
      // Not acknowledged: the entries stay pending under this consumer and are read again (id 0)
      // before anything newer from their streams.
      for (const record of batch) this.#recover.add(record.partition);
      this.options.onError?.(error, { group: this.group, consumer: this.name, records: batch.length });
      await delay(this.options.retryDelayMs, this.#abort.signal);
      return;
    } finally {
      this.#phase = 'idle';
    }
    const ids = new Map<number, string[]>();
    for (const record of batch) {
      const list = ids.get(record.partition);
      if (list) list.push(record.offset);
      else ids.set(record.partition, [record.offset]);
    }
    await this.#ack(ids);
  }

  async #ack(ids: Map<number, string[]>): Promise<void> {
    const pipeline = this.log.redis.pipeline();
    for (const [partition, list] of ids) pipeline.xack(this.log.stream(partition), this.group, ...list);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw new EventLogError(EventLogErrorCode.BACKEND, 'XACK failed', { cause: failed[0] });
  }
}

/** The Redis Streams adapter of {@link EventLog}. Open it with {@link RedisEventLog.open}. */
export class RedisEventLog<T> implements EventLog<T> {
  readonly #streamIndex = new Map<string, number>();
  readonly #consumers = new Set<RedisConsumer<T>>();
  readonly #inflight = new Set<Promise<void>>();
  readonly #createdGroups = new Set<string>();
  readonly #gate: BacklogGate<LogRecord<T>>;
  #closed = false;
  #closing: Promise<void> | null = null;

  private constructor(
    readonly settings: Settings<T>,
    /** The shared command connection (XADD, XACK, XINFO, leases); blocking reads never use it. */
    readonly redis: Redis,
  ) {
    for (let p = 0; p < settings.partitions; p++) this.#streamIndex.set(this.stream(p), p);
    this.#gate = new BacklogGate(settings.maxBuffered, settings.saturationCheckMs, (group) => this.lag(group), (records) => this.#write(records));
  }

  /** Connects, creates the declared groups and starts watching their backlog. */
  static async open<T>(options: RedisEventLogOptions<T>): Promise<RedisEventLog<T>> {
    const settings: Settings<T> = {
      prefix: options.prefix ?? 'ecars:events',
      partitions: positive('partitions', options.partitions ?? 8),
      maxBuffered: positive('maxBuffered', options.maxBuffered ?? 100_000),
      maxLen: positive('maxLen', options.maxLen ?? 1_000_000),
      claimIdleMs: positive('claimIdleMs', options.claimIdleMs ?? 30_000),
      blockMs: positive('blockMs', options.blockMs ?? 1000),
      saturationCheckMs: positive('saturationCheckMs', options.saturationCheckMs ?? 100),
      codec: options.codec ?? jsonCodec<T>(),
      url: options.url ?? 'redis://127.0.0.1:6379',
      tlsRejectUnauthorized: options.tlsRejectUnauthorized ?? true,
    };
    if (settings.maxLen <= settings.maxBuffered) {
      throw new EventLogError(EventLogErrorCode.INVALID_OPTIONS, `maxLen (${settings.maxLen}) must exceed maxBuffered (${settings.maxBuffered}), or unacknowledged entries could be trimmed`);
    }
    const redis = connectRedis(redisOptionsFromUrl(settings.url, settings.tlsRejectUnauthorized, 'event-log'));
    const log = new RedisEventLog<T>(settings, redis);
    try {
      for (const group of options.groups ?? []) await log.#track(group);
      await log.#gate.check();
    } catch (error) {
      redis.disconnect();
      throw new EventLogError(EventLogErrorCode.BACKEND, `cannot open the Redis event log at ${settings.prefix}`, { cause: error });
    }
    return log;
  }

  stream(partition: number): string {
    return `${this.settings.prefix}:${partition}`;
  }

  partitionOfStream(stream: string): number {
    return this.#streamIndex.get(stream)!;
  }

  get saturated(): boolean {
    return this.#gate.saturated;
  }

  async append(records: readonly LogRecord<T>[]): Promise<void> {
    if (this.#closed) throw new EventLogError(EventLogErrorCode.CLOSED);
    if (records.length === 0) return;
    await this.#gate.submit(records);
  }

  /** One pipeline of XADDs: one round trip for the batch, in order on the one connection. */
  #write(records: readonly LogRecord<T>[]): Promise<void> {
    const { partitions, maxLen, codec } = this.settings;
    const pipeline = this.redis.pipeline();
    for (const record of records) {
      pipeline.xadd(this.stream(partitionOf(record.key, partitions)), 'MAXLEN', '~', maxLen, '*', 'k', record.key, 'v', codec.encode(record.value));
    }
    const done = pipeline.exec().then((results) => {
      const failed = (results ?? []).find(([error]) => error);
      if (failed) throw new EventLogError(EventLogErrorCode.BACKEND, 'XADD failed', { cause: failed[0] });
    });
    const tracked = done.catch(() => undefined);
    this.#inflight.add(tracked);
    void tracked.then(() => this.#inflight.delete(tracked));
    return done;
  }

  async consume(group: string, handler: BatchHandler<T>, options: ConsumeOptions = {}): Promise<Subscription> {
    if (this.#closed) throw new EventLogError(EventLogErrorCode.CLOSED);
    const maxBatch = positive('maxBatch', options.maxBatch ?? 500);
    try {
      await this.#track(group);
    } catch (error) {
      throw error instanceof EventLogError ? error : new EventLogError(EventLogErrorCode.BACKEND, `cannot create group ${group}`, { cause: error });
    }
    const name = options.consumer ?? randomUUID();
    const blocking = connectRedis({ ...redisOptionsFromUrl(this.settings.url, this.settings.tlsRejectUnauthorized, `event-log:${group}:${name}`), maxRetriesPerRequest: null });
    const consumer = new RedisConsumer<T>(this, group, name, blocking, handler, {
      maxBatch,
      retryDelayMs: options.retryDelayMs ?? 100,
      onError: options.onError,
    });
    try {
      await consumer.start();
    } catch (error) {
      blocking.disconnect();
      throw new EventLogError(EventLogErrorCode.BACKEND, `cannot start a consumer of ${group}`, { cause: error });
    }
    this.#consumers.add(consumer);
    return consumer;
  }

  forget(consumer: RedisConsumer<T>): void {
    this.#consumers.delete(consumer);
  }

  async lag(group: string): Promise<number> {
    const pipeline = this.redis.pipeline();
    for (let p = 0; p < this.settings.partitions; p++) {
      pipeline.call('XINFO', 'GROUPS', this.stream(p));
      pipeline.xlen(this.stream(p));
    }
    const results = (await pipeline.exec()) ?? [];
    let lag = 0;
    for (let p = 0; p < this.settings.partitions; p++) {
      const [infoError, info] = results[2 * p]!;
      const length = Number(results[2 * p + 1]![1] ?? 0);
      if (infoError) continue; // no such stream yet: nothing appended to it
      const entry = (info as unknown[][]).map(pairs).find((g) => g.name === group);
      if (!entry) {
        lag += length;
        continue;
      }
      // `lag` is undefined for Redis when entries were deleted inside the group's range; the
      // stream length then bounds what the group has not read.
      const unread = entry.lag === null || entry.lag === undefined ? length : Number(entry.lag);
      lag += unread + Number(entry.pending ?? 0);
    }
    return lag;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#gate.close();
    await Promise.all(this.#inflight);
    await Promise.all([...this.#consumers].map((consumer) => consumer.stop()));
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Creates `group` on every stream (from the oldest entry) and counts it for backpressure. */
  async #track(group: string): Promise<void> {
    this.#gate.track(group);
    if (this.#createdGroups.has(group)) return;
    const pipeline = this.redis.pipeline();
    for (let p = 0; p < this.settings.partitions; p++) pipeline.xgroup('CREATE', this.stream(p), group, '0', 'MKSTREAM');
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error && !String(error.message).includes('BUSYGROUP'));
    if (failed) throw new EventLogError(EventLogErrorCode.BACKEND, `cannot create group ${group}`, { cause: failed[0] });
    this.#createdGroups.add(group);
  }
}

/** XINFO GROUPS entries are flat [name, value, …] arrays. */
function pairs(flat: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}
