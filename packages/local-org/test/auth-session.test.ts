/**
 * The session guard of the API routes (401 INVALID_SESSION_ID), token revocation, the identity
 * endpoints, and the token store's lifetimes; one test goes over a real socket.
 */
import Fastify from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { authPlugin, TokenStore } from '../src/auth/index.js';
import { makeId } from '../src/ids.js';
import {
  API_PATH,
  buildAuthApp,
  form,
  INSTANCE_URL,
  INTEGRATION_USERNAME,
  ORG_ID,
  SECRET_CLIENT,
  USER_ID,
} from './utils/auth-app.js';
import type { AuthTestApp } from './utils/auth-app.js';
import { createSigningKeyPair } from './utils/auth-keys.js';
import type { SigningKeyPair } from './utils/auth-keys.js';

const INVALID_SESSION = '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]';
const subject = { userId: USER_ID, username: INTEGRATION_USERNAME, orgId: ORG_ID, clientId: SECRET_CLIENT.clientId };
let keys: { cert: SigningKeyPair; key: SigningKeyPair };
let t: AuthTestApp | undefined;

beforeAll(() => {
  keys = { cert: createSigningKeyPair(), key: createSigningKeyPair() };
});

afterEach(async () => {
  await t?.app.close();
  t = undefined;
});

const get = (app: AuthTestApp['app'], authorization?: string, url = API_PATH) =>
  app.inject({ method: 'GET', url, headers: authorization === undefined ? {} : { authorization } });

