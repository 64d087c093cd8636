/**
 * The org's OAuth 2.0 endpoints end to end: the unmodified jsforce 3 logs in with each flow the
 * project uses (username-password, client credentials, JWT bearer, refresh token) over real HTTP,
 * then queries with the token it got; revoked and expired sessions answer INVALID_SESSION_ID and
 * bad credentials the token endpoint's OAuth error bodies.
 */
import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../src/index.js';
import { createSigningKeyPair, expiresIn, signJwtAssertion } from './utils/auth-keys.js';
import type { SigningKeyPair } from './utils/auth-keys.js';
import { startTestOrg } from './utils/org-fixture.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const SECRET_APP = { clientId: 'e2e-secret-app', clientSecret: 'e2e-secret' };
const JWT_APP_ID = 'e2e-jwt-app';
const USER = { username: 'dana.scully@ecars.example', password: 'trust-no1', securityToken: 'XFILES' };
/** Short enough for the expiry test to wait it out, used only by the second org. */
const SESSION_TTL_MS = 2000;

let keys: SigningKeyPair;
let org: LocalOrg;
/** An org whose sessions expire after SESSION_TTL_MS, for the transparent refresh. */
let shortOrg: LocalOrg;

beforeAll(async () => {
  keys = createSigningKeyPair('e2e jwt app');
  const clients = [SECRET_APP, { clientId: JWT_APP_ID, certificatePem: keys.certificatePem }];
  [org, shortOrg] = await Promise.all([
    startTestOrg({ seed: 'demo', clients, users: [USER] }),
    startTestOrg({ clients, users: [USER], sessionTtlMs: SESSION_TTL_MS }),
  ]);
});
afterAll(async () => {
  await Promise.all([org?.stop(), shortOrg?.stop()]);
});

/** A connection that logs in at the org, with the secret app's credentials. */
function oauthConnection(target: LocalOrg, clientSecret = SECRET_APP.clientSecret): jsforce.Connection {
  return new jsforce.Connection({
    loginUrl: target.instanceUrl,
    version: target.apiVersion,
    oauth2: { clientId: SECRET_APP.clientId, clientSecret, loginUrl: target.instanceUrl },
  });
}

/** A connection that only knows `accessToken` (no way to refresh it). */
function tokenConnection(target: LocalOrg, accessToken: string): jsforce.Connection {
  return new jsforce.Connection({ instanceUrl: target.instanceUrl, accessToken, version: target.apiVersion });
}

const DEMO_ACCOUNTS = 'SELECT Name FROM Account WHERE Region__c = \'EMEA\'';

function assertion(claims: Partial<{ iss: string; sub: string; aud: string; exp: number }> = {}, signer = keys): string {
  return signJwtAssertion(
    { iss: JWT_APP_ID, sub: org.username, aud: 'https://login.salesforce.com', exp: expiresIn(180), ...claims },
    signer.privateKeyPem,
  );
}

describe('username-password flow', () => {
  it('logs in with password + security token and queries with the session it got', async () => {
    const conn = oauthConnection(org);
    const info = await conn.login(USER.username, USER.password + USER.securityToken);
    expect(info.organizationId).toBe(org.orgId);
    expect(info.id).toMatch(/^005\w{15}$/);
    expect(info.id).not.toBe(org.userId);
    expect(conn.instanceUrl).toBe(org.instanceUrl);
    expect(conn.accessToken).toMatch(new RegExp(`^${org.orgId.slice(0, 15)}![0-9A-Za-z]{96}$`));
    const result = await conn.query<{ Name: string }>(DEMO_ACCOUNTS);
    expect(result.records.map((r) => r.Name)).toEqual(['Rhein Mobility GmbH']);
    const identity = await conn.identity();
    expect(identity).toMatchObject({ username: USER.username, organization_id: org.orgId, user_id: info.id });
  });

  it('answers a wrong secret with invalid_client and a wrong password with invalid_grant', async () => {
    await expect(oauthConnection(org, 'not-the-secret').login(USER.username, USER.password + USER.securityToken)).rejects.toMatchObject({
      name: 'invalid_client',
      message: 'invalid client credentials',
    });
    // Without the security token the password alone is wrong for this user.
    await expect(oauthConnection(org).login(USER.username, USER.password)).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'authentication failure',
    });
  });
});

