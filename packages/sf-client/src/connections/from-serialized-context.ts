/**
 * A client from a `SerializedContext` carried inside a queued job (`client.serialize()` on the
 * API side). Like the AppLink context it came from, its token cannot be renewed: a job that
 * outlives the session fails with a `SalesforceAuthError` telling to re-enqueue with a fresh one.
 */
import { assertAllowedOrgUrl } from '../auth/org-url-policy.js';
import { Secret } from '../auth/secret.js';
import { ClientErrorCode } from '../errors/error-codes.js';
import { SalesforceAuthError } from '../errors/salesforce-auth-error.js';
import type { ClientOptions } from '../client/client-options.js';
import { SalesforceClient } from '../client/salesforce-client.js';
import type { SerializedContext } from '../client/serialized-context.js';

export async function fromSerializedContext(context: SerializedContext, options: ClientOptions = {}): Promise<SalesforceClient> {
  for (const key of ['instanceUrl', 'accessToken', 'apiVersion', 'orgId', 'userId', 'username'] as const) {
    if (typeof context?.[key] !== 'string' || context[key] === '') {
      throw new SalesforceAuthError(ClientErrorCode.AUTHENTICATION_FAILED, `serialized context lacks ${key}`);
    }
  }
  // A job payload can be written by anything that reaches Redis: never send its token elsewhere.
  assertAllowedOrgUrl(context.instanceUrl, options.allowedOrigins);
  return new SalesforceClient({
    kind: 'serialized-context',
    session: {
      instanceUrl: context.instanceUrl.replace(/\/+$/, ''),
      accessToken: new Secret(context.accessToken),
      apiVersion: context.apiVersion.replace(/^v/i, ''),
      orgId: context.orgId,
      userId: context.userId,
      username: context.username,
      ...(context.namespace ? { namespace: context.namespace } : {}),
      ...(context.requestId ? { requestId: context.requestId } : {}),
    },
    options,
  });
}
