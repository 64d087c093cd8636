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
  #writtenSinceCheck = 0;
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
    return this.#waiting.length > 0 || this.#backlog + this.#writtenSinceCheck >= this.maxBuffered;
  }

  /** Counts `group` from now on, and starts the periodic reading at the first one. */
  track(group: string): void {
    this.#tracked.add(group);
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
    this.#writtenSinceCheck += records.length;
    return this.write(records);
  }

  /** Re-reads the backlog, then admits the waiting appends that now fit. */
  async check(): Promise<void> {
    if (this.#checking || this.#tracked.size === 0) return;
    this.#checking = true;
    try {
      const before = this.#writtenSinceCheck;
      const lags = await Promise.all([...this.#tracked].map((group) => this.measure(group)));
      this.#backlog = Math.max(0, ...lags);
      // Writes that started while the backlog was being read may be missing from it: keep them.
      this.#writtenSinceCheck -= before;
      while (this.#waiting.length > 0 && this.#backlog + this.#writtenSinceCheck < this.maxBuffered) {
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
