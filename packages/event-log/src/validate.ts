import { EventLogError, EventLogErrorCode } from './errors.js';

/** `value` if it is a positive integer, else an INVALID_OPTIONS error naming the option. */
export function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new EventLogError(EventLogErrorCode.INVALID_OPTIONS, `${name} must be a positive integer, got ${value}`);
  }
  return value;
}
