/**
 * A value that must never reach a log: `JSON.stringify`, `util.inspect`, `console.log`, template
 * strings and pino all print `[redacted]`; only {@link Secret.reveal} gives the value, at the one
 * place it is needed (the `Authorization` header, a serialized job context).
 */
import { inspect } from 'node:util';

export const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself. Call it only where the value leaves the process on purpose. */
  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}