describe('session guard', () => {
  it('answers a request without Authorization with exactly Salesforce’s 401 body and never runs the handler', async () => {
    t = await buildAuthApp(keys);
    const res = await get(t.app);
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toBe(INVALID_SESSION);
    expect(t.seen).toHaveLength(0);
  });

  it('answers malformed and unknown credentials with the same 401', async () => {
    t = await buildAuthApp(keys);
    const { accessToken } = t.tokens.issue(subject, 'client_credentials');
    for (const authorization of ['Bearer', `Basic ${accessToken}`, `Bearer ${accessToken} extra`, `Bearer ${ORG_ID.slice(0, 15)}!forged`]) {
      const res = await get(t.app, authorization);
      expect(res.statusCode).toBe(401);
      expect(res.body).toBe(INVALID_SESSION);
    }
    expect(t.seen).toHaveLength(0);
  });

  it('accepts Bearer and CometD’s OAuth scheme and sets request.session', async () => {
    t = await buildAuthApp(keys);
    const { accessToken, session } = t.tokens.issue(subject, 'client_credentials');
    expect((await get(t.app, `Bearer ${accessToken}`)).statusCode).toBe(200);
    expect((await get(t.app, `OAuth ${accessToken}`, '/cometd/64.0')).statusCode).toBe(404);
    expect((await get(t.app, 'OAuth nope', '/cometd/64.0')).statusCode).toBe(401);
    expect(t.seen).toEqual([session]);
  });

  it('leaves the unauthenticated versions list and other paths unguarded', async () => {
    t = await buildAuthApp(keys);
    expect((await get(t.app, undefined, '/services/data/')).statusCode).toBe(404);
    expect((await get(t.app, undefined, '/services/async/64.0/job')).statusCode).toBe(401);
  });

  it('rejects a revoked access token', async () => {
    t = await buildAuthApp(keys);
    const { accessToken } = t.tokens.issue(subject, 'client_credentials');
    const revoke = await t.app.inject({ method: 'POST', url: '/services/oauth2/revoke', ...form({ token: accessToken }) });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.body).toBe('');
    expect((await get(t.app, `Bearer ${accessToken}`)).body).toBe(INVALID_SESSION);
  });

  it('revokes every access token of a revoked refresh token', async () => {
    t = await buildAuthApp(keys);
    const first = t.tokens.issue(subject, 'password', { withRefreshToken: true });
    const second = t.tokens.redeem(first.refreshToken ?? '', SECRET_CLIENT.clientId);
    const unrelated = t.tokens.issue(subject, 'password');
    expect(t.tokens.revoke(first.refreshToken ?? '')).toBe(true);
    expect((await get(t.app, `Bearer ${first.accessToken}`)).statusCode).toBe(401);
    expect((await get(t.app, `Bearer ${second?.accessToken ?? ''}`)).statusCode).toBe(401);
    expect((await get(t.app, `Bearer ${unrelated.accessToken}`)).statusCode).toBe(200);
  });

  it('answers the revoke of an unknown token with 400 invalid_token', async () => {
    t = await buildAuthApp(keys);
    const res = await t.app.inject({ method: 'POST', url: '/services/oauth2/revoke', ...form({ token: 'unknown' }) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_token', error_description: 'invalid token' });
  });

  it('expires sessions after sessionTtlMs, so clients’ re-auth paths can be tested', async () => {
    let now = 1_700_000_000_000;
    t = await buildAuthApp(keys, { tokenStore: { sessionTtlMs: 1000, now: () => now } });
    const { accessToken, session } = t.tokens.issue(subject, 'client_credentials');
    expect(session.expiresAt).toBe(now + 1000);
    now += 999;
    expect((await get(t.app, `Bearer ${accessToken}`)).statusCode).toBe(200);
    now += 1;
    const res = await get(t.app, `Bearer ${accessToken}`);
    expect(res.statusCode).toBe(401);
    expect(res.body).toBe(INVALID_SESSION);
  });

  it('accepts a fixed token registered by the caller', async () => {
    t = await buildAuthApp(keys);
    t.app.tokenStore.issueFixed('known-test-token', subject);
    expect((await get(t.app, 'Bearer known-test-token')).json()).toEqual({ username: INTEGRATION_USERNAME });
    expect(t.seen[0]?.flow).toBe('fixed');
    expect(() => t?.tokens.issueFixed('has space', subject)).toThrow(TypeError);
  });

  it('lets the app apply requireSession itself when protectedPrefixes is empty', async () => {
    const app = Fastify();
    const tokens = new TokenStore();
    await app.register(authPlugin, {
      orgId: ORG_ID, userId: USER_ID, username: INTEGRATION_USERNAME, instanceUrl: INSTANCE_URL,
      tokens, clients: [SECRET_CLIENT], protectedPrefixes: [],
    });
    app.get('/services/data/v64.0/open', async () => ({ open: true }));
    await app.register(async (api) => {
      api.addHook('onRequest', api.requireSession);
      api.get('/services/data/v64.0/closed', async (request) => ({ user: request.session?.username }));
    });
    const { accessToken } = tokens.issue(subject, 'client_credentials');
    expect((await app.inject('/services/data/v64.0/open')).json()).toEqual({ open: true });
    expect((await app.inject('/services/data/v64.0/closed')).statusCode).toBe(401);
    const ok = await app.inject({ url: '/services/data/v64.0/closed', headers: { authorization: `Bearer ${accessToken}` } });
    expect(ok.json()).toEqual({ user: INTEGRATION_USERNAME });
    await app.close();
  });
});

describe('identity endpoints', () => {
  it('serves userinfo for the bearer’s user', async () => {
    t = await buildAuthApp(keys);
    const { accessToken } = t.tokens.issue(subject, 'client_credentials');
    const res = await get(t.app, `Bearer ${accessToken}`, '/services/oauth2/userinfo');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      sub: `${INSTANCE_URL}/id/${ORG_ID}/${USER_ID}`,
      user_id: USER_ID,
      organization_id: ORG_ID,
      preferred_username: INTEGRATION_USERNAME,
      name: 'integration',
      email: INTEGRATION_USERNAME,
    });
  });

  it('serves the identity URL, accepting 15-character ids', async () => {
    t = await buildAuthApp(keys);
    const { accessToken } = t.tokens.issue(subject, 'client_credentials');
    const res = await get(t.app, `Bearer ${accessToken}`, `/id/${ORG_ID.slice(0, 15)}/${USER_ID.slice(0, 15)}`);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ urls: Record<string, string> }>();
    expect(body).toMatchObject({ id: `${INSTANCE_URL}/id/${ORG_ID}/${USER_ID}`, user_id: USER_ID, organization_id: ORG_ID, username: INTEGRATION_USERNAME });
    expect(body.urls.rest).toBe(`${INSTANCE_URL}/services/data/v{version}/`);
  });

  it('answers bad identity requests with Salesforce’s plain-text 403/404 codes', async () => {
    t = await buildAuthApp(keys);
    const { accessToken } = t.tokens.issue(subject, 'client_credentials');
    const url = `/id/${ORG_ID}/${USER_ID}`;
    const cases: Array<[string | undefined, string, number, string]> = [
      [undefined, url, 403, 'Missing_OAuth_Token'],
      ['Bearer nope', url, 403, 'Bad_OAuth_Token'],
      [`Bearer ${accessToken}`, `/id/${makeId('00D', 2)}/${USER_ID}`, 403, 'Wrong_Org'],
      [`Bearer ${accessToken}`, `/id/${ORG_ID}/${makeId('005', 77)}`, 404, 'Bad_Id'],
    ];
    for (const [authorization, path, status, body] of cases) {
      const res = await get(t.app, authorization, path);
      expect([res.statusCode, res.body]).toEqual([status, body]);
    }
  });
});

