import { EventLogError, EventLogErrorCode } from './errors.js';

/**
 * Broker list from `host:port` entries or Heroku's `KAFKA_URL`
 * (`kafka+ssl://h1:9096,kafka+ssl://h2:9096`): the `host:port` list, and whether TLS is required.
 */
export function parseKafkaBrokers(input: string | readonly string[]): { brokers: string[]; tls: boolean } {
  const entries = (typeof input === 'string' ? [input] : input)
    .flatMap((entry) => entry.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) throw new EventLogError(EventLogErrorCode.INVALID_OPTIONS, 'no Kafka broker given');
  const schemes = new Set<string>();
  const brokers = entries.map((entry) => {
    const match = /^(?:(kafka(?:\+ssl)?):\/\/)?([^/:\s]+|\[[0-9a-fA-F:]+\]):(\d{1,5})\/?$/.exec(entry);
    if (!match) throw new EventLogError(EventLogErrorCode.INVALID_OPTIONS, `Kafka broker must be host:port or kafka+ssl://host:port, got '${entry}'`);
    schemes.add(match[1] ?? 'kafka');
    return `${match[2]}:${match[3]}`;
  });
  if (schemes.size > 1) throw new EventLogError(EventLogErrorCode.INVALID_OPTIONS, 'Kafka brokers mix kafka:// and kafka+ssl://');
  return { brokers, tls: schemes.has('kafka+ssl') };
}