describe('client credentials flow', () => {
  it('issues a token for the integration user through jsforce authorize, and the token queries', async () => {
    const conn = oauthConnection(org);
    const info = await conn.authorize({ grant_type: 'client_credentials' });
    expect(info).toMatchObject({ id: org.userId, organizationId: org.orgId, url: `${org.instanceUrl}/id/${org.orgId}/${org.userId}` });
    expect(conn.refreshToken).toBeFalsy();
    const result = await conn.query<{ Name: string }>(DEMO_ACCOUNTS);
    expect(result.totalSize).toBe(1);
  });

  it('answers a raw form POST with Salesforce’s token body, and a wrong secret with the OAuth error body', async () => {
    const post = (fields: Record<string, string>) =>
      fetch(`${org.instanceUrl}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    const ok = await post({ grant_type: 'client_credentials', client_id: SECRET_APP.clientId, client_secret: SECRET_APP.clientSecret });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, string>;
    expect(Object.keys(body)).toEqual(['access_token', 'signature', 'instance_url', 'id', 'token_type', 'issued_at']);
    expect(body).toMatchObject({ instance_url: org.instanceUrl, token_type: 'Bearer', id: `${org.instanceUrl}/id/${org.orgId}/${org.userId}` });
    const count = await tokenConnection(org, body['access_token']!).query('SELECT COUNT() FROM Account');
    expect(count.totalSize).toBe(5);

    const bad = await post({ grant_type: 'client_credentials', client_id: SECRET_APP.clientId, client_secret: 'nope' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
    const unknown = await post({ grant_type: 'client_credentials', client_id: 'who', client_secret: 'nope' });
    expect(await unknown.json()).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
  });
});

describe('JWT bearer flow', () => {
  const jwtConnection = (target: LocalOrg) =>
    new jsforce.Connection({ loginUrl: target.instanceUrl, version: target.apiVersion, oauth2: { clientId: JWT_APP_ID, loginUrl: target.instanceUrl } });

  it('exchanges an assertion for login.salesforce.com, and one for the instance URL, and queries', async () => {
    for (const aud of ['https://login.salesforce.com', org.instanceUrl]) {
      const conn = jwtConnection(org);
      const info = await conn.authorize({ grant_type: JWT_BEARER, assertion: assertion({ aud }) });
      expect(info).toMatchObject({ id: org.userId, organizationId: org.orgId });
      expect(conn.instanceUrl).toBe(org.instanceUrl);
      const result = await conn.query<{ Name: string }>(DEMO_ACCOUNTS);
      expect(result.records[0]?.Name).toBe('Rhein Mobility GmbH');
    }
  });

  it('logs in a configured user named by sub', async () => {
    const conn = jwtConnection(org);
    const info = await conn.authorize({ grant_type: JWT_BEARER, assertion: assertion({ sub: USER.username.toUpperCase() }) });
    expect((await conn.identity()).username).toBe(USER.username);
    expect(info.id).not.toBe(org.userId);
  });

  it('answers a wrong audience, an expired assertion, a foreign key and an unknown user with the OAuth errors', async () => {
    const attempt = (jwt: string) => jwtConnection(org).authorize({ grant_type: JWT_BEARER, assertion: jwt });
    await expect(attempt(assertion({ aud: 'https://evil.example.com' }))).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'audience is invalid',
    });
    // Past exp by more than the 3-minute clock skew Salesforce allows.
    await expect(attempt(assertion({ exp: expiresIn(-600) }))).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'expired authorization code',
    });
    await expect(attempt(assertion({}, createSigningKeyPair('stranger')))).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'invalid assertion',
    });
    await expect(attempt(assertion({ sub: 'nobody@ecars.example' }))).rejects.toMatchObject({
      name: 'invalid_grant',
      message: "user hasn't approved this consumer",
    });
    await expect(attempt(assertion({ iss: 'unknown-app' }))).rejects.toMatchObject({
      name: 'invalid_client_id',
      message: 'client identifier invalid',
    });
  });
});

describe('refresh token flow', () => {
  it('redeems a refresh token through jsforce’s oauth2.refreshToken for a token that queries', async () => {
    const { refreshToken } = org.issueToken({ clientId: SECRET_APP.clientId, withRefreshToken: true });
    expect(refreshToken).toMatch(/^5Aep861[0-9A-Za-z]{80}$/);
    const conn = oauthConnection(org);
    const res = await conn.oauth2.refreshToken(refreshToken!);
    expect(res.refresh_token).toBeUndefined();
    expect(res.instance_url).toBe(org.instanceUrl);
    const result = await tokenConnection(org, res.access_token).query('SELECT COUNT() FROM Account');
    expect(result.totalSize).toBe(5);
  });

  it('refreshes an expired session transparently and retries the call once', async () => {
    const { accessToken, refreshToken } = shortOrg.issueToken({ clientId: SECRET_APP.clientId, withRefreshToken: true });
    const conn = new jsforce.Connection({
      instanceUrl: shortOrg.instanceUrl,
      version: shortOrg.apiVersion,
      accessToken,
      refreshToken: refreshToken!,
      oauth2: { ...SECRET_APP, loginUrl: shortOrg.instanceUrl },
    });
    const refreshed: string[] = [];
    conn.on('refresh', (token: string) => refreshed.push(token));
    await new Promise((resolve) => setTimeout(resolve, SESSION_TTL_MS + 50));
    // The old token is now refused as Salesforce refuses an expired session.
    await expect(tokenConnection(shortOrg, accessToken).query('SELECT COUNT() FROM User')).rejects.toMatchObject({
      errorCode: 'INVALID_SESSION_ID',
    });
    const usedBefore = (shortOrg.stats()['api'] as { byEndpoint: Record<string, number> }).byEndpoint['GET /query'] ?? 0;
    const result = await conn.query('SELECT COUNT() FROM User');
    expect(result.totalSize).toBe(1);
    expect(refreshed).toHaveLength(1);
    expect(conn.accessToken).toBe(refreshed[0]);
    expect(conn.accessToken).not.toBe(accessToken);
    // The first try (401) and the retry with the new token; 401s are not counted as API calls.
    const usedAfter = (shortOrg.stats()['api'] as { byEndpoint: Record<string, number> }).byEndpoint['GET /query'] ?? 0;
    expect(usedAfter - usedBefore).toBe(1);
  });

  it('re-logs a password session in transparently when it expires', async () => {
    const conn = oauthConnection(shortOrg);
    await conn.login(USER.username, USER.password + USER.securityToken);
    const first = conn.accessToken;
    await new Promise((resolve) => setTimeout(resolve, SESSION_TTL_MS + 50));
    const result = await conn.query('SELECT COUNT() FROM User');
    expect(result.totalSize).toBe(1);
    expect(conn.accessToken).not.toBe(first);
  });
});

describe('revocation', () => {
  it('revokes an access token through jsforce logout; the next call gets INVALID_SESSION_ID', async () => {
    const conn = oauthConnection(org);
    await conn.authorize({ grant_type: 'client_credentials' });
    const token = conn.accessToken!;
    expect((await tokenConnection(org, token).query('SELECT COUNT() FROM Account')).totalSize).toBe(5);
    await conn.logout();
    const err = await tokenConnection(org, token).query('SELECT COUNT() FROM Account').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' });
    // A second revoke of the same token is an unknown token.
    await expect(conn.oauth2.revokeToken(token)).rejects.toThrow(/invalid_token/);
  });

  it('revokes a refresh token with every access token issued from it, and refuses to redeem it again', async () => {
    const { accessToken, refreshToken } = org.issueToken({ clientId: SECRET_APP.clientId, withRefreshToken: true });
    const conn = oauthConnection(org);
    const redeemed = await conn.oauth2.refreshToken(refreshToken!);
    await conn.oauth2.revokeToken(refreshToken!);
    for (const token of [accessToken, redeemed.access_token]) {
      await expect(tokenConnection(org, token).query('SELECT COUNT() FROM Account')).rejects.toMatchObject({
        errorCode: 'INVALID_SESSION_ID',
      });
    }
    await expect(conn.oauth2.refreshToken(refreshToken!)).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'expired access/refresh token',
    });
  });
});
