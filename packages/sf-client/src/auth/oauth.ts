/**
 * The calls to Salesforce's OAuth endpoints the connections need: the token endpoint (one form
 * POST per grant) and userinfo (who the token is for). These are not API calls: they are not
 * counted against the daily allocation and do not go through the org's concurrency limiter.
 */
import { ClientErrorCode } from '../errors/error-codes.js';
import { SalesforceAuthError } from '../errors/salesforce-auth-error.js';
import { networkError } from '../http/transport.js';
import { Secret } from './secret.js';
import type { SessionInfo } from './session.js';

/** Salesforce's token response. */
export interface TokenResponse {
  access_token: string;
  instance_url: string;
  /** Identity URL `https://login…/id/<orgId>/<userId>`. */
  id: string;
  token_type?: string;
  issued_at?: string;
  refresh_token?: string;
  signature?: string;
}

/** POSTs `params` to `<loginUrl>/services/oauth2/token`; throws `SalesforceAuthError` with the OAuth `error`. */
export async function requestToken(
  loginUrl: string,
  params: Record<string, string>,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Promise<TokenResponse> {
  const url = `${loginUrl.replace(/\/+$/, '')}/services/oauth2/token`;
  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const cause = networkError(error, 'POST', '/services/oauth2/token');
    throw new SalesforceAuthError(ClientErrorCode.AUTHENTICATION_FAILED, `could not reach ${url}: ${cause.message}`, { cause });
  }
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // handled below
  }
  if (!response.ok || typeof body['access_token'] !== 'string') {
    const code = typeof body['error'] === 'string' ? body['error'] : ClientErrorCode.AUTHENTICATION_FAILED;
    const description = typeof body['error_description'] === 'string' ? body['error_description'] : text.slice(0, 200);
    throw new SalesforceAuthError(code, `OAuth ${params['grant_type']} grant refused by ${url}: ${code}: ${description}`);
  }
  return body as unknown as TokenResponse;
}

/** Org and user ids from an identity URL (`…/id/00D…/005…`). */
export function idsOfIdentityUrl(identityUrl: string): { orgId: string; userId: string } {
  const m = /\/id\/([a-zA-Z0-9]{15,18})\/([a-zA-Z0-9]{15,18})\/?$/.exec(identityUrl);
  if (!m) throw new SalesforceAuthError(ClientErrorCode.AUTHENTICATION_FAILED, `token response has no identity URL: ${identityUrl}`);
  return { orgId: m[1]!, userId: m[2]! };
}

/** Who a token is for, from OpenID Connect userinfo (`/services/oauth2/userinfo` on the instance). */
export async function fetchUserInfo(
  instanceUrl: string,
  accessToken: Secret,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Promise<{ username: string; userId: string; orgId: string }> {
  const url = `${instanceUrl.replace(/\/+$/, '')}/services/oauth2/userinfo`;
  try {
    const response = await fetchImpl(url, {
      headers: { Authorization: `Bearer ${accessToken.reveal()}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as { preferred_username?: unknown; user_id?: unknown; organization_id?: unknown };
    const { preferred_username: username, user_id: userId, organization_id: orgId } = body;
    if (!response.ok || typeof username !== 'string' || typeof userId !== 'string' || typeof orgId !== 'string') {
      throw new Error(`HTTP ${response.status}`);
    }
    return { username, userId, orgId };
  } catch (error) {
    throw new SalesforceAuthError(ClientErrorCode.AUTHENTICATION_FAILED, `could not read the user of the session from ${url}`, {
      cause: error,
    });
  }
}

/** A session from a token response. `username` is read from userinfo when not known. */
export async function sessionOfToken(
  token: TokenResponse,
  known: { username?: string; apiVersion: string },
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Promise<SessionInfo> {
  const accessToken = new Secret(token.access_token);
  const { orgId, userId } = idsOfIdentityUrl(token.id);
  const username = known.username ?? (await fetchUserInfo(token.instance_url, accessToken, fetchImpl, timeoutMs)).username;
  return { instanceUrl: token.instance_url.replace(/\/+$/, ''), accessToken, apiVersion: known.apiVersion, orgId, userId, username };
}
