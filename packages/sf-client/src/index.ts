/**
 * @ecars/sf-client — the typed Salesforce client every eCars app uses. See the package README.
 */
export { SalesforceClient } from './client/salesforce-client.js';
export type { ClientStats } from './client/salesforce-client.js';
export { DEFAULT_API_VERSION } from './client/client-options.js';
export type { ClientOptions } from './client/client-options.js';
export type { RequestBehaviour } from './client/client-core.js';
export type { SerializedContext } from './client/serialized-context.js';
export * from './connections/index.js';
export * from './errors/index.js';

export { LOG_REDACTION, REDACT_PATHS, redact } from './auth/redact.js';
export { REDACTED, Secret } from './auth/secret.js';
export { assertAllowedOrgUrl, orgUrlRefusal, SALESFORCE_DOMAINS } from './auth/org-url-policy.js';
export type { ConnectionKind } from './auth/session.js';
export { SF_CLI_ENV } from './auth/sf-cli.js';
export { signJwtBearerAssertion } from './auth/jwt-assertion.js';

export type { ApiUsageListener, ApiUsageSnapshot } from './http/api-usage.js';
export { ConcurrencyLimiter, sharedLimiter } from './http/limiter.js';
export type { ClientLogger } from './http/logger.js';
export { DEFAULT_RETRY, backoffDelay, classifyError } from './http/retry.js';
export type { RetryOptions, Retryability } from './http/retry.js';
export type { HttpMethod, RequestSpec, ResponseData } from './http/transport.js';

export { QueryIterable } from './query/query-iterable.js';
export { COMPOSITE_QUERY_LIMIT } from './query/query-many.js';
export type { QueryOptions, QueryPage, SoqlText } from './query/query-iterable.js';
export { SoqlQuery, and, cond, not, or, soql } from './query/soql-builder.js';
export type { Condition, FieldOf, FieldPath, Operator } from './query/soql-builder.js';
export { dateLiteral, escapeLikePattern, quoteSoqlString, soqlLiteral } from './query/soql-literal.js';
export type { DateLiteral } from './query/soql-literal.js';
export { isValidWhereClause, MAX_WHERE_CLAUSE_LENGTH, validateWhereClause } from './query/where-clause.js';
export type { InvalidWhereClause, ValidWhereClause, WhereClauseValidation } from './query/where-clause.js';

export { SchemaIndex } from './schema/schema-index.js';
export type { ChildInfo, FieldInfo, FieldKind, ObjectInfo, SchemaMap } from './schema/schema-map.js';
export type { Address, QueryResult, SObjectAttributes } from './schema/sobject-base.js';
export { SCHEMA_MAP } from './generated/schema-map.js';
export type * from './generated/sobjects.js';

export { ref } from './write/unit.js';
export type {
  CommitProgress,
  CommitUnitsOptions,
  CreateRecord,
  Unit,
  UnitError,
  UnitRecord,
  UnitResult,
  UpdateRecord,
  UpsertRecord,
} from './write/unit.js';
export { GRAPH_LIMITS } from './write/graph-limits.js';
export { COLLECTION_LIMIT } from './write/collections.js';
export type { CollectionOptions, RecordInput, SaveResult } from './write/collections.js';
// Internal on purpose: graph-builder, graph-packer, graph-result, recovery (the unit of work's parts).

export { BulkApi } from './bulk/bulk-api.js';
export type { IngestJobState, IngestOperation, IngestOptions, IngestProgress, IngestResult } from './bulk/bulk-ingest.js';
export type { BulkQueryOptions } from './bulk/bulk-query.js';
export type { BulkRecord } from './bulk/csv.js';
export type { PollOptions } from './bulk/polling.js';
