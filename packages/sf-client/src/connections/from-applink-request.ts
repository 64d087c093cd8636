/**
 * A client for a request that Salesforce sent to the app through Heroku AppLink: the
 * `x-client-context` header is read with `@heroku/applink`'s own `parseRequest` (so header
 * handling matches Salesforce's contract exactly: lower-case header, `userContext` required, `v`
 * stripped from the version), then the client talks to the context's `orgDomainUrl` with its
 * access token. The token belongs to the invoking user's request and cannot be renewed here: an
 * expired one gives a `SalesforceAuthError`.
 */
import type * as AppLink from '@heroku/applink';
import { ClientErrorCode } from '../errors/error-codes.js';
import { SalesforceAuthError } from '../errors/salesforce-auth-error.js';
import { assertAllowedOrgUrl } from '../auth/org-url-policy.js';
import { Secret } from '../auth/secret.js';
import { SalesforceClient } from '../client/salesforce-client.js';
import type { ClientOptions } from '../client/client-options.js';

/** Request headers as Node and Fastify give them (lower-case names). */
export type IncomingHeaders = Record<string, string | string[] | undefined>;

/** The `@heroku/applink` module, loaded on first use (it pulls in jsforce and @salesforce/core). */
let applink: Promise<typeof AppLink> | undefined;

export async function fromAppLinkRequest(headers: IncomingHeaders, options: ClientOptions = {}): Promise<SalesforceClient> {
  applink ??= import('@heroku/applink');
  const { parseRequest } = await applink;
  let org;
  let requestId: string;
  try {
    // A silent logger: the SDK's default logger would print the context id for every request.
    const parsed = parseRequest(headers, undefined, { error() {}, warn() {}, info() {}, debug() {}, trace() {} });
    org = parsed.context.org;
    requestId = parsed.context.id;
  } catch (error) {
    throw new SalesforceAuthError(
      ClientErrorCode.AUTHENTICATION_FAILED,
      `invalid or missing x-client-context header: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (!org || !org.dataApi.accessToken || !org.domainUrl) {
    throw new SalesforceAuthError(ClientErrorCode.AUTHENTICATION_FAILED, 'x-client-context carries no org access token or domain URL');
  }
  // The header is only as trustworthy as the service mesh in front of the app: never send its token elsewhere.
  assertAllowedOrgUrl(org.domainUrl, options.allowedOrigins);
  return new SalesforceClient({
    kind: 'applink',
    session: {
      instanceUrl: org.domainUrl.replace(/\/+$/, ''),
      accessToken: new Secret(org.dataApi.accessToken),
      apiVersion: org.apiVersion,
      orgId: org.id,
      userId: org.user.id,
      username: org.user.username,
      namespace: org.namespace,
      ...(requestId ? { requestId } : {}),
    },
    options,
  });
}
