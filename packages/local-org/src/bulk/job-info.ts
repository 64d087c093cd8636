/**
 * Jobs as the API shows them. Salesforce answers with different subsets: creation and state
 * changes return the job's definition, `GET` adds the counters, and listings carry the definition
 * plus `jobType`. Timestamps read `2024-03-20T21:42:13.000+0000` and `apiVersion` is a number.
 */
import type { IngestJob, QueryJob } from './types.js';

/** `2024-03-20T21:42:13.000+0000` (Salesforce shows job times to the second). */
export function jobTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}.000+0000`;
}

function contentUrl(job: IngestJob): string {
  return `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches`;
}

function ingestDefinition(job: IngestJob): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: jobTime(job.createdDate),
    systemModstamp: jobTime(job.systemModstamp),
    state: job.state,
    ...(job.externalIdFieldName !== undefined ? { externalIdFieldName: job.externalIdFieldName } : {}),
    ...(job.assignmentRuleId !== undefined ? { assignmentRuleId: job.assignmentRuleId } : {}),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
  };
}

/** Response of `POST /jobs/ingest` and of `PATCH` (the upload URL only while the job is Open). */
export function ingestJobSummary(job: IngestJob): Record<string, unknown> {
  return {
    ...ingestDefinition(job),
    ...(job.state === 'Open' ? { contentUrl: contentUrl(job) } : {}),
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
  };
}

/** Response of `GET /jobs/ingest/<id>`. */
export function ingestJobInfo(job: IngestJob): Record<string, unknown> {
  return {
    ...ingestDefinition(job),
    jobType: 'V2Ingest',
    ...(job.state === 'Open' ? { contentUrl: contentUrl(job) } : {}),
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
    numberRecordsProcessed: job.processed,
    numberRecordsFailed: job.failed,
    retries: 0,
    totalProcessingTime: job.processingMs,
    apiActiveProcessingTime: job.processingMs,
    apexProcessingTime: 0,
    ...(job.errorMessage !== undefined ? { errorMessage: job.errorMessage } : {}),
  };
}

/** An element of `GET /jobs/ingest`'s `records`. */
export function ingestJobListed(job: IngestJob): Record<string, unknown> {
  return { ...ingestDefinition(job), jobType: 'V2Ingest', lineEnding: job.lineEnding, columnDelimiter: job.columnDelimiter };
}

function queryDefinition(job: QueryJob): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: jobTime(job.createdDate),
    systemModstamp: jobTime(job.systemModstamp),
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
  };
}

/** Response of `POST /jobs/query` and of `PATCH`. */
export function queryJobSummary(job: QueryJob): Record<string, unknown> {
  return { ...queryDefinition(job), lineEnding: job.lineEnding, columnDelimiter: job.columnDelimiter };
}

/** Response of `GET /jobs/query/<id>`. */
export function queryJobInfo(job: QueryJob): Record<string, unknown> {
  return {
    ...queryDefinition(job),
    jobType: 'V2Query',
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
    numberRecordsProcessed: job.rows,
    retries: 0,
    totalProcessingTime: job.processingMs,
    isPkChunkingSupported: false,
    ...(job.errorMessage !== undefined ? { errorMessage: job.errorMessage } : {}),
  };
}

/** An element of `GET /jobs/query`'s `records`. */
export function queryJobListed(job: QueryJob): Record<string, unknown> {
  return { ...queryDefinition(job), jobType: 'V2Query', lineEnding: job.lineEnding, columnDelimiter: job.columnDelimiter };
}
