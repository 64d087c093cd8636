/** JSON schemas of the Bulk API routes (params, bodies, job info responses). */

export const jobParams = {
  type: 'object',
  properties: { version: { type: 'string' }, jobId: { type: 'string' } },
  required: ['version', 'jobId'],
} as const;

export const versionParams = {
  type: 'object',
  properties: { version: { type: 'string' } },
  required: ['version'],
} as const;

/** Bodies are checked property by property in the services, with Salesforce's errors. */
export const objectBody = { type: 'object' } as const;

export const listQuerystring = {
  type: 'object',
  properties: {
    queryLocator: { type: 'string' },
    jobType: { type: 'string' },
    concurrencyMode: { type: 'string' },
    isPkChunkingEnabled: { type: 'string' },
  },
} as const;

export const resultsQuerystring = {
  type: 'object',
  properties: { locator: { type: 'string' }, maxRecords: { type: 'string' } },
} as const;

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;

/** Every property any job info shape has (fast-json-stringify writes only the ones present). */
export const jobInfo = {
  type: 'object',
  properties: {
    id: str,
    operation: str,
    object: str,
    createdById: str,
    createdDate: str,
    systemModstamp: str,
    state: str,
    externalIdFieldName: str,
    assignmentRuleId: str,
    concurrencyMode: str,
    contentType: str,
    apiVersion: { type: 'number' },
    jobType: str,
    contentUrl: str,
    lineEnding: str,
    columnDelimiter: str,
    numberRecordsProcessed: int,
    numberRecordsFailed: int,
    retries: int,
    totalProcessingTime: int,
    apiActiveProcessingTime: int,
    apexProcessingTime: int,
    isPkChunkingSupported: { type: 'boolean' },
    errorMessage: str,
  },
} as const;

export const jobList = {
  type: 'object',
  properties: {
    done: { type: 'boolean' },
    records: { type: 'array', items: jobInfo },
    nextRecordsUrl: { type: ['string', 'null'] },
  },
} as const;
