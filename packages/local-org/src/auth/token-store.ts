import { randomBytes } from 'node:crypto';
import type { OAuthFlow, Session, SessionSubject } from './types.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Length of the random part after `!`; real session ids carry about this many characters. */
const SESSION_SECRET_LENGTH = 96;
/** Salesforce refresh tokens start with `5Aep861` followed by about 80 characters. */
const REFRESH_PREFIX = '5Aep861';
const REFRESH_SECRET_LENGTH = 80;

export interface TokenStoreOptions {
  /**
   * Lifetime of an access token from its issue, in milliseconds. When the time has passed the token
   * is invalid (the API answers 401 `INVALID_SESSION_ID`), so clients' re-authentication paths can be
   * tested. Salesforce's timeout is measured from the last activity; a fixed lifetime is simpler to
   * reason about in tests and reaches the same code paths.
   * @defaultValue undefined (sessions never expire)
   */
  sessionTtlMs?: number;
  /**
   * Clock in milliseconds since the epoch; tests pass their own to expire sessions without waiting.
   * @defaultValue Date.now
   */
  now?: () => number;
}

/** A newly issued access token, with the refresh token when one was asked for. */
export interface IssuedTokens {
  accessToken: string;
  refreshToken?: string;
  session: Session;
}

interface RefreshGrant {
  subject: SessionSubject;
  accessTokens: Set<string>;
}

interface AccessGrant {
  session: Session;
  refreshToken?: string;
}

/**
 * Issues and checks the org's opaque tokens: access tokens shaped like Salesforce session ids
 * (`<15-character org id>!<random base 62>`) and refresh tokens, which stay valid until revoked as
 * with a connected app's default refresh token policy.
 *
 * @example
 * const tokens = new TokenStore({ sessionTtlMs: 60_000 });
 * const { accessToken } = tokens.issue(subject, 'password');
 * tokens.verify(accessToken)?.username;
 */
export class TokenStore {
  private readonly access = new Map<string, AccessGrant>();
  private readonly refresh = new Map<string, RefreshGrant>();
  private readonly now: () => number;
  readonly sessionTtlMs: number | undefined;

  constructor(options: TokenStoreOptions = {}) {
    if (options.sessionTtlMs !== undefined && !(options.sessionTtlMs > 0)) {
      throw new RangeError(`sessionTtlMs must be a positive number of milliseconds, got ${options.sessionTtlMs}`);
    }
    this.sessionTtlMs = options.sessionTtlMs;
    this.now = options.now ?? Date.now;
  }

  /** Issues a new access token, and a refresh token bound to it when `withRefreshToken` is set. */
  issue(subject: SessionSubject, flow: OAuthFlow, options: { withRefreshToken?: boolean } = {}): IssuedTokens {
    if (!options.withRefreshToken) return this.issueAccess(subject, flow);
    const refreshToken = REFRESH_PREFIX + randomBase62(REFRESH_SECRET_LENGTH);
    this.refresh.set(refreshToken, { subject: { ...subject }, accessTokens: new Set() });
    return { ...this.issueAccess(subject, flow, refreshToken), refreshToken };
  }

  /**
   * Registers a token chosen by the caller (e.g. a test's known token), subject to the same lifetime
   * as issued tokens. Registering a token again replaces its session.
   */
  issueFixed(token: string, subject: SessionSubject): Session {
    if (!/^\S+$/.test(token)) throw new TypeError('a fixed token must be a non-empty string without whitespace');
    return this.register(token, subject, 'fixed');
  }

  /**
   * Issues a new access token from a refresh token, for the client it was issued to (no new refresh
   * token, as Salesforce). Returns null when the refresh token is unknown, revoked, or belongs to
   * another client.
   */
  redeem(refreshToken: string, clientId: string): IssuedTokens | null {
    const grant = this.refresh.get(refreshToken);
    if (!grant || grant.subject.clientId !== clientId) return null;
    return this.issueAccess(grant.subject, 'refresh_token', refreshToken);
  }

  /** The session of a valid access token, or null for an unknown, revoked or expired one. */
  verify(token: string): Session | null {
    const grant = this.access.get(token);
    if (!grant) return null;
    if (grant.session.expiresAt !== undefined && this.now() >= grant.session.expiresAt) {
      this.forgetAccess(token, grant);
      return null;
    }
    return grant.session;
  }

  /**
   * Revokes an access token, or a refresh token together with every access token issued from it
   * (Salesforce's revoke semantics). Returns false when the token was not known.
   */
  revoke(token: string): boolean {
    const refresh = this.refresh.get(token);
    if (refresh) {
      for (const accessToken of refresh.accessTokens) this.access.delete(accessToken);
      this.refresh.delete(token);
      return true;
    }
    const access = this.access.get(token);
    if (!access) return false;
    this.forgetAccess(token, access);
    return true;
  }

  /** Number of live access tokens (expired ones are dropped when next looked at). */
  get size(): number {
    return this.access.size;
  }

  /** Forgets every token. */
  clear(): void {
    this.access.clear();
    this.refresh.clear();
  }

  private issueAccess(subject: SessionSubject, flow: OAuthFlow, refreshToken?: string): IssuedTokens {
    const accessToken = `${subject.orgId.slice(0, 15)}!${randomBase62(SESSION_SECRET_LENGTH)}`;
    return { accessToken, session: this.register(accessToken, subject, flow, refreshToken) };
  }

  private register(token: string, subject: SessionSubject, flow: OAuthFlow, refreshToken?: string): Session {
    const previous = this.access.get(token);
    if (previous) this.forgetAccess(token, previous);
    const issuedAt = this.now();
    const session: Session = {
      userId: subject.userId,
      username: subject.username,
      orgId: subject.orgId,
      clientId: subject.clientId,
      issuedAt,
      flow,
      ...(this.sessionTtlMs === undefined ? {} : { expiresAt: issuedAt + this.sessionTtlMs }),
    };
    this.access.set(token, refreshToken === undefined ? { session } : { session, refreshToken });
    if (refreshToken !== undefined) this.refresh.get(refreshToken)?.accessTokens.add(token);
    return session;
  }

  private forgetAccess(token: string, grant: AccessGrant): void {
    this.access.delete(token);
    if (grant.refreshToken !== undefined) this.refresh.get(grant.refreshToken)?.accessTokens.delete(token);
  }
}

/** `length` uniformly random base-62 characters (rejection sampling avoids modulo bias). */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}
