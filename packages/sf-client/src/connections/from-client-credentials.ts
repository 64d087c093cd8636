/**
 * OAuth 2.0 client credentials flow: the connected app authenticates with its consumer key and
 * secret and acts as its configured run-as user. Salesforce requires the org's My Domain URL as
 * `loginUrl` for this flow. An expired session is renewed with the same credentials.
 */
import { requestToken, sessionOfToken } from '../auth/oauth.js';
import type { SessionInfo } from '../auth/session.js';
import { DEFAULT_API_VERSION } from '../client/client-options.js';
import { SalesforceClient } from '../client/salesforce-client.js';
import type { OAuthConnectionOptions } from './oauth-options.js';

export interface ClientCredentialsOptions extends OAuthConnectionOptions {
  /** The org's My Domain URL (`https://acme.my.salesforce.com`). */
  loginUrl: string;
  clientSecret: string;
}

export async function fromClientCredentials(options: ClientCredentialsOptions): Promise<SalesforceClient> {
  const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeout = options.authTimeoutMs ?? 30_000;
  const login = async (): Promise<SessionInfo> => {
    const token = await requestToken(
      options.loginUrl,
      { grant_type: 'client_credentials', client_id: options.clientId, client_secret: options.clientSecret },
      fetchImpl,
      timeout,
    );
    return sessionOfToken(token, { apiVersion }, fetchImpl, timeout);
  };
  return new SalesforceClient({ kind: 'client-credentials', session: await login(), renew: login, options });
}
