/**
 * The persistence sink: consumes the event log's `persistence` group and writes telemetry in
 * batches. A batch is written when it holds `batchSize` rows or its oldest row has waited
 * `flushMs`; the event log is acknowledged only after the COMMIT (the handler's promise resolves
 * then), so a crash before it means redelivery, and `(vin, seq)` makes redelivery harmless.
 *
 * Several consumers of the group (`consumers`) each hold a batch from their own partitions, so
 * rows of one vehicle are never written by two transactions at once; their batches share one
 * buffer, so small batches merge into one transaction.
 */
import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Delivered, EventLog, Subscription } from '@ecars/event-log';
import type { TelemetryV1 } from '@ecars/telemetry';
import type { IotMetrics } from '../services/metrics.js';
import type { TelemetryWriter } from './telemetry-writer.js';

/** Consumer group of the persistence sink. */
export const PERSISTENCE_GROUP = 'persistence';

/** Options of {@link PersistenceSink}. */
export interface PersistenceSinkOptions {
  eventLog: EventLog<TelemetryV1>;
  writer: TelemetryWriter;
  metrics: IotMetrics;
  log: FastifyBaseLogger;
  /** Rows per transaction (also the event log's `maxBatch`). @defaultValue 2000 */
  batchSize?: number;
  /** Longest wait of a row before its batch is written, ms. @defaultValue 200 */
  flushMs?: number;
  /** Consumers of the group in this process (parallel transactions). @defaultValue 2 */
  consumers?: number;
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class PersistenceSink {
  #subs: Subscription[] = [];
  #rows: TelemetryV1[] = [];
  #waiters: Waiter[] = [];
  #timer: NodeJS.Timeout | null = null;
  #stopping = false;
  readonly #inflight = new Set<Promise<void>>();
  readonly #batchSize: number;
  readonly #flushMs: number;

  constructor(private readonly opts: PersistenceSinkOptions) {
    this.#batchSize = opts.batchSize ?? 2000;
    this.#flushMs = opts.flushMs ?? 200;
  }

  async start(): Promise<void> {
    const n = this.opts.consumers ?? 2;
    for (let i = 0; i < n; i++) {
      this.#subs.push(
        await this.opts.eventLog.consume(PERSISTENCE_GROUP, (batch) => this.#handle(batch), {
          consumer: `${hostname()}-${process.pid}-${i}`,
          maxBatch: this.#batchSize,
          onError: (err, info) => this.opts.log.error({ err, records: info.records }, 'persistence batch failed; it will be delivered again'),
        }),
      );
    }
  }

  /**
   * From now on every batch is written as soon as it arrives (no waiting for `flushMs`), so an
   * event log that drains on close is not held up by the timer. Called first when stopping.
   */
  flushNow(): void {
    this.#stopping = true;
    this.#flush();
  }

  /** Writes what is buffered now, then leaves the group (the event log keeps the rest). Idempotent. */
  async stop(): Promise<void> {
    this.flushNow();
    await Promise.all(this.#subs.map((s) => s.stop()));
    this.#subs = [];
    await Promise.all([...this.#inflight]);
  }

  #handle(batch: readonly Delivered<TelemetryV1>[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      for (const r of batch) this.#rows.push(r.value);
      this.#waiters.push({ resolve, reject });
      if (this.#stopping || this.#rows.length >= this.#batchSize) this.#flush();
      else this.#timer ??= setTimeout(() => this.#flush(), this.#flushMs);
    });
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#waiters.length === 0) return;
    const rows = this.#rows;
    const waiters = this.#waiters;
    this.#rows = [];
    this.#waiters = [];
    const { metrics, writer } = this.opts;
    const end = metrics.batchSeconds.startTimer();
    const p = writer.write(rows).then(
      (inserted) => {
        end();
        metrics.persisted.inc(inserted);
        metrics.duplicates.inc(rows.length - inserted);
        for (const w of waiters) w.resolve();
      },
      (err: unknown) => {
        for (const w of waiters) w.reject(err);
      },
    );
    this.#inflight.add(p);
    void p.finally(() => this.#inflight.delete(p));
  }
}
