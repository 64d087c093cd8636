/**
 * Bulk API 2.0 of the local org: ingest jobs (insert, update, upsert, delete, hardDelete from CSV)
 * and query jobs (CSV results with locators), as `jsforce`'s `bulk2` and `@heroku/applink`'s
 * `bulkApi` use them.
 */
export { bulkPlugin, type BulkPluginOptions } from './bulk-plugin.js';
export { BulkService } from './bulk-service.js';
export type { BulkOptions } from './bulk-options.js';
export type { BulkJob, ColumnDelimiter, IngestJob, IngestOperation, JobState, LineEnding, QueryJob, QueryOperation } from './types.js';
// Internal on purpose: storage, processors, registry and routes are reached through BulkService
// and the plugin only.
