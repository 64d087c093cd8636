export type { BatchHandler, Codec, ConsumeErrorInfo, ConsumeOptions, Delivered, EventLog, LogRecord, Subscription } from './types.js';
export type {
  CommonEventLogOptions,
  EventLogOptions,
  KafkaEventLogOptions,
  KafkaSslOptions,
  MemoryEventLogOptions,
  RedisEventLogOptions,
} from './options.js';
export { createEventLog } from './create-event-log.js';
export { jsonCodec } from './codec.js';
export { murmur2, partitionOf } from './partitioner.js';
export { EventLogError, EventLogErrorCode, eventLogErrorMessages } from './errors.js';
export { MemoryEventLog } from './memory-event-log.js';
export { RedisEventLog } from './redis-event-log.js';
export { KafkaEventLog } from './kafka-event-log.js';
export { parseKafkaBrokers } from './kafka-brokers.js';
