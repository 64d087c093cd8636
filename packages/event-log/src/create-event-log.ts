import { EventLogError, EventLogErrorCode } from './errors.js';
import { KafkaEventLog } from './kafka-event-log.js';
import { MemoryEventLog } from './memory-event-log.js';
import type { EventLogOptions } from './options.js';
import { RedisEventLog } from './redis-event-log.js';
import type { EventLog } from './types.js';

/**
 * Opens an event log; `options.kind` picks the adapter (`memory` when omitted).
 *
 * @typeParam T - the record value
 * @example
 * ```ts
 * const log = await createEventLog<Telemetry>({ kind: 'redis', url: env.REDIS_URL, groups: ['persist'] });
 * await log.consume('persist', async (batch) => { await insertRows(batch); }); // acked after it resolves
 * await log.append([{ key: vin, value: message }]);
 * ```
 */
export async function createEventLog<T>(options: EventLogOptions<T> = {}): Promise<EventLog<T>> {
  switch (options.kind) {
    case undefined:
    case 'memory':
      return new MemoryEventLog<T>(options);
    case 'redis':
      return RedisEventLog.open<T>(options);
    case 'kafka':
      return KafkaEventLog.open<T>(options);
    default:
      throw new EventLogError(EventLogErrorCode.INVALID_OPTIONS, `unknown event log kind '${(options as { kind: string }).kind}'`);
  }
}