describe('instance URL', () => {
  it('reads a function instanceUrl per request, for a server whose port is known after listen()', async () => {
    let instanceUrl = 'http://127.0.0.1:0';
    t = await buildAuthApp(keys, { plugin: { instanceUrl: () => instanceUrl } });
    instanceUrl = 'http://127.0.0.1:6060/';
    const res = await t.app.inject({
      method: 'POST',
      url: '/services/oauth2/token',
      ...form({ grant_type: 'client_credentials', client_id: SECRET_CLIENT.clientId, client_secret: SECRET_CLIENT.clientSecret }),
    });
    expect(res.json()).toMatchObject({ instance_url: 'http://127.0.0.1:6060', id: `http://127.0.0.1:6060/id/${ORG_ID}/${USER_ID}` });
  });
});

describe('TokenStore', () => {
  it('refuses a non-positive session lifetime', () => {
    expect(() => new TokenStore({ sessionTtlMs: 0 })).toThrow(RangeError);
  });

  it('keeps refresh tokens valid after their access tokens expire', () => {
    let now = 0;
    const tokens = new TokenStore({ sessionTtlMs: 10, now: () => now });
    const issued = tokens.issue(subject, 'password', { withRefreshToken: true });
    now = 10;
    expect(tokens.verify(issued.accessToken)).toBeNull();
    const again = tokens.redeem(issued.refreshToken ?? '', SECRET_CLIENT.clientId);
    expect(again?.session).toMatchObject({ flow: 'refresh_token', issuedAt: 10, expiresAt: 20 });
    expect(tokens.verify(again?.accessToken ?? '')?.username).toBe(INTEGRATION_USERNAME);
    expect(tokens.size).toBe(1);
  });

  it('reports whether revoke knew the token', () => {
    const tokens = new TokenStore();
    const { accessToken } = tokens.issue(subject, 'client_credentials');
    expect(tokens.revoke(accessToken)).toBe(true);
    expect(tokens.revoke(accessToken)).toBe(false);
  });
});

describe('over a real socket', () => {
  it('logs in with a form POST and calls the API with the bearer token', async () => {
    t = await buildAuthApp(keys);
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const login = await fetch(`${base}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SECRET_CLIENT.clientId, client_secret: SECRET_CLIENT.clientSecret }),
    });
    expect(login.status).toBe(200);
    const { access_token: accessToken } = (await login.json()) as { access_token: string };
    const api = await fetch(`${base}${API_PATH}`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(api.status).toBe(200);
    expect(await api.json()).toEqual({ username: INTEGRATION_USERNAME });
    const denied = await fetch(`${base}${API_PATH}`);
    expect(denied.status).toBe(401);
    expect(await denied.text()).toBe(INVALID_SESSION);
  });
});
