/**
 * OAuth 2.0 JWT bearer flow: the production path for server-to-server apps. The app signs a short
 * assertion with its private key (the connected app holds the certificate) for a pre-authorized
 * user; no secret or refresh token is stored. An expired session is renewed by signing a new
 * assertion.
 */
import type { KeyObject } from 'node:crypto';
import { defaultAudience, signJwtBearerAssertion } from '../auth/jwt-assertion.js';
import { requestToken, sessionOfToken } from '../auth/oauth.js';
import type { SessionInfo } from '../auth/session.js';
import { DEFAULT_API_VERSION } from '../client/client-options.js';
import { SalesforceClient } from '../client/salesforce-client.js';
import { DEFAULT_LOGIN_URL, type OAuthConnectionOptions } from './oauth-options.js';

export interface JwtBearerOptions extends OAuthConnectionOptions {
  /** The Salesforce username the app acts as. */
  username: string;
  /** The private key (PEM or KeyObject) whose certificate the connected app holds. */
  privateKey: string | KeyObject;
  /**
   * `aud` of the assertion.
   * @defaultValue 'https://test.salesforce.com' for sandbox login URLs, 'https://login.salesforce.com' for other Salesforce hosts, else the login URL itself
   */
  audience?: string;
}

export async function fromJwtBearer(options: JwtBearerOptions): Promise<SalesforceClient> {
  const loginUrl = options.loginUrl ?? DEFAULT_LOGIN_URL;
  const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeout = options.authTimeoutMs ?? 30_000;
  const login = async (): Promise<SessionInfo> => {
    const assertion = signJwtBearerAssertion({
      clientId: options.clientId,
      username: options.username,
      audience: options.audience ?? defaultAudience(loginUrl),
      privateKey: options.privateKey,
    });
    const token = await requestToken(
      loginUrl,
      { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion },
      fetchImpl,
      timeout,
    );
    return sessionOfToken(token, { username: options.username, apiVersion }, fetchImpl, timeout);
  };
  return new SalesforceClient({ kind: 'jwt-bearer', session: await login(), renew: login, options });
}
