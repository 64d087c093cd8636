export { ClientErrorCode } from './error-codes.js';
export { SalesforceApiError, SalesforceApiErrorMessage } from './salesforce-api-error.js';
export type { ApiErrorDetail } from './salesforce-api-error.js';
export { SalesforceAuthError, SalesforceAuthErrorMessage } from './salesforce-auth-error.js';
export { SalesforceClientError } from './salesforce-client-error.js';
export { SalesforceNetworkError } from './salesforce-network-error.js';
export { BulkJobError } from './bulk-job-error.js';
