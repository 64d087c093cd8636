/**
 * Every connection type against a local org over HTTP: AppLink context (through @heroku/applink's
 * parseRequest), serialized context, OAuth JWT bearer, client credentials, refresh token, the sf
 * CLI (a fake `sf` on PATH printing `sf org display --json`), and local-org; then session expiry:
 * one transparent renewal where the flow allows it, a clear error where it does not.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '@ecars/local-org';
import {
  SalesforceAuthError,
  fromAppLinkRequest,
  fromClientCredentials,
  fromJwtBearer,
  fromLocalOrg,
  fromRefreshToken,
  fromSerializedContext,
  fromSfCli,
  type SalesforceClient,
} from '../src/index.js';
import { TEST_APP, createKeys, startTestOrg, type TestKeys } from './utils/org.js';

let keys: TestKeys;
let org: LocalOrg;
let tmp: string;

beforeAll(async () => {
  keys = createKeys();
  org = await startTestOrg({ keys });
  tmp = mkdtempSync(join(tmpdir(), 'sf-client-cli-'));
});
afterAll(async () => {
  await org?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The user every connection of the local org acts as. */
async function whoAmI(client: SalesforceClient): Promise<string> {
  const [user] = await client.query<{ Username: string }>(`SELECT Username FROM User WHERE Id = '${client.userId}'`).toArray();
  return user?.Username ?? '';
}

/**
 * A fake `sf` that prints `sf org display --json` for the org with the token in `token.txt`, and
 * appends its arguments and the three SF_* variables to `calls.log`.
 */
function fakeSf(dir: string, instanceUrl: string): void {
  writeFileSync(
    join(dir, 'sf'),
    `#!/bin/sh
echo "$SF_DISABLE_AUTOUPDATE $SF_DISABLE_TELEMETRY $SF_SKIP_NEW_VERSION_CHECK $*" >> "${join(dir, 'calls.log')}"
printf '{"status":0,"result":{"id":"00D8d0000000001EAA","apiVersion":"62.0","accessToken":"%s","instanceUrl":"${instanceUrl}","username":"integration@ecars.local-org","clientId":"PlatformCLI","connectedStatus":"Connected","alias":"dev"},"warnings":[]}\\n' "$(cat "${join(dir, 'token.txt')}")"
`,
  );
  chmodSync(join(dir, 'sf'), 0o755);
}

describe('connections', () => {
  it('reads an AppLink request with @heroku/applink and talks to its orgDomainUrl', async () => {
    const headers = { 'x-client-context': org.clientContext({ requestId: 'req-42', namespace: 'ecars' }), 'content-type': 'application/json' };
    const client = await fromAppLinkRequest(headers, { allowedOrigins: [org.instanceUrl] });
    expect(client.connection).toBe('applink');
    expect(client.instanceUrl).toBe(org.instanceUrl);
    expect([client.orgId, client.userId, client.username]).toEqual([org.orgId, org.userId, org.username]);
    expect(client.requestId).toBe('req-42');
    expect(client.namespace).toBe('ecars');
    expect(client.apiVersion).toBe(org.apiVersion);
    expect(client.canRenewSession).toBe(false);
    expect(await whoAmI(client)).toBe(org.username);
  });

  it('refuses a request without x-client-context, or with one lacking userContext, with a clear error', async () => {
    await expect(fromAppLinkRequest({})).rejects.toMatchObject({
      name: 'SalesforceAuthError',
      errorCode: 'AUTHENTICATION_FAILED',
      message: 'invalid or missing x-client-context header: Required x-client-context header not found',
    });
    const noUser = Buffer.from(JSON.stringify({ accessToken: 't', apiVersion: '64.0', orgDomainUrl: org.instanceUrl, orgId: org.orgId })).toString('base64');
    await expect(fromAppLinkRequest({ 'x-client-context': noUser })).rejects.toThrow(/UserContext not found/);
  });

  it('round-trips a client through serialize() and fromSerializedContext()', async () => {
    const source = await fromAppLinkRequest({ 'x-client-context': org.clientContext({ requestId: 'req-7' }) }, { allowedOrigins: [org.instanceUrl] });
    const context = source.serialize();
    expect(context).toEqual({
      instanceUrl: org.instanceUrl,
      accessToken: org.accessToken,
      apiVersion: org.apiVersion,
      orgId: org.orgId,
      userId: org.userId,
      username: org.username,
      requestId: 'req-7',
    });
    const client = await fromSerializedContext(JSON.parse(JSON.stringify(context)), { allowedOrigins: [org.instanceUrl] });
    expect(client.connection).toBe('serialized-context');
    expect(await whoAmI(client)).toBe(org.username);
    await expect(fromSerializedContext({ ...context, accessToken: '' })).rejects.toThrow('serialized context lacks accessToken');
  });

  it('logs in with the OAuth 2.0 JWT bearer flow (RS256 assertion signed with the app key)', async () => {
    const client = await fromJwtBearer({ loginUrl: org.instanceUrl, clientId: TEST_APP.clientId, username: org.username, privateKey: keys.privateKeyPem });
    expect(client.connection).toBe('jwt-bearer');
    expect([client.orgId, client.userId, client.username]).toEqual([org.orgId, org.userId, org.username]);
    expect(client.serialize().accessToken).not.toBe(org.accessToken);
    expect(await whoAmI(client)).toBe(org.username);
  });

  it('surfaces the OAuth error of a refused JWT assertion', async () => {
    const other = createKeys();
    await expect(
      fromJwtBearer({ loginUrl: org.instanceUrl, clientId: TEST_APP.clientId, username: org.username, privateKey: other.privateKeyPem }),
    ).rejects.toMatchObject({ name: 'SalesforceAuthError', errorCode: 'invalid_grant', message: expect.stringContaining('invalid assertion') });
  });

  it('logs in with the client credentials flow and reads the run-as user from userinfo', async () => {
    const client = await fromClientCredentials({ loginUrl: org.instanceUrl, clientId: TEST_APP.clientId, clientSecret: TEST_APP.clientSecret });
    expect(client.connection).toBe('client-credentials');
    expect(client.username).toBe(org.username);
    expect(await whoAmI(client)).toBe(org.username);
    await expect(fromClientCredentials({ loginUrl: org.instanceUrl, clientId: TEST_APP.clientId, clientSecret: 'wrong' })).rejects.toMatchObject({
      errorCode: 'invalid_client',
    });
  });

  it('exchanges a refresh token for a session', async () => {
    const { refreshToken = '' } = org.issueToken({ clientId: TEST_APP.clientId, withRefreshToken: true });
    const client = await fromRefreshToken({ loginUrl: org.instanceUrl, clientId: TEST_APP.clientId, clientSecret: TEST_APP.clientSecret, refreshToken });
    expect(client.connection).toBe('refresh-token');
    expect(client.userId).toBe(org.userId);
    expect(await whoAmI(client)).toBe(org.username);
  });

  it('uses the org the sf CLI shows, running sf with auto-update, telemetry and version checks off', async () => {
    const dir = mkdtempSync(join(tmp, 'display-'));
    fakeSf(dir, org.instanceUrl);
    writeFileSync(join(dir, 'token.txt'), org.issueToken().accessToken);
    const client = await fromSfCli('dev', { env: { PATH: `${dir}:${process.env['PATH'] ?? ''}` } });
    expect(client.connection).toBe('sf-cli');
    expect([client.instanceUrl, client.orgId, client.userId, client.apiVersion]).toEqual([org.instanceUrl, org.orgId, org.userId, '62.0']);
    expect(await whoAmI(client)).toBe(org.username);
    expect(readFileSync(join(dir, 'calls.log'), 'utf8')).toBe('true true true org display --target-org dev --json\n');
  });

  it('reports a failing sf org display with its message', async () => {
    const dir = mkdtempSync(join(tmp, 'failing-'));
    writeFileSync(join(dir, 'sf'), `#!/bin/sh\necho '{"status":1,"name":"NamedOrgNotFoundError","message":"No authorization information found for nope."}'\nexit 1\n`);
    chmodSync(join(dir, 'sf'), 0o755);
    await expect(fromSfCli('nope', { command: join(dir, 'sf') })).rejects.toMatchObject({
      errorCode: 'AUTHENTICATION_FAILED',
      message: `\`${join(dir, 'sf')} org display\` failed for nope: No authorization information found for nope.`,
    });
  });

  it('connects to a local org with its own token', async () => {
    const client = await fromLocalOrg(org);
    expect(client.connection).toBe('local-org');
    expect(await whoAmI(client)).toBe(org.username);
  });
});

