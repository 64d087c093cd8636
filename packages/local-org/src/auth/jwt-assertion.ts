/**
 * Verification of OAuth 2.0 JWT bearer assertions (RFC 7523) as Salesforce does it: RS256 only,
 * `iss` = consumer key, `aud` = a login URL, `exp` in the future, `sub` = username (checked by the
 * caller, which knows the users). Uses node:crypto only.
 */
import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { oauthErrors } from './oauth-errors.js';
import type { OAuthClient } from './types.js';

/**
 * How far past `exp` an assertion is still accepted, for clock skew between client and org.
 * Salesforce documents a 3-minute window around `exp`.
 */
export const JWT_CLOCK_SKEW_MS = 3 * 60_000;

const B64URL = /^[A-Za-z0-9_-]+$/;

/** The claims the flow uses; others are ignored. */
export interface JwtBearerClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  /** Seconds since the epoch. */
  exp: number;
}

/** A client together with the key its assertions are checked with. */
export interface JwtClient {
  client: OAuthClient;
  key: KeyObject | undefined;
}

/**
 * The RSA public key of a client's certificate or public key PEM, undefined when it has neither.
 * Throws at configuration time (not per request) when the PEM is not an RSA key.
 */
export function clientVerificationKey(client: OAuthClient): KeyObject | undefined {
  const pem = client.certificatePem ?? client.publicKeyPem;
  if (pem === undefined) return undefined;
  const key = client.certificatePem !== undefined ? new X509Certificate(pem).publicKey : createPublicKey(pem);
  if (key.asymmetricKeyType !== 'rsa') {
    throw new TypeError(`client ${client.clientId}: JWT bearer keys must be RSA, got ${key.asymmetricKeyType}`);
  }
  return key;
}

/**
 * Checks an assertion and returns its client and claims; throws the OAuth error Salesforce answers
 * with: `invalid_grant`/`invalid assertion` for anything malformed, not RS256 or badly signed,
 * `invalid_client_id` for an unknown `iss`, `audience is invalid`, `expired authorization code`.
 */
export function verifyJwtAssertion(
  assertion: string,
  findClient: (clientId: string) => JwtClient | undefined,
  audiences: readonly string[],
  nowMs: number,
): { client: OAuthClient; claims: JwtBearerClaims } {
  const parts = assertion.split('.');
  const [headerPart, claimsPart, signaturePart] = parts;
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p))) throw oauthErrors.invalidAssertion();
  const header = decodeJson(headerPart);
  const claims = decodeJson(claimsPart);
  if (header?.alg !== 'RS256' || !claims || typeof claims.iss !== 'string') throw oauthErrors.invalidAssertion();

  const found = findClient(claims.iss);
  if (!found) throw oauthErrors.invalidClientId();
  if (!found.key) throw oauthErrors.invalidAssertion();
  const signed = Buffer.from(`${headerPart}.${claimsPart}`);
  if (!verify('sha256', signed, found.key, Buffer.from(signaturePart ?? '', 'base64url'))) {
    throw oauthErrors.invalidAssertion();
  }

  if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') throw oauthErrors.invalidAssertion();
  const aud = claims.aud;
  const auds = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  const allowed = new Set(audiences.map(trimSlash));
  if (!auds.some((a) => typeof a === 'string' && allowed.has(trimSlash(a)))) throw oauthErrors.invalidAudience();
  if (claims.exp * 1000 + JWT_CLOCK_SKEW_MS <= nowMs) throw oauthErrors.expiredAssertion();

  return { client: found.client, claims: { iss: claims.iss, sub: claims.sub, aud: aud as string | string[], exp: claims.exp } };
}

function decodeJson(part: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
