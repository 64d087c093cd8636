/**
 * The in-process event log (the default: one process does everything). Records stay in memory
 * until every known group acknowledged them; `maxBuffered` bounds that, and `append` waits for
 * room, which is how a slow sink slows QoS 1 publishers instead of growing the heap.
 */
import { randomUUID } from 'node:crypto';
import { EventLogError, EventLogErrorCode } from './errors.js';
import type { MemoryEventLogOptions } from './options.js';
import { partitionOf } from './partitioner.js';
import { delay, Signal } from './signal.js';
import type { BatchHandler, ConsumeOptions, Delivered, EventLog, LogRecord, Subscription } from './types.js';

/** One partition: records from absolute offset `first` on; `head` skips trimmed slots. */
class Partition<T> {
  records: (LogRecord<T> | undefined)[] = [];
  head = 0;
  /** Absolute offset of `records[head]`. */
  first = 0;

  get end(): number {
    return this.first + this.records.length - this.head;
  }

  at(offset: number): LogRecord<T> {
    return this.records[this.head + offset - this.first]!;
  }

  /** Drops records below `offset`; compacts the array once half of it is dead. */
  trimTo(offset: number): number {
    const count = offset - this.first;
    if (count <= 0) return 0;
    for (let i = 0; i < count; i++) this.records[this.head + i] = undefined;
    this.head += count;
    this.first = offset;
    if (this.head > 1024 && this.head * 2 > this.records.length) {
      this.records = this.records.slice(this.head);
      this.head = 0;
    }
    return count;
  }
}

interface GroupState {
  /** Next offset to deliver, per partition: everything below is acknowledged. */
  committed: number[];
  /** The consumer holding an unacknowledged batch from each partition. */
  leases: (MemoryConsumer<unknown> | null)[];
  consumers: MemoryConsumer<unknown>[];
}

type ConsumerState = 'running' | 'stopping' | 'stopped';

/** One consumer loop. Its state is explicit so `stop()` can wait for the batch in flight. */
class MemoryConsumer<T> implements Subscription {
  state: ConsumerState = 'running';
  /** Partitions this consumer owns under the group's current assignment. */
  assigned: number[] = [];
  readonly #abort = new AbortController();
  #loop: Promise<void> = Promise.resolve();
  #cursor = 0;

  constructor(
    readonly log: MemoryEventLog<T>,
    readonly groupName: string,
    readonly group: GroupState,
    readonly name: string,
    readonly handler: BatchHandler<T>,
    readonly options: Required<Pick<ConsumeOptions, 'maxBatch' | 'retryDelayMs'>> & Pick<ConsumeOptions, 'onError'>,
  ) {}

  start(): void {
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    if (this.state === 'running') {
      this.state = 'stopping';
      this.#abort.abort();
      this.log.changed.notify();
    }
    await this.#loop;
  }

  async #run(): Promise<void> {
    try {
      while (this.state === 'running') {
        const batch = this.#take();
        if (!batch) {
          await this.log.changed.wait();
          continue;
        }
        let ok = false;
        try {
          await this.handler(batch.records);
          ok = true;
        } catch (error) {
          this.options.onError?.(error, { group: this.groupName, consumer: this.name, records: batch.records.length });
        }
        for (const [partition, count] of batch.taken) {
          this.group.leases[partition] = null;
          if (ok) this.group.committed[partition]! += count;
        }
        if (ok) this.log.afterCommit(batch.taken.keys());
        this.log.changed.notify();
        if (!ok) await delay(this.options.retryDelayMs, this.#abort.signal);
      }
    } finally {
      this.state = 'stopped';
      this.log.leave(this);
    }
  }

  /** Up to `maxBatch` records from the owned partitions that nobody else holds, oldest first per partition. */
  #take(): { records: Delivered<T>[]; taken: Map<number, number> } | null {
    const records: Delivered<T>[] = [];
    const taken = new Map<number, number>();
    const owned = this.assigned;
    const n = owned.length;
    for (let i = 0; i < n && records.length < this.options.maxBatch; i++) {
      const partition = owned[(this.#cursor + i) % n]!;
      if (this.group.leases[partition] !== null) continue;
      const log = this.log.partitions[partition]!;
      const from = this.group.committed[partition]!;
      const to = Math.min(log.end, from + this.options.maxBatch - records.length);
      if (to <= from) continue;
      for (let offset = from; offset < to; offset++) {
        const record = log.at(offset);
        records.push({ key: record.key, value: record.value, partition, offset: String(offset) });
      }
      taken.set(partition, to - from);
      this.group.leases[partition] = this as MemoryConsumer<unknown>;
    }
    this.#cursor++;
    return records.length > 0 ? { records, taken } : null;
  }
}

/** The in-process adapter of {@link EventLog}. */
export class MemoryEventLog<T> implements EventLog<T> {
  readonly partitions: Partition<T>[];
  /** Fired on append, acknowledgement and membership change: idle consumers re-check. */
  readonly changed = new Signal();
  readonly #groups = new Map<string, GroupState>();
  readonly #maxBuffered: number;
  readonly #drainTimeoutMs: number;
  /** Appends waiting for room, in arrival order (a later append never overtakes one that waits). */
  readonly #waiting: { records: readonly LogRecord<T>[]; resolve: () => void; reject: (error: Error) => void }[] = [];
  #retained = 0;
  #closed = false;
  #closing: Promise<void> | null = null;

