/**
 * OAuth 2.0 refresh token flow: a refresh token obtained once (web-server flow, `sf org login
 * web`) is exchanged for access tokens, now and whenever the session expires.
 */
import { requestToken, sessionOfToken } from '../auth/oauth.js';
import type { SessionInfo } from '../auth/session.js';
import { DEFAULT_API_VERSION } from '../client/client-options.js';
import { SalesforceClient } from '../client/salesforce-client.js';
import { DEFAULT_LOGIN_URL, type OAuthConnectionOptions } from './oauth-options.js';

export interface RefreshTokenOptions extends OAuthConnectionOptions {
  refreshToken: string;
  /** The consumer secret, when the connected app requires it for refresh. */
  clientSecret?: string;
}

export async function fromRefreshToken(options: RefreshTokenOptions): Promise<SalesforceClient> {
  const loginUrl = options.loginUrl ?? DEFAULT_LOGIN_URL;
  const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeout = options.authTimeoutMs ?? 30_000;
  const login = async (): Promise<SessionInfo> => {
    const token = await requestToken(
      loginUrl,
      {
        grant_type: 'refresh_token',
        client_id: options.clientId,
        refresh_token: options.refreshToken,
        ...(options.clientSecret ? { client_secret: options.clientSecret } : {}),
      },
      fetchImpl,
      timeout,
    );
    return sessionOfToken(token, { apiVersion }, fetchImpl, timeout);
  };
  return new SalesforceClient({ kind: 'refresh-token', session: await login(), renew: login, options });
}
