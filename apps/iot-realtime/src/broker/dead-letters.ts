/**
 * A sample of refused messages, written to `telemetry_dead_letter` for diagnosis: at most
 * {@link PER_REASON_PER_SECOND} per reason per second, payload cut at 1 KiB, written in the
 * background (a slow database never delays ingest; a failed write is logged, not retried).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.js';

const PER_REASON_PER_SECOND = 5;
const MAX_SAMPLE_BYTES = 1024;

export interface DeadLetter {
  username: string | null;
  topic: string;
  reason: string;
  detail: string;
  payload: Buffer;
}

export class DeadLetters {
  #window = 0;
  readonly #counts = new Map<string, number>();
  readonly #pending = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Database,
    private readonly log: FastifyBaseLogger,
  ) {}

  offer(d: DeadLetter): void {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.#window) {
      this.#window = second;
      this.#counts.clear();
    }
    const n = this.#counts.get(d.reason) ?? 0;
    if (n >= PER_REASON_PER_SECOND) return;
    this.#counts.set(d.reason, n + 1);
    // Text columns cannot hold NUL; everything else survives as UTF-8 with replacements.
    const sample = d.payload.subarray(0, MAX_SAMPLE_BYTES).toString('utf8').replaceAll('\u0000', '\uFFFD');
    const p = this.db
      .query(`INSERT INTO telemetry_dead_letter (username, topic, reason, detail, payload) VALUES ($1, $2, $3, $4, $5)`, [d.username, d.topic, d.reason, d.detail.slice(0, 500), sample])
      .catch((err: unknown) => this.log.warn({ err }, 'dead-letter write failed'));
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
    this.log.warn({ user: d.username, topic: d.topic, reason: d.reason, detail: d.detail }, 'telemetry refused');
  }

  /** Waits for the samples being written. */
  async flush(): Promise<void> {
    await Promise.all([...this.#pending]);
  }
}
