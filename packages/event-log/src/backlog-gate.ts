/**
 * Backpressure for the durable adapters: the backlog of the slowest tracked group is re-read
 * every `checkMs` (it lives on the server, shared by every process), and appends wait in arrival
 * order while it plus what was written since the last reading reaches `maxBuffered`.
 */
import { EventLogError, EventLogErrorCode } from './errors.js';

export class BacklogGate<R> {
  readonly #tracked = new Set<string>();
  readonly #waiting: { records: readonly R[]; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #backlog = 0;
  /** Records handed to `write`, ever. */
  #issued = 0;
  /** Records whose write settled, ever. */
  #landed = 0;
  /** `#landed` when the current `#backlog` figure started to be read: those are in it. */
  #measured = 0;
  #timer: NodeJS.Timeout | undefined;
  #checking = false;

  constructor(
    readonly maxBuffered: number,
    readonly checkMs: number,
    /** Records not yet acknowledged by `group`. */
    readonly measure: (group: string) => Promise<number>,
    /** Writes records to the backend (resolves once it accepted them). */
    readonly write: (records: readonly R[]) => Promise<void>,
  ) {}

  get saturated(): boolean {
    // No known group, nothing to bound: the backend keeps the records (within its own trimming
    // or retention) for whichever group comes later.
    if (this.#tracked.size === 0) return false;
    return this.#waiting.length > 0 || this.#backlog + this.#unmeasured() >= this.maxBuffered;
  }

  /**
   * Records the last backlog reading may not include: everything written since, and writes still
   * in flight when it started (the reading may run on another connection than the write).
   */
  #unmeasured(): number {
    return this.#issued - this.#measured;
  }

  /** Counts `group` from now on, and starts the periodic reading at the first one. */
  track(group: string): void {
    if (this.#tracked.has(group)) return;
    this.#tracked.add(group);
    // Read the new group's backlog now rather than count every record ever written as unmeasured.
    void this.check();
    if (!this.#timer) {
      this.#timer = setInterval(() => void this.check(), this.checkMs);
      this.#timer.unref();
    }
  }

  submit(records: readonly R[]): Promise<void> {
    if (this.saturated) return new Promise((resolve, reject) => this.#waiting.push({ records, resolve, reject }));
    return this.#send(records);
  }

  #send(records: readonly R[]): Promise<void> {
    this.#issued += records.length;
    const written = this.write(records);
    void written.then(
      () => (this.#landed += records.length),
      () => (this.#landed += records.length),
    );
    return written;
  }

  /** Re-reads the backlog, then admits the waiting appends that now fit. */
  async check(): Promise<void> {
    if (this.#checking || this.#tracked.size === 0) return;
    this.#checking = true;
    try {
      const landed = this.#landed;
      const lags = await Promise.all([...this.#tracked].map((group) => this.measure(group)));
      this.#backlog = Math.max(0, ...lags);
      this.#measured = landed;
      while (this.#waiting.length > 0 && this.#backlog + this.#unmeasured() < this.maxBuffered) {
        const waiter = this.#waiting.shift()!;
        this.#send(waiter.records).then(waiter.resolve, waiter.reject);
      }
    } catch {
      // Backend unreachable: keep the last figure; appends report the failure themselves.
    } finally {
      this.#checking = false;
    }
  }

  /** Stops reading and refuses the appends still waiting (they were never accepted). */
  close(): void {
    clearInterval(this.#timer);
    for (const waiter of this.#waiting.splice(0)) waiter.reject(new EventLogError(EventLogErrorCode.CLOSED));
  }
}
