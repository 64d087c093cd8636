/**
 * The RS256-signed assertion of the OAuth 2.0 JWT bearer flow (RFC 7523) as Salesforce expects it:
 * `iss` = the connected app's consumer key, `sub` = the username, `aud` = the login server,
 * `exp` within a few minutes. node:crypto only.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';

export interface JwtAssertionInput {
  clientId: string;
  username: string;
  audience: string;
  /** PKCS#8 or PKCS#1 PEM, or a KeyObject. */
  privateKey: string | KeyObject;
  /** Seconds the assertion is valid; Salesforce accepts up to 3 minutes (plus clock skew). */
  lifetimeSeconds?: number;
  /** Clock, ms since the epoch. */
  now?: number;
}

export function signJwtBearerAssertion(input: JwtAssertionInput): string {
  const key = typeof input.privateKey === 'string' ? createPrivateKey(input.privateKey) : input.privateKey;
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const exp = Math.floor((input.now ?? Date.now()) / 1000) + (input.lifetimeSeconds ?? 180);
  const signingInput = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({
    iss: input.clientId,
    sub: input.username,
    aud: input.audience,
    exp,
  })}`;
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), key).toString('base64url')}`;
}

/**
 * The `aud` Salesforce wants for a login URL: the sandbox login server for sandboxes
 * (`test.salesforce.com`, `*.sandbox.my.salesforce.com`), else the production one. Other hosts (a
 * local org) are their own audience.
 */
export function defaultAudience(loginUrl: string): string {
  const host = new URL(loginUrl).host.toLowerCase();
  if (host === 'test.salesforce.com' || host.endsWith('.sandbox.my.salesforce.com')) return 'https://test.salesforce.com';
  if (host === 'login.salesforce.com' || host.endsWith('.my.salesforce.com')) return 'https://login.salesforce.com';
  return loginUrl.replace(/\/+$/, '');
}
