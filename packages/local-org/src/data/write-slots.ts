/**
 * Who may write now, in one process: exclusive transactions run alone; shared ones (the batched
 * creates of a composite graph payload, whose rules hold under concurrency) run beside each other,
 * up to a limit. First come, first served: a waiting exclusive transaction holds back the shared
 * ones that arrive after it, so it is never starved.
 *
 * Transactions wait here holding nothing, before they take a database connection: waiting on the
 * database's lock instead, 16 queued graph requests held all 10 connections of the pool and a
 * query waited ~1 s for one.
 */
export class WriteSlots {
  #exclusive = false;
  #shared = 0;
  readonly #waiting: { shared: boolean; go: () => void }[] = [];

  /** @param maxShared - Shared transactions that may run at once (1: everything runs alone). */
  constructor(readonly maxShared: number) {}

  /** Waits for a slot; the returned function gives it back (call it exactly once). */
  async acquire(shared: boolean): Promise<() => void> {
    if (this.#waiting.length === 0 && this.#fits(shared)) this.#take(shared);
    else await new Promise<void>((go) => this.#waiting.push({ shared, go }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (shared) this.#shared -= 1;
      else this.#exclusive = false;
      this.#wake();
    };
  }

  #fits(shared: boolean): boolean {
    if (this.#exclusive) return false;
    return shared ? this.#shared < this.maxShared : this.#shared === 0;
  }

  #take(shared: boolean): void {
    if (shared) this.#shared += 1;
    else this.#exclusive = true;
  }

  /** Lets waiters in, in order, while the first of them fits. */
  #wake(): void {
    while (this.#waiting.length > 0 && this.#fits(this.#waiting[0]!.shared)) {
      const next = this.#waiting.shift()!;
      this.#take(next.shared);
      next.go();
    }
  }
}
