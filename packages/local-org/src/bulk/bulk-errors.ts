/**
 * The errors of Bulk API 2.0, with the codes and texts Salesforce answers with. Bulk 2.0 uses its
 * own upper-case codes (`INVALIDJOB`, `INVALIDJOBSTATE`, `BULK_API_ERROR`) besides the REST ones;
 * messages of job-level failures (`errorMessage`) carry the Bulk exception name as a prefix
 * (`InvalidBatch : Field name not found : Foo__c`).
 */
import { SalesforceError } from '../errors.js';
import type { JobState } from './types.js';

/** How the states read in Salesforce's "…already X Job not allowed" messages. */
const STATE_WORD: Record<JobState, string> = {
  Open: 'Open',
  UploadComplete: 'Closed',
  InProgress: 'Closed',
  JobComplete: 'Completed',
  Failed: 'Failed',
  Aborted: 'Aborted',
};

export const bulkErrors = {
  /** Unknown, deleted or purged job id (also a job of the other kind). */
  jobNotFound: () => new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404),
  /** A request property with a value outside its enumeration, or missing. */
  invalidValue: (property: string, value: unknown) =>
    new SalesforceError('API_ERROR', `Invalid value: '${value === undefined || value === null ? '' : String(value)}' supplied for property: '${property}'`, 400),
  unknownObject: (object: string) => new SalesforceError('INVALIDJOB', `InvalidJob : Unable to find object: ${object}`, 400),
  externalIdMissing: (object: string) =>
    new SalesforceError('INVALIDJOB', `InvalidJob : External ID was blank for ${object}. An External ID must be specified for upsert.`, 400),
  notAnExternalId: (field: string, object: string) =>
    new SalesforceError('INVALIDJOB', `InvalidJob : Field name provided, ${field} does not match an External ID for ${object}`, 400),
  /** A second `PUT …/batches` (Salesforce's text, typo included; the id in its 15-character form). */
  multipleUploads: (jobId: string) =>
    new SalesforceError(
      'BULK_API_ERROR',
      `Found multipe contents for job: <${jobId.slice(0, 15)}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`,
      400,
    ),
  uploadToClosedJob: (state: JobState) =>
    new SalesforceError('INVALIDJOBSTATE', `Uploading data to an already ${STATE_WORD[state]} Job not allowed`, 400),
  closeNotAllowed: (state: JobState) =>
    new SalesforceError('INVALIDJOBSTATE', `Closing already ${STATE_WORD[state]} Job not allowed`, 400),
  /** `UploadComplete` while the upload is still streaming in. */
  uploadInProgress: () => new SalesforceError('INVALIDJOBSTATE', 'Closing a Job while its data is still being uploaded is not allowed', 400),
  /** `PUT …/batches` with a body that is not CSV. */
  notCsv: (contentType: string) => new SalesforceError('UNSUPPORTED_MEDIA_TYPE', `Content type '${contentType}' not supported; upload job data as text/csv`, 415),
  abortNotAllowed: (state: JobState) =>
    new SalesforceError('INVALIDJOBSTATE', `Aborting already ${STATE_WORD[state]} Job not allowed`, 400),
  deleteNotAllowed: (state: JobState) =>
    new SalesforceError('INVALIDJOBSTATE', `Deleting a job in state ${state} is not allowed; abort it first or wait until it ends`, 400),
  /** `PATCH` with a `state` other than the ones the resource accepts. */
  stateChangeNotAllowed: (state: string) => new SalesforceError('INVALIDJOBSTATE', `Changing the job state to ${state} is not allowed`, 400),
  resultsNotReady: (state: JobState) =>
    new SalesforceError('INVALIDJOBSTATE', `Query job results are only available when the job state is JobComplete, not ${state}`, 400),
  /** Query results fetched with another API version than the job was created with (documented as 409). */
  versionMismatch: (created: string) =>
    new SalesforceError('API_ERROR', `Use the API version the query job was created with (v${created}) to get its results`, 409),
  invalidLocator: (locator: string) => new SalesforceError('INVALIDLOCATOR', `Invalid locator: ${locator}`, 400),
  invalidMaxRecords: (value: string) => new SalesforceError('API_ERROR', `Invalid value: '${value}' supplied for parameter: 'maxRecords'`, 400),
  /** An upload over the per-request limit (Bulk API's ClientInputError text). */
  uploadTooLarge: (maxBytes: number) =>
    new SalesforceError('CLIENTINPUTERROR', `ClientInputError : Failed to read request. Exceeded max size limit of ${maxBytes}`, 413),
  /** A SOQL feature Bulk API 2.0 queries do not support. */
  unsupportedQuery: (what: string) => new SalesforceError('API_ERROR', what, 400),
  queryJobQuota: (max: number) =>
    new SalesforceError('EXCEEDEDQUOTA', `ExceededQuota : The daily limit of ${max} Bulk API 2.0 query jobs in a rolling 24-hour period has been exceeded`, 400),
};

/** `errorMessage` texts of failed ingest jobs. */
export const jobFailures = {
  fieldNotFound: (field: string) => `InvalidBatch : Field name not found : ${field}`,
  lineEnding: (setting: 'LF' | 'CRLF') => `ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is ${setting}`,
  malformedCsv: (detail: string) => `InvalidBatch : Failed to parse CSV: ${detail}`,
  batchQuota: (max: number) => `ExceededQuota : The daily limit of ${max} Bulk API batches in a rolling 24-hour period has been exceeded`,
  recordQuota: (max: number) => `ExceededQuota : The daily limit of ${max} Bulk API records in a rolling 24-hour period has been exceeded`,
  internal: (detail: string) => `InternalServerError : ${detail}`,
};
