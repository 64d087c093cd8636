/**
 * A client for a running `@ecars/local-org` (tests, `pnpm dev`): the org's own token. Typed
 * structurally so that this package does not depend on local-org at run time. Local org tokens do
 * not expire unless the org was started with `sessionTtlMs`; pass `renewWith` (one of the org's
 * OAuth clients) to renew through the client credentials flow when they do.
 */
import { Secret } from '../auth/secret.js';
import { requestToken, sessionOfToken } from '../auth/oauth.js';
import type { SessionInfo } from '../auth/session.js';
import type { ClientOptions } from '../client/client-options.js';
import { SalesforceClient } from '../client/salesforce-client.js';
import type { SerializedContext } from '../client/serialized-context.js';

/** What the client needs of a `LocalOrg` (`startLocalOrg()`'s result): a serialized context's identity and token. */
export type LocalOrgHandle = Omit<SerializedContext, 'namespace' | 'requestId'>;

export interface FromLocalOrgOptions extends ClientOptions {
  /** A connected app of the org to renew expired sessions with (client credentials). */
  renewWith?: { clientId: string; clientSecret: string };
}

export async function fromLocalOrg(org: LocalOrgHandle, options: FromLocalOrgOptions = {}): Promise<SalesforceClient> {
  const apiVersion = options.apiVersion ?? org.apiVersion;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const renewWith = options.renewWith;
  const renew = renewWith
    ? async (): Promise<SessionInfo> => {
        const token = await requestToken(
          org.instanceUrl,
          { grant_type: 'client_credentials', client_id: renewWith.clientId, client_secret: renewWith.clientSecret },
          fetchImpl,
          30_000,
        );
        return sessionOfToken(token, { apiVersion, username: org.username }, fetchImpl, 30_000);
      }
    : undefined;
  return new SalesforceClient({
    kind: 'local-org',
    session: {
      instanceUrl: org.instanceUrl,
      accessToken: new Secret(org.accessToken),
      apiVersion,
      orgId: org.orgId,
      userId: org.userId,
      username: org.username,
    },
    ...(renew ? { renew } : {}),
    options,
  });
}
