export { CLIENT_QUEUES, QUEUE_PREFIX, QUEUES, type QueueName } from './queues.js';
export {
  CHUNK_RANGE_SIZE,
  idRangeSchema,
  MAX_CHUNK_SIZE,
  MAX_RANGES_PER_CHUNK,
  orgContextSchema,
  quoteBatchSchema,
  quoteChunkSchema,
  sampleDataSchema,
  type IdRange,
  type OrgContext,
  type QuoteBatchData,
  type QuoteChunkData,
  type SampleDataData,
} from './payloads.js';
export { checkEvictionPolicy, redisConnection, redisOptions, type RedisConnectionOptions } from './redis.js';
export {
  batchProgressSchema,
  chunkResultSchema,
  dataJobStatus,
  dataProgressSchema,
  ERROR_SAMPLE_SIZE,
  quoteBatchStatus,
  sumChunkResults,
  recordErrorSchema,
  type BatchProgress,
  type ChunkTotals,
  type ChunkResult,
  type DataProgress,
  type JobStatus,
  type RecordError,
} from './status.js';
