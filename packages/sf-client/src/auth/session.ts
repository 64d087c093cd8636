/** What a connection knows about its org session, and how (if at all) it can get a new one. */
import type { Secret } from './secret.js';

/** How a client was connected; named in errors and logs. */
export type ConnectionKind =
  | 'applink'
  | 'serialized-context'
  | 'jwt-bearer'
  | 'client-credentials'
  | 'refresh-token'
  | 'sf-cli'
  | 'local-org';

/** An org session. */
export interface SessionInfo {
  /** Base URL API calls go to (`https://mydomain.my.salesforce.com`, AppLink's `orgDomainUrl`). */
  instanceUrl: string;
  accessToken: Secret;
  /** API version without `v` (`64.0`). */
  apiVersion: string;
  /** 18-character org id. */
  orgId: string;
  /** 18-character user id. */
  userId: string;
  username: string;
  /** Namespace of the calling package (AppLink), '' when none. */
  namespace?: string;
  /** Id of the Salesforce request that started this work (AppLink), for correlation in logs. */
  requestId?: string;
}

/** How a connection renews its session; absent when it cannot (AppLink, serialized contexts). */
export type Renew = () => Promise<SessionInfo>;
