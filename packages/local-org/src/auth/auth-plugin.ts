/**
 * OAuth 2.0 for the local org: the token, revoke, userinfo and identity endpoints, and the session
 * guard of the API routes. Wrapped in fastify-plugin because its decorators (`requireSession`,
 * `tokenStore`, `request.session`) and its guard must reach the app that registers it; the OAuth
 * routes themselves live in an encapsulated child so their form parser and error format stay theirs.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { SalesforceError } from '../errors.js';
import { to18, makeId } from '../ids.js';
import { API_PATH_PREFIXES, isUnderPrefix } from '../limits/api-paths.js';
import { identityDocument, userInfoDocument } from './identity.js';
import { clientVerificationKey } from './jwt-assertion.js';
import type { JwtClient } from './jwt-assertion.js';
import { oauthErrors, toOAuthBody } from './oauth-errors.js';
import { accessTokenOf, createSessionGuard } from './require-session.js';
import type { SessionGuard } from './require-session.js';
import { grantToken, JWT_BEARER_GRANT } from './token-grants.js';
import type { KnownUser, TokenGrantContext, TokenParams } from './token-grants.js';
import type { TokenStore } from './token-store.js';
import type { OAuthClient, OrgUser, Session } from './types.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Hook that verifies the request's `Bearer`/`OAuth` token and sets `request.session`, else
     * answers 401 `INVALID_SESSION_ID`. Use as `onRequest` (or `preHandler`) of API routes.
     */
    requireSession: SessionGuard;
    /** The org's token store (issue fixed tokens, revoke, inspect). */
    tokenStore: TokenStore;
  }
  interface FastifyRequest {
    /** The verified session of an API call; null before the guard ran or on unguarded routes. */
    session: Session | null;
  }
}

export interface AuthPluginOptions {
  /** The org's id (`00D…`, 15 or 18 characters); tokens and identity URLs carry it. */
  orgId: string;
  /** Id (`005…`) of the org's integration user, the run-as user of the client credentials flow. */
  userId: string;
  /** Username of the integration user; also a valid JWT `sub`. */
  username: string;
  /**
   * Base URL of the org, e.g. `http://127.0.0.1:5050`; returned as `instance_url`. A function is
   * read on every request, for a server whose port is known only after `listen()`.
   */
  instanceUrl: string | (() => string);
  /** Where tokens are issued and verified. */
  tokens: TokenStore;
  /** The connected apps that may obtain tokens. */
  clients: OAuthClient[];
  /**
   * Users who can log in with the password flow. A user without `userId` gets the integration
   * user's id when the usernames match, else `005` id number 1000 + its position.
   * @defaultValue []
   */
  users?: OrgUser[];
  /**
   * Accepted `aud` values of JWT assertions.
   * @defaultValue ['https://login.salesforce.com', 'https://test.salesforce.com', instanceUrl] (the
   * instance URL as it is at each request)
   */
  audiences?: string[];
  /**
   * URL prefixes the plugin guards itself with `requireSession` (an `onRequest` hook on the app it is
   * registered on), so routes other plugins add under them are covered too. Pass `[]` to apply
   * `app.requireSession` yourself.
   * @defaultValue API_PATH_PREFIXES (`/services/data/v`, `/services/async/`, `/cometd/`)
   */
  protectedPrefixes?: readonly string[];
}

const FORM = 'application/x-www-form-urlencoded';

