/**
 * The vocabulary of Bulk API 2.0 shared by ingest and query jobs: operations, states, CSV dialects
 * and the job records the org keeps in memory while their rows live in the database.
 */

/** Ingest operations (`operation` of `POST /jobs/ingest`). */
export const INGEST_OPERATIONS = ['insert', 'update', 'upsert', 'delete', 'hardDelete'] as const;
export type IngestOperation = (typeof INGEST_OPERATIONS)[number];

/** Query operations (`operation` of `POST /jobs/query`); `queryAll` includes soft-deleted rows. */
export const QUERY_OPERATIONS = ['query', 'queryAll'] as const;
export type QueryOperation = (typeof QUERY_OPERATIONS)[number];

/** Job states, in the order a job goes through them (`Failed` and `Aborted` end it early). */
export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

/** `columnDelimiter` values and the character each stands for. */
export const COLUMN_DELIMITERS = { BACKQUOTE: '`', CARET: '^', COMMA: ',', PIPE: '|', SEMICOLON: ';', TAB: '\t' } as const;
export type ColumnDelimiter = keyof typeof COLUMN_DELIMITERS;

/** `lineEnding` values and the characters each stands for. */
export const LINE_ENDINGS = { LF: '\n', CRLF: '\r\n' } as const;
export type LineEnding = keyof typeof LINE_ENDINGS;

/** What every job has. Times are milliseconds since the epoch. */
interface JobBase {
  /** 18-character id with key prefix 750. */
  id: string;
  /** The sObject's API name as the schema spells it. */
  object: string;
  createdById: string;
  createdDate: number;
  systemModstamp: number;
  state: JobState;
  /** API version of the creating request (`65.0`). */
  apiVersion: string;
  lineEnding: LineEnding;
  columnDelimiter: ColumnDelimiter;
  /** Why the job failed (state `Failed`). */
  errorMessage?: string;
  /** Milliseconds spent processing so far (`totalProcessingTime`). */
  processingMs: number;
  /** When the job reached a final state; retention runs from here. */
  finishedAt?: number;
}

/** An ingest job. Its uploaded rows and per-row results are in the database (`bulk-storage.ts`). */
export interface IngestJob extends JobBase {
  kind: 'ingest';
  operation: IngestOperation;
  externalIdFieldName?: string;
  assignmentRuleId?: string;
  /** Upload progress: Salesforce takes exactly one upload per job. */
  upload: 'none' | 'uploading' | 'done';
  /** Column names of the upload, exactly as uploaded. */
  header: string[];
  /** Data rows stored (numbered 0..rows-1). */
  rows: number;
  /** A problem with the uploaded CSV, found while storing it and reported when processing starts. */
  deferredError?: string;
  /** Rows handled so far (`numberRecordsProcessed`; failures included). Rows ≥ this are unprocessed. */
  processed: number;
  /** Rows that failed (`numberRecordsFailed`). */
  failed: number;
}

/** A query job. Its result lines are in the database (`bulk-storage.ts`). */
export interface QueryJob extends JobBase {
  kind: 'query';
  operation: QueryOperation;
  query: string;
  /** Result columns (`Id`, `Account.Name`), known from the query when the job is created. */
  columns: string[];
  /** Result rows stored (`numberRecordsProcessed`). */
  rows: number;
}

export type BulkJob = IngestJob | QueryJob;
