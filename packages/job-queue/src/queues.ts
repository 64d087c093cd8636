/**
 * Queue names. One queue per kind of work so that each can be scaled, paused and watched on its
 * own (the dashboard shows them side by side):
 * - `quote-batches`: one parent job per `executebatch` request; it finds the target opportunity
 *   ids and fans out into chunk jobs, then completes when every chunk has.
 * - `quote-chunks`: a slice of opportunity ids priced and written by any worker process.
 * - `sample-data`: Bulk API 2.0 create/delete of the sample opportunities.
 */
export const QUEUES = {
  quoteBatches: 'quote-batches',
  quoteChunks: 'quote-chunks',
  sampleData: 'sample-data',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Queues that hold jobs a client created (and may ask about with `GET /api/jobs/:id`). */
export const CLIENT_QUEUES: readonly QueueName[] = [QUEUES.quoteBatches, QUEUES.sampleData];

/** Prefix of every BullMQ key, so a shared Redis shows whose keys these are. */
export const QUEUE_PREFIX = 'ecars';
