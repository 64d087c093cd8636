/**
 * Runs background tasks one at a time, in order. Bulk jobs are processed this way: Salesforce
 * processes asynchronously after the request that closes a job has been answered, and one job at
 * a time keeps the embedded database (a single connection) responsive between internal batches.
 */
export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;

  /**
   * @param onError - Hears a task's unexpected failure (tasks handle their own expected ones).
   */
  constructor(private readonly onError: (err: unknown) => void) {}

  /** Queues `task`; it starts on a later turn of the event loop, never inside the caller. */
  push(task: () => Promise<void>): void {
    this.#pending += 1;
    this.#tail = this.#tail
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(task)
      .catch(this.onError)
      .finally(() => {
        this.#pending -= 1;
      });
  }

  /** Resolves once every queued task has finished. */
  async idle(): Promise<void> {
    while (this.#pending > 0) await this.#tail;
  }
}
