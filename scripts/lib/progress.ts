/**
 * A progress bar for scripts: redrawn in place on a terminal, one line per 10% elsewhere (CI
 * logs stay short). No dependency.
 */
export class ProgressBar {
  #lastPrinted = -10;
  readonly #tty: boolean;

  constructor(
    readonly label: string,
    readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.#tty = Boolean(stream.isTTY);
  }

  /** Shows `percent` (0..100) and a short detail text. */
  update(percent: number, detail = ''): void {
    const p = Math.max(0, Math.min(100, Math.floor(percent)));
    if (this.#tty) {
      const width = 30;
      const full = Math.round((p / 100) * width);
      this.stream.write(`\r${this.label.padEnd(18)} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${String(p).padStart(3)}% ${detail}\x1b[K`);
    } else if (p >= this.#lastPrinted + 10 || p === 100) {
      this.#lastPrinted = p;
      this.stream.write(`${this.label}: ${p}% ${detail}\n`);
    }
  }

  done(detail = ''): void {
    this.update(100, detail);
    if (this.#tty) this.stream.write('\n');
  }
}
