/**
 * The worker's logger: pino, with every credential path of `@ecars/sf-client`'s one list redacted
 * (job payloads carry the org's access token).
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { LOG_REDACTION } from '@ecars/sf-client';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /**
   * The lowest level written.
   * @defaultValue 'info'
   */
  level?: string;
  /**
   * Where the JSON lines go.
   * @defaultValue standard output
   */
  destination?: DestinationStream;
}

/** A pino logger with the tokens redacted. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = { level: options.level ?? 'info', redact: LOG_REDACTION };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