describe('session expiry', () => {
  const TTL_MS = 1500;
  let expiring: LocalOrg;
  beforeAll(async () => {
    expiring = await startTestOrg({ keys, sessionTtlMs: TTL_MS });
  });
  afterAll(async () => {
    await expiring?.stop();
  });

  it('renews once, transparently, where the flow allows it, and fails clearly where it does not', async () => {
    const dir = mkdtempSync(join(tmp, 'expiry-'));
    fakeSf(dir, expiring.instanceUrl);
    writeFileSync(join(dir, 'token.txt'), expiring.issueToken().accessToken);
    const { refreshToken = '' } = expiring.issueToken({ clientId: TEST_APP.clientId, withRefreshToken: true });
    const renewable: SalesforceClient[] = [
      await fromJwtBearer({ loginUrl: expiring.instanceUrl, clientId: TEST_APP.clientId, username: expiring.username, privateKey: keys.privateKeyPem }),
      await fromClientCredentials({ loginUrl: expiring.instanceUrl, ...TEST_APP }),
      await fromRefreshToken({ loginUrl: expiring.instanceUrl, ...TEST_APP, refreshToken }),
      await fromSfCli('dev', { env: { PATH: `${dir}:${process.env['PATH'] ?? ''}` } }),
      await fromLocalOrg(expiring, { renewWith: TEST_APP }),
    ];
    const fixed: SalesforceClient[] = [
      await fromAppLinkRequest({ 'x-client-context': expiring.clientContext() }, { allowedOrigins: [expiring.instanceUrl] }),
      await fromSerializedContext(
        { ...(await fromAppLinkRequest({ 'x-client-context': expiring.clientContext() }, { allowedOrigins: [expiring.instanceUrl] })).serialize() },
        { allowedOrigins: [expiring.instanceUrl] },
      ),
      await fromLocalOrg(expiring),
    ];
    for (const client of [...renewable, ...fixed]) expect(await whoAmI(client)).toBe(expiring.username);

    await sleep(TTL_MS + 200);
    // What `sf org display` prints after the CLI refreshed its token.
    writeFileSync(join(dir, 'token.txt'), expiring.issueToken().accessToken);

    for (const client of renewable) {
      // Concurrent calls that all meet the expired session share one renewal.
      const users = await Promise.all([whoAmI(client), whoAmI(client), whoAmI(client)]);
      expect({ connection: client.connection, users, renewals: client.stats.renewals }).toEqual({
        connection: client.connection,
        users: [expiring.username, expiring.username, expiring.username],
        renewals: 1,
      });
    }
    expect(readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n')).toHaveLength(2);

    for (const client of fixed) {
      const error = await whoAmI(client).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SalesforceAuthError);
      expect(error).toMatchObject({
        errorCode: 'SESSION_EXPIRED',
        message: expect.stringContaining(`a ${client.connection} connection cannot re-authenticate`),
      });
    }
  });
});
