/**
 * A forged context cannot make the client send its token to another host: the org URL of an
 * AppLink or serialized context must be an https Salesforce domain or an allowed origin, checked
 * before any request (a listener on loopback counts the connections that reach it: zero).
 */
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientErrorCode, fromAppLinkRequest, fromSerializedContext, orgUrlRefusal, SalesforceAuthError } from '../src/index.js';

let trap: Server;
let trapUrl: string;
let connections = 0;
beforeAll(async () => {
  trap = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  trap.listen(0, '127.0.0.1');
  await once(trap, 'listening');
  trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
});
afterAll(async () => {
  trap.close();
  await once(trap, 'close');
});

function context(orgDomainUrl: string): string {
  return Buffer.from(
    JSON.stringify({
      accessToken: '00D000000000001!secret',
      apiVersion: '64.0',
      requestId: 'r1',
      namespace: '',
      orgId: '00D000000000001AAA',
      orgDomainUrl,
      userContext: { userId: '005000000000001AAA', username: 'ada@example.com' },
    }),
  ).toString('base64');
}

describe('org URL policy', () => {
  it.each([
    ['https://acme.my.salesforce.com', null],
    ['https://acme--uat.sandbox.my.salesforce.com', null],
    ['https://velocity-ability-1234-dev-ed.scratch.my.salesforce.com', null],
    ['https://acme.lightning.force.com', null],
    ['https://na1.salesforce.com:443', null],
    ['http://acme.my.salesforce.com', 'is not https'],
    ['https://salesforce.com.evil.example', 'is not a Salesforce domain'],
    ['https://evilsalesforce.com', 'is not a Salesforce domain'],
    ['https://user:pw@acme.my.salesforce.com', 'carries no credentials'],
    ['http://127.0.0.1:6565', 'is not https'],
    ['not a url', 'is not a URL'],
  ])('%s → %s', (url, reason) => {
    const refusal = orgUrlRefusal(url);
    if (reason === null) expect(refusal).toBeNull();
    else expect(refusal).toContain(reason);
  });

  it('accepts an explicitly allowed origin, exactly (scheme, host and port)', () => {
    expect(orgUrlRefusal('http://127.0.0.1:6565/services', ['http://127.0.0.1:6565'])).toBeNull();
    expect(orgUrlRefusal('http://127.0.0.1:6566', ['http://127.0.0.1:6565'])).toContain('not an allowed origin');
    expect(orgUrlRefusal('https://127.0.0.1:6565', ['http://127.0.0.1:6565'])).toContain('not a Salesforce domain');
  });

  it('refuses a forged AppLink or serialized context before a request carries its token anywhere', async () => {
    const refused = { name: 'SalesforceAuthError', errorCode: ClientErrorCode.ORG_URL_NOT_ALLOWED };
    await expect(fromAppLinkRequest({ 'x-client-context': context(trapUrl) })).rejects.toMatchObject(refused);
    await expect(
      fromSerializedContext({ instanceUrl: trapUrl, accessToken: 'secret', apiVersion: '64.0', orgId: '00D000000000001AAA', userId: '005000000000001AAA', username: 'a' }),
    ).rejects.toBeInstanceOf(SalesforceAuthError);
    // Allowed explicitly, the same context does reach the host: the trap counts, so zero above means something.
    const allowed = await fromAppLinkRequest({ 'x-client-context': context(trapUrl) }, { allowedOrigins: [trapUrl], retry: { maxAttempts: 1 } });
    await expect(allowed.limits()).rejects.toThrow();
    expect(connections).toBe(1);
  });
});

describe('a host that is not Salesforce', () => {
  it('fails with a readable error naming the request and what came back, never just "[]"', async () => {
    const server = createHttpServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('[]');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const client = await fromSerializedContext(
        { instanceUrl: url, accessToken: 'secret', apiVersion: '64.0', orgId: '00D000000000001AAA', userId: '005000000000001AAA', username: 'a' },
        { allowedOrigins: [url], retry: { maxAttempts: 1 } },
      );
      const error = await client.limits().then(
        () => undefined,
        (e: unknown) => e as Error & { errorCode: string },
      );
      expect(error?.errorCode).toBe('HTTP_404');
      expect(error?.message).toBe('GET /services/data/v64.0/limits answered HTTP 404 without a Salesforce error (application/json: "[]")');
    } finally {
      server.close();
    }
  });
});