  constructor(options: MemoryEventLogOptions<T> = {}) {
    const partitions = options.partitions ?? 8;
    const maxBuffered = options.maxBuffered ?? 10_000;
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new EventLogError(EventLogErrorCode.INVALID_OPTIONS, `partitions must be a positive integer, got ${partitions}`);
    }
    if (!Number.isInteger(maxBuffered) || maxBuffered < 1) {
      throw new EventLogError(EventLogErrorCode.INVALID_OPTIONS, `maxBuffered must be a positive integer, got ${maxBuffered}`);
    }
    this.partitions = Array.from({ length: partitions }, () => new Partition<T>());
    this.#maxBuffered = maxBuffered;
    this.#drainTimeoutMs = options.drainTimeoutMs ?? 5000;
    for (const group of options.groups ?? []) this.#group(group);
  }

  get saturated(): boolean {
    return this.#retained >= this.#maxBuffered || this.#waiting.length > 0;
  }

  async append(records: readonly LogRecord<T>[]): Promise<void> {
    if (this.#closed) throw new EventLogError(EventLogErrorCode.CLOSED);
    if (this.saturated) {
      // Accepted later, in arrival order, by #admitWaiting (which pushes before resolving, so
      // room is counted exactly and no second waiter slips in on the same free slot).
      await new Promise<void>((resolve, reject) => this.#waiting.push({ records, resolve, reject }));
      return;
    }
    this.#push(records);
  }

  async consume(group: string, handler: BatchHandler<T>, options: ConsumeOptions = {}): Promise<Subscription> {
    if (this.#closed) throw new EventLogError(EventLogErrorCode.CLOSED);
    const maxBatch = options.maxBatch ?? 500;
    if (!Number.isInteger(maxBatch) || maxBatch < 1) {
      throw new EventLogError(EventLogErrorCode.INVALID_OPTIONS, `maxBatch must be a positive integer, got ${maxBatch}`);
    }
    const state = this.#group(group);
    const consumer = new MemoryConsumer<T>(this, group, state, options.consumer ?? randomUUID(), handler, {
      maxBatch,
      retryDelayMs: options.retryDelayMs ?? 100,
      onError: options.onError,
    });
    state.consumers.push(consumer as MemoryConsumer<unknown>);
    this.#assign(state);
    consumer.start();
    this.changed.notify();
    return consumer;
  }

  async lag(group: string): Promise<number> {
    const state = this.#groups.get(group);
    return state ? this.#lagOf(state) : this.#retained;
  }

  #lagOf(state: GroupState): number {
    let lag = 0;
    this.partitions.forEach((partition, i) => (lag += partition.end - state.committed[i]!));
    return lag;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(new EventLogError(EventLogErrorCode.CLOSED));
    // Nothing outlives this process: give the running consumers a bounded chance to acknowledge
    // everything that append accepted before they stop.
    const deadline = Date.now() + this.#drainTimeoutMs;
    while (Date.now() < deadline && !this.#drained()) {
      // Checked synchronously right before waiting, so no acknowledgement can slip in between.
      const timeout = new AbortController();
      await Promise.race([this.changed.wait(), delay(Math.max(1, deadline - Date.now()), timeout.signal)]);
      timeout.abort();
    }
    await Promise.all([...this.#groups.values()].flatMap((state) => state.consumers.map((consumer) => consumer.stop())));
  }

  /** True when every group that has a running consumer has acknowledged everything. */
  #drained(): boolean {
    for (const state of this.#groups.values()) {
      if (state.consumers.some((consumer) => consumer.state === 'running') && this.#lagOf(state) > 0) return false;
    }
    return true;
  }

  /** Called by a consumer after it acknowledged records of `partitions`: trims what every group has. */
  afterCommit(partitions: Iterable<number>): void {
    for (const partition of partitions) {
      let low = Infinity;
      for (const state of this.#groups.values()) low = Math.min(low, state.committed[partition]!);
      if (low !== Infinity) this.#retained -= this.partitions[partition]!.trimTo(low);
    }
    this.#admitWaiting();
  }

  /** Called when a consumer loop ends: its partitions go to the rest of its group. */
  leave(consumer: MemoryConsumer<T>): void {
    const state = this.#groups.get(consumer.groupName);
    if (!state) return;
    state.consumers = state.consumers.filter((c) => c !== (consumer as MemoryConsumer<unknown>));
    this.#assign(state);
    this.changed.notify();
  }

  #admitWaiting(): void {
    while (this.#waiting.length > 0 && this.#retained < this.#maxBuffered) {
      const waiter = this.#waiting.shift()!;
      this.#push(waiter.records);
      waiter.resolve();
    }
  }

  #push(records: readonly LogRecord<T>[]): void {
    const count = this.partitions.length;
    for (const record of records) this.partitions[partitionOf(record.key, count)]!.records.push(record);
    // With no group to keep them for, records are retained anyway: backpressure then holds
    // publishers until a consumer (or a declared group) appears, rather than losing data.
    this.#retained += records.length;
    this.changed.notify();
  }

  #group(name: string): GroupState {
    let state = this.#groups.get(name);
    if (!state) {
      // A new group starts at the oldest retained record of each partition.
      state = {
        committed: this.partitions.map((partition) => partition.first),
        leases: this.partitions.map(() => null),
        consumers: [],
      };
      this.#groups.set(name, state);
    }
    return state;
  }

  /** Round-robin assignment; a partition changing hands stays leased until its batch in flight settles. */
  #assign(state: GroupState): void {
    const n = state.consumers.length;
    state.consumers.forEach((consumer, index) => {
      consumer.assigned = this.partitions.map((_, p) => p).filter((p) => p % n === index);
    });
  }
}
