/**
 * The logger the client writes to: pino's call shape (`logger.info(object, message)`), so a
 * Fastify request logger or a pino instance can be passed as is. Nothing the client logs carries a
 * token; pair it with `REDACT_PATHS` for what the app logs itself.
 */
export interface ClientLogger {
  debug(object: Record<string, unknown>, message: string): void;
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
}

/** The default: discards everything. */
export const silentLogger: ClientLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
};