async function authPluginImpl(app: FastifyInstance, opts: AuthPluginOptions): Promise<void> {
  const orgId = to18(opts.orgId);
  const readInstanceUrl = opts.instanceUrl;
  const instanceUrl = () =>
    (typeof readInstanceUrl === 'function' ? readInstanceUrl() : readInstanceUrl).replace(/\/+$/, '');
  const integrationUser: KnownUser = { userId: to18(opts.userId), username: opts.username };
  const users = new Map<string, KnownUser>([[opts.username.toLowerCase(), integrationUser]]);
  (opts.users ?? []).forEach((user, index) => {
    const sameAsIntegration = user.username.toLowerCase() === opts.username.toLowerCase();
    const userId = user.userId ? to18(user.userId) : sameAsIntegration ? integrationUser.userId : makeId('005', 1000 + index);
    users.set(user.username.toLowerCase(), { ...user, userId });
  });
  const clients = new Map<string, JwtClient>(
    opts.clients.map((client) => [client.clientId, { client, key: clientVerificationKey(client) }]),
  );
  const ctx: TokenGrantContext = {
    orgId,
    instanceUrl,
    tokens: opts.tokens,
    clients,
    users,
    integrationUser,
    audiences: () => opts.audiences ?? ['https://login.salesforce.com', 'https://test.salesforce.com', instanceUrl()],
    now: Date.now,
  };

  const requireSession = createSessionGuard(opts.tokens);
  app.decorate('requireSession', requireSession);
  app.decorate('tokenStore', opts.tokens);
  app.decorateRequest('session', null);

  const prefixes = opts.protectedPrefixes ?? API_PATH_PREFIXES;
  if (prefixes.length > 0) {
    app.addHook('onRequest', async (request, reply) =>
      isUnderPrefix(request.url, prefixes) ? requireSession(request, reply) : undefined,
    );
  }

  await app.register(async (oauth) => {
    // Salesforce reads token requests as a form; any other body (JSON included) is read as no
    // parameters at all, which then fails like a request without grant_type does.
    oauth.removeAllContentTypeParsers();
    oauth.addContentTypeParser(FORM, { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    oauth.addContentTypeParser('*', (_req, payload, done) => {
      payload.resume();
      payload.on('end', () => done(null, {}));
      payload.on('error', done);
    });
    oauth.setErrorHandler((err, request, reply) => {
      if (err instanceof SalesforceError) {
        request.log.info({ error: err.errorCode, description: err.message }, 'local-org: OAuth request rejected');
        return reply.code(err.status).send(toOAuthBody(err));
      }
      throw err;
    });

    oauth.post('/services/oauth2/token', { schema: tokenSchema }, async (request) => {
      const params = formParams(request.body);
      const { body, session } = grantToken(params, basicCredentials(request.headers.authorization), ctx);
      request.log.info(
        { grantType: params.grant_type === JWT_BEARER_GRANT ? 'jwt-bearer' : params.grant_type, clientId: session.clientId, username: session.username },
        'local-org: OAuth token issued',
      );
      return body;
    });

    oauth.post('/services/oauth2/revoke', { schema: revokeSchema }, async (request, reply) => {
      const token = formParams(request.body).token;
      if (token === undefined || !opts.tokens.revoke(token)) throw oauthErrors.invalidToken();
      request.log.info('local-org: OAuth token revoked');
      return reply.send();
    });

    const userinfo = async (request: FastifyRequest, reply: FastifyReply) => {
      const session = identitySession(request, reply, opts.tokens);
      if (!session) return reply;
      return userInfoDocument(instanceUrl(), orgId, session);
    };
    oauth.get('/services/oauth2/userinfo', { schema: { response: { 200: documentSchema } } }, userinfo);
    oauth.post('/services/oauth2/userinfo', { schema: { response: { 200: documentSchema } } }, userinfo);

    oauth.get<{ Params: { orgId: string; userId: string } }>(
      '/id/:orgId/:userId',
      { schema: { params: identityParamsSchema, querystring: identityQuerySchema, response: { 200: documentSchema } } },
      async (request, reply) => {
        const session = identitySession(request, reply, opts.tokens);
        if (!session) return reply;
        const { orgId: askedOrg, userId: askedUser } = request.params;
        if (!sameId(askedOrg, orgId)) return reply.code(403).type('text/plain').send('Wrong_Org');
        const user = [...users.values()].find((u) => sameId(askedUser, u.userId));
        if (!user) return reply.code(404).type('text/plain').send('Bad_Id');
        return identityDocument(instanceUrl(), orgId, user);
      },
    );
  });
}

/**
 * The identity endpoints answer a missing or bad token with 403 and a plain-text code (documented
 * for identity URLs), not with the REST API's 401 array. The token comes in the `Authorization`
 * header or, as the identity URL documentation also allows, as the `oauth_token` parameter.
 */
function identitySession(request: FastifyRequest, reply: FastifyReply, tokens: TokenStore): Session | null {
  const param = (request.query as { oauth_token?: unknown } | undefined)?.oauth_token;
  const token = accessTokenOf(request.headers.authorization) ?? (typeof param === 'string' && param !== '' ? param : undefined);
  const session = token === undefined ? null : tokens.verify(token);
  if (!session) reply.code(403).type('text/plain').send(token === undefined ? 'Missing_OAuth_Token' : 'Bad_OAuth_Token');
  return session;
}

function sameId(a: string, b: string): boolean {
  try {
    return to18(a) === to18(b);
  } catch {
    return false;
  }
}

function formParams(body: unknown): TokenParams {
  return body !== null && typeof body === 'object' ? (body as TokenParams) : {};
}

/** Client id and secret of an `Authorization: Basic` header (RFC 6749 §2.3.1: form-encoded, then base64). */
function basicCredentials(authorization: string | undefined): { clientId?: string; clientSecret?: string } {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return {};
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return {};
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return {};
  }
}

const oauthErrorSchema = {
  type: 'object',
  properties: { error: { type: 'string' }, error_description: { type: 'string' } },
  required: ['error', 'error_description'],
} as const;

const tokenSchema = {
  body: {
    type: 'object',
    properties: {
      grant_type: { type: 'string' },
      client_id: { type: 'string' },
      client_secret: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      refresh_token: { type: 'string' },
      assertion: { type: 'string' },
    },
  },
  response: {
    200: {
      type: 'object',
      properties: {
        access_token: { type: 'string' },
        signature: { type: 'string' },
        instance_url: { type: 'string' },
        id: { type: 'string' },
        token_type: { type: 'string' },
        issued_at: { type: 'string' },
      },
      required: ['access_token', 'signature', 'instance_url', 'id', 'token_type', 'issued_at'],
    },
    400: oauthErrorSchema,
  },
} as const;

const revokeSchema = {
  body: { type: 'object', properties: { token: { type: 'string' } } },
  response: { 400: oauthErrorSchema },
} as const;

const identityParamsSchema = {
  type: 'object',
  properties: { orgId: { type: 'string' }, userId: { type: 'string' } },
  required: ['orgId', 'userId'],
} as const;

/** The identity URL's parameters: the token (instead of the header), and the document's format and version. */
const identityQuerySchema = {
  type: 'object',
  properties: { oauth_token: { type: 'string' }, format: { type: 'string' }, version: { type: 'string' } },
} as const;

/** Identity documents are open-ended; the schema only pins the fields clients depend on. */
const documentSchema = {
  type: 'object',
  additionalProperties: true,
  properties: { user_id: { type: 'string' }, organization_id: { type: 'string' } },
  required: ['user_id', 'organization_id'],
} as const;

/** Registers the OAuth endpoints and the session guard; see {@link AuthPluginOptions}. */
export const authPlugin = fp(authPluginImpl, { name: 'local-org-auth', fastify: '5.x' });
