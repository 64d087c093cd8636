/**
 * @ecars/local-org — a local Salesforce org that the unmodified `@heroku/applink` SDK and
 * `jsforce` talk to over HTTP. See the package README for what is and is not emulated.
 */
export { startLocalOrg } from './start-local-org.js';
export type { LocalOrg, LocalOrgOptions } from './start-local-org.js';
export { SalesforceError } from './errors.js';
export { checksum, isValidId, makeId, to18 } from './ids.js';
export type { FaultKind, FaultOptions } from './faults/index.js';
export type { OAuthClient, OrgUser } from './auth/types.js';
// For code generators (sf-client's `pnpm codegen`): the org's data model without starting an org.
export { loadSchema } from './schema/load-schema.js';
export type { LoadSchemaOptions } from './schema/load-schema.js';
export type { FieldDef, FieldType, SObjectDef } from './schema/types.js';
export type { Schema } from './schema/schema.js';
// Streaming (CDC and platform events) through the handle's `subscribe`/`publish`.
export type { PublishedEvent, StreamingMessage, StreamingOptions, SubscribeOptions } from './streaming/index.js';
