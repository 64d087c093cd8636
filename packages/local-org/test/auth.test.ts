/**
 * POST /services/oauth2/token: every grant's success body and each documented failure, on a bare
 * Fastify app with the auth plugin (see test/utils/auth-app.ts).
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JWT_BEARER_GRANT } from '../src/auth/index.js';
import {
  API_PATH,
  buildAuthApp,
  CERT_CLIENT_ID,
  form,
  INSTANCE_URL,
  INTEGRATION_USERNAME,
  KEY_CLIENT_ID,
  ORG_ID,
  PASSWORD_USER,
  SECRET_CLIENT,
  TOKEN_USER,
  USER_ID,
} from './utils/auth-app.js';
import type { AuthTestApp } from './utils/auth-app.js';
import { createSigningKeyPair, expiresIn, signJwtAssertion } from './utils/auth-keys.js';
import type { SigningKeyPair } from './utils/auth-keys.js';

const TOKEN_URL = '/services/oauth2/token';
let keys: { cert: SigningKeyPair; key: SigningKeyPair; stranger: SigningKeyPair };
let t: AuthTestApp;

beforeAll(() => {
  keys = { cert: createSigningKeyPair(), key: createSigningKeyPair(), stranger: createSigningKeyPair() };
});

afterEach(async () => {
  await t.app.close();
});

async function token(fields: Record<string, string>, headers: Record<string, string> = {}) {
  const body = form(fields);
  return t.app.inject({ method: 'POST', url: TOKEN_URL, payload: body.payload, headers: { ...body.headers, ...headers } });
}

async function callApi(accessToken: string) {
  return t.app.inject({ method: 'GET', url: API_PATH, headers: { authorization: `Bearer ${accessToken}` } });
}

function jwt(overrides: Partial<{ iss: string; sub: string; aud: string; exp: number }> = {}, signer = keys.cert) {
  const claims = { iss: CERT_CLIENT_ID, sub: INTEGRATION_USERNAME, aud: 'https://login.salesforce.com', exp: expiresIn(180), ...overrides };
  return signJwtAssertion(claims, signer.privateKeyPem);
}

describe('client_credentials grant', () => {
  it('returns Salesforce’s token body with a session id shaped token that the API accepts', async () => {
    t = await buildAuthApp(keys);
    const before = Date.now();
    const res = await token({ grant_type: 'client_credentials', client_id: SECRET_CLIENT.clientId, client_secret: SECRET_CLIENT.clientSecret });
    expect(res.statusCode).toBe(200);
    const body = res.json<Record<string, string>>();
    expect(Object.keys(body)).toEqual(['access_token', 'signature', 'instance_url', 'id', 'token_type', 'issued_at']);
    expect(body.access_token).toMatch(new RegExp(`^${ORG_ID.slice(0, 15)}![0-9A-Za-z]{96}$`));
    expect(body.instance_url).toBe(INSTANCE_URL);
    expect(body.id).toBe(`${INSTANCE_URL}/id/${ORG_ID}/${USER_ID}`);
    expect(body.token_type).toBe('Bearer');
    expect(Number(body.issued_at)).toBeGreaterThanOrEqual(before);
    expect(Number(body.issued_at)).toBeLessThanOrEqual(Date.now());
    const expected = createHmac('sha256', SECRET_CLIENT.clientSecret).update(`${body.id}${body.issued_at}`).digest('base64');
    expect(body.signature).toBe(expected);

    const api = await callApi(body.access_token ?? '');
    expect(api.statusCode).toBe(200);
    expect(api.json()).toEqual({ username: INTEGRATION_USERNAME });
    expect(t.seen[0]).toMatchObject({ userId: USER_ID, orgId: ORG_ID, clientId: SECRET_CLIENT.clientId, flow: 'client_credentials' });
  });

  it('accepts the client credentials in an HTTP Basic header', async () => {
    t = await buildAuthApp(keys);
    const basic = Buffer.from(`${SECRET_CLIENT.clientId}:${SECRET_CLIENT.clientSecret}`).toString('base64');
    const res = await token({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ id: string }>().id).toBe(`${INSTANCE_URL}/id/${ORG_ID}/${USER_ID}`);
  });

  it('rejects a wrong client secret with invalid_client', async () => {
    t = await buildAuthApp(keys);
    const res = await token({ grant_type: 'client_credentials', client_id: SECRET_CLIENT.clientId, client_secret: 'nope' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
  });

  it('rejects an unknown client id with invalid_client_id', async () => {
    t = await buildAuthApp(keys);
    const res = await token({ grant_type: 'client_credentials', client_id: 'who', client_secret: SECRET_CLIENT.clientSecret });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
  });

  it('rejects a client that has no secret (a JWT-only app) with invalid_client', async () => {
    t = await buildAuthApp(keys);
    const res = await token({ grant_type: 'client_credentials', client_id: CERT_CLIENT_ID, client_secret: '' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
  });
});

describe('password grant', () => {
  const login = (username: string, password: string, secret = SECRET_CLIENT.clientSecret) =>
    token({ grant_type: 'password', client_id: SECRET_CLIENT.clientId, client_secret: secret, username, password });

  it('logs a user in case-insensitively and returns no refresh token', async () => {
    t = await buildAuthApp(keys);
    const res = await login(PASSWORD_USER.username.toUpperCase(), PASSWORD_USER.password);
    expect(res.statusCode).toBe(200);
    const body = res.json<Record<string, string>>();
    expect(body.refresh_token).toBeUndefined();
    expect(body.id).toMatch(new RegExp(`^${INSTANCE_URL}/id/${ORG_ID}/005[0-9A-Za-z]{15}$`));
    expect((await callApi(body.access_token ?? '')).json()).toEqual({ username: PASSWORD_USER.username });
    expect(t.seen[0]?.flow).toBe('password');
  });

  it('needs the security token appended to the password when the user has one', async () => {
    t = await buildAuthApp(keys);
    const withToken = await login(TOKEN_USER.username, TOKEN_USER.password + TOKEN_USER.securityToken);
    expect(withToken.statusCode).toBe(200);
    const without = await login(TOKEN_USER.username, TOKEN_USER.password);
    expect(without.statusCode).toBe(400);
    expect(without.json()).toEqual({ error: 'invalid_grant', error_description: 'authentication failure' });
  });

  it('rejects a wrong password and an unknown user with invalid_grant authentication failure', async () => {
    t = await buildAuthApp(keys);
    for (const res of [await login(PASSWORD_USER.username, 'wrong'), await login('nobody@ecars.local', 'x')]) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: 'invalid_grant', error_description: 'authentication failure' });
    }
  });

  it('rejects a wrong client secret before looking at the user', async () => {
    t = await buildAuthApp(keys);
    const res = await login(PASSWORD_USER.username, PASSWORD_USER.password, 'bad');
    expect(res.json()).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
  });
});

describe('refresh_token grant', () => {
  const subject = { userId: USER_ID, username: INTEGRATION_USERNAME, orgId: ORG_ID, clientId: SECRET_CLIENT.clientId };

  it('issues a new access token and no new refresh token', async () => {
    t = await buildAuthApp(keys);
    const { refreshToken } = t.tokens.issue(subject, 'password', { withRefreshToken: true });
    expect(refreshToken).toMatch(/^5Aep861[0-9A-Za-z]{80}$/);
    const res = await token({ grant_type: 'refresh_token', client_id: SECRET_CLIENT.clientId, refresh_token: refreshToken ?? '' });
    expect(res.statusCode).toBe(200);
    const body = res.json<Record<string, string>>();
    expect(body.refresh_token).toBeUndefined();
    expect((await callApi(body.access_token ?? '')).statusCode).toBe(200);
    expect(t.seen[0]?.flow).toBe('refresh_token');
  });

  it('rejects a revoked refresh token with expired access/refresh token', async () => {
    t = await buildAuthApp(keys);
    const { refreshToken = '' } = t.tokens.issue(subject, 'password', { withRefreshToken: true });
    const revoke = await t.app.inject({ method: 'POST', url: '/services/oauth2/revoke', ...form({ token: refreshToken }) });
    expect(revoke.statusCode).toBe(200);
    const res = await token({ grant_type: 'refresh_token', client_id: SECRET_CLIENT.clientId, refresh_token: refreshToken });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
  });

  it('rejects a refresh token presented by another client', async () => {
    t = await buildAuthApp(keys);
    const { refreshToken = '' } = t.tokens.issue({ ...subject, clientId: CERT_CLIENT_ID }, 'password', { withRefreshToken: true });
    const res = await token({ grant_type: 'refresh_token', client_id: SECRET_CLIENT.clientId, refresh_token: refreshToken });
    expect(res.json()).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
  });

  it('checks the client secret when one is sent', async () => {
    t = await buildAuthApp(keys);
    const { refreshToken = '' } = t.tokens.issue(subject, 'password', { withRefreshToken: true });
    const res = await token({ grant_type: 'refresh_token', client_id: SECRET_CLIENT.clientId, client_secret: 'bad', refresh_token: refreshToken });
    expect(res.json()).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
  });
});

describe('JWT bearer grant', () => {
  const bearer = (assertion: string) => token({ grant_type: JWT_BEARER_GRANT, assertion });

  it('accepts an assertion verified against the client’s X.509 certificate', async () => {
    t = await buildAuthApp(keys);
    const res = await bearer(jwt({ sub: PASSWORD_USER.username }));
    expect(res.statusCode).toBe(200);
    const body = res.json<Record<string, string>>();
    expect(body.refresh_token).toBeUndefined();
    expect((await callApi(body.access_token ?? '')).json()).toEqual({ username: PASSWORD_USER.username });
    expect(t.seen[0]).toMatchObject({ flow: 'jwt-bearer', clientId: CERT_CLIENT_ID });
  });

  it('accepts an assertion verified against a public key, for the test audience and the instance URL', async () => {
    t = await buildAuthApp(keys);
    for (const aud of ['https://test.salesforce.com', INSTANCE_URL, `${INSTANCE_URL}/`]) {
      const res = await bearer(jwt({ iss: KEY_CLIENT_ID, aud }, keys.key));
      expect(res.statusCode).toBe(200);
    }
  });

  it('accepts an assertion that expired less than the allowed clock skew ago', async () => {
    t = await buildAuthApp(keys);
    expect((await bearer(jwt({ exp: expiresIn(-60) }))).statusCode).toBe(200);
  });

  it('rejects an expired assertion with expired authorization code', async () => {
    t = await buildAuthApp(keys);
    const res = await bearer(jwt({ exp: expiresIn(-600) }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_grant', error_description: 'expired authorization code' });
  });

  it('rejects a wrong audience with audience is invalid', async () => {
    t = await buildAuthApp(keys);
    const res = await bearer(jwt({ aud: 'https://evil.example.com' }));
    expect(res.json()).toEqual({ error: 'invalid_grant', error_description: 'audience is invalid' });
  });

  it('honours a configured audience list', async () => {
    t = await buildAuthApp(keys, { plugin: { audiences: ['https://ecars.my.salesforce.com'] } });
    expect((await bearer(jwt({ aud: 'https://ecars.my.salesforce.com' }))).statusCode).toBe(200);
    expect((await bearer(jwt())).json()).toEqual({ error: 'invalid_grant', error_description: 'audience is invalid' });
  });

  it('rejects a signature made with another key with invalid assertion', async () => {
    t = await buildAuthApp(keys);
    const res = await bearer(jwt({}, keys.stranger));
    expect(res.json()).toEqual({ error: 'invalid_grant', error_description: 'invalid assertion' });
  });

  it('rejects an algorithm other than RS256, including none', async () => {
    t = await buildAuthApp(keys);
    const claims = { iss: CERT_CLIENT_ID, sub: INTEGRATION_USERNAME, aud: 'https://login.salesforce.com', exp: expiresIn(180) };
    const hs256 = signJwtAssertion(claims, keys.cert.privateKeyPem, { alg: 'HS256' });
    const none = signJwtAssertion(claims, keys.cert.privateKeyPem, { alg: 'none' }).replace(/\.[^.]+$/, '.');
    for (const assertion of [hs256, none]) {
      expect((await bearer(assertion)).json()).toEqual({ error: 'invalid_grant', error_description: 'invalid assertion' });
    }
  });

  it('rejects malformed assertions with invalid assertion', async () => {
    t = await buildAuthApp(keys);
    const good = jwt();
    const [h, , s] = good.split('.');
    const notJson = `${h}.${Buffer.from('not json').toString('base64url')}.${s}`;
    for (const assertion of ['', 'abc', 'a.b', `${good}.extra`, notJson]) {
      expect((await bearer(assertion)).json()).toEqual({ error: 'invalid_grant', error_description: 'invalid assertion' });
    }
  });

  it('rejects an unknown issuer with invalid_client_id', async () => {
    t = await buildAuthApp(keys);
    const res = await bearer(jwt({ iss: '3MVG9unknown' }));
    expect(res.json()).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
  });

  it('rejects an unknown subject with user hasn’t approved this consumer', async () => {
    t = await buildAuthApp(keys);
    const res = await bearer(jwt({ sub: 'ghost@ecars.local' }));
    expect(res.json()).toEqual({ error: 'invalid_grant', error_description: "user hasn't approved this consumer" });
  });
});

describe('token endpoint', () => {
  it('rejects an unsupported or missing grant type with unsupported_grant_type', async () => {
    t = await buildAuthApp(keys);
    const expected = { error: 'unsupported_grant_type', error_description: 'grant type not supported' };
    expect((await token({ grant_type: 'authorization_code', code: 'x' })).json()).toEqual(expected);
    expect((await token({})).json()).toEqual(expected);
    const json = await t.app.inject({ method: 'POST', url: TOKEN_URL, payload: { grant_type: 'client_credentials' } });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toEqual(expected);
  });

  it('logs issued tokens and rejections without the token, secret or password', async () => {
    t = await buildAuthApp(keys);
    const ok = await token({ grant_type: 'client_credentials', client_id: SECRET_CLIENT.clientId, client_secret: SECRET_CLIENT.clientSecret });
    await token({ grant_type: 'password', client_id: SECRET_CLIENT.clientId, client_secret: SECRET_CLIENT.clientSecret, username: PASSWORD_USER.username, password: 'wrong-pass' });
    const text = t.logs.join('');
    expect(text).toContain('"grantType":"client_credentials"');
    expect(text).toContain('"error":"invalid_grant"');
    const accessToken = ok.json<{ access_token: string }>().access_token;
    for (const secret of [accessToken, SECRET_CLIENT.clientSecret, 'wrong-pass']) expect(text).not.toContain(secret);
  });
});
