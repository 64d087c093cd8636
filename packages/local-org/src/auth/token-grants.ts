/**
 * The grants of `POST /services/oauth2/token`, answered the way Salesforce answers them: which
 * checks come first, which error each failure gives, and which flows return a refresh token
 * (none of these four do — Salesforce issues refresh tokens from the web-server and user-agent
 * flows, which have a browser step this org does not emulate).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { JwtClient } from './jwt-assertion.js';
import { verifyJwtAssertion } from './jwt-assertion.js';
import { oauthErrors } from './oauth-errors.js';
import type { TokenStore } from './token-store.js';
import type { OAuthClient, OAuthFlow, Session, SessionSubject } from './types.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** A user the token endpoint can issue tokens for. */
export interface KnownUser {
  userId: string;
  username: string;
  /** Absent for a user who cannot use the password flow (e.g. the integration user). */
  password?: string;
  securityToken?: string;
}

/** What the grants need to know about the org. */
export interface TokenGrantContext {
  orgId: string;
  /** Read per request: the port of a server listening on port 0 is known only after listen(). */
  instanceUrl: () => string;
  tokens: TokenStore;
  /** By consumer key. */
  clients: ReadonlyMap<string, JwtClient>;
  /** By lower-case username (Salesforce usernames are case-insensitive). */
  users: ReadonlyMap<string, KnownUser>;
  /** The run-as user of the client credentials flow. */
  integrationUser: KnownUser;
  audiences: () => readonly string[];
  now: () => number;
}

/** The form fields of a token request (all optional on the wire). */
export type TokenParams = Partial<Record<string, string>>;

/** Salesforce's success body, in its field order. */
export interface TokenResponse {
  access_token: string;
  signature: string;
  instance_url: string;
  id: string;
  token_type: 'Bearer';
  issued_at: string;
}

/** The identity URL of a user, which is also the `id` of token responses. */
export function identityUrl(instanceUrl: string, orgId: string, userId: string): string {
  return `${instanceUrl}/id/${orgId}/${userId}`;
}

/**
 * Runs the grant named by `grant_type`. Client credentials come from the form or, failing that,
 * from HTTP Basic (`basic`). Throws the OAuth error (a `SalesforceError` with the OAuth code) on
 * failure.
 */
export function grantToken(
  params: TokenParams,
  basic: { clientId?: string; clientSecret?: string },
  ctx: TokenGrantContext,
): { body: TokenResponse; session: Session } {
  const clientId = params.client_id ?? basic.clientId;
  const clientSecret = params.client_secret ?? basic.clientSecret;
  switch (params.grant_type) {
    case 'client_credentials': {
      const client = requireClient(ctx, clientId, clientSecret, 'always');
      return respond(ctx, client, ctx.integrationUser, 'client_credentials');
    }
    case 'password': {
      const client = requireClient(ctx, clientId, clientSecret, 'if-configured');
      const user = ctx.users.get((params.username ?? '').toLowerCase());
      if (!user || user.password === undefined || !passwordMatches(user, params.password ?? '')) {
        throw oauthErrors.authenticationFailure();
      }
      return respond(ctx, client, user, 'password');
    }
    case 'refresh_token': {
      // The secret is optional for this flow (a connected app setting); when sent, it must be right.
      const client = requireClient(ctx, clientId, clientSecret, 'if-sent');
      const issued = ctx.tokens.redeem(params.refresh_token ?? '', client.clientId);
      if (!issued) throw oauthErrors.expiredToken();
      return { body: tokenBody(ctx, client, issued.accessToken, issued.session), session: issued.session };
    }
    case JWT_BEARER_GRANT: {
      const { client, claims } = verifyJwtAssertion(
        params.assertion ?? '',
        (id) => ctx.clients.get(id),
        ctx.audiences(),
        ctx.now(),
      );
      const user = ctx.users.get(claims.sub.toLowerCase());
      if (!user) throw oauthErrors.userNotApproved();
      return respond(ctx, client, user, 'jwt-bearer');
    }
    default:
      throw oauthErrors.unsupportedGrantType();
  }
}

/**
 * When a flow checks the consumer secret: `always` (a client without one cannot use the flow),
 * `if-configured` (when the client has one), `if-sent` (when the request carries one).
 */
type SecretPolicy = 'always' | 'if-configured' | 'if-sent';

/** The client, after the `invalid_client_id` then `invalid_client` checks, in Salesforce's order. */
function requireClient(
  ctx: TokenGrantContext,
  clientId: string | undefined,
  clientSecret: string | undefined,
  policy: SecretPolicy,
): OAuthClient {
  const found = clientId === undefined ? undefined : ctx.clients.get(clientId);
  if (!found) throw oauthErrors.invalidClientId();
  const expected = found.client.clientSecret;
  const checked =
    policy === 'always' || (policy === 'if-configured' ? expected !== undefined : clientSecret !== undefined);
  if (checked && (expected === undefined || clientSecret === undefined || !sameText(expected, clientSecret))) {
    throw oauthErrors.invalidClient();
  }
  return found.client;
}

/** Salesforce accepts the password alone, or password + security token when the user has one. */
function passwordMatches(user: KnownUser, given: string): boolean {
  const expected = user.securityToken === undefined ? user.password ?? '' : `${user.password ?? ''}${user.securityToken}`;
  return sameText(expected, given);
}

function respond(
  ctx: TokenGrantContext,
  client: OAuthClient,
  user: KnownUser,
  flow: OAuthFlow,
): { body: TokenResponse; session: Session } {
  const subject: SessionSubject = { userId: user.userId, username: user.username, orgId: ctx.orgId, clientId: client.clientId };
  const { accessToken, session } = ctx.tokens.issue(subject, flow);
  return { body: tokenBody(ctx, client, accessToken, session), session };
}

function tokenBody(ctx: TokenGrantContext, client: OAuthClient, accessToken: string, session: Session): TokenResponse {
  const instanceUrl = ctx.instanceUrl();
  const id = identityUrl(instanceUrl, session.orgId, session.userId);
  const issuedAt = String(session.issuedAt);
  // Salesforce signs id + issued_at with the consumer secret so clients can check the response
  // came from the org; a client configured without a secret signs with its consumer key.
  const signature = createHmac('sha256', client.clientSecret ?? client.clientId)
    .update(id + issuedAt)
    .digest('base64');
  return {
    access_token: accessToken,
    signature,
    instance_url: instanceUrl,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}

/** Constant-time comparison, so the org does not leak secrets through timing. */
function sameText(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
