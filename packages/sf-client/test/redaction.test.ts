/**
 * The access token never reaches a log: the client and its context print redacted through JSON,
 * util.inspect, template strings and a pino-shaped logger; `redact()` with `REDACT_PATHS` covers
 * serialized contexts in job payloads and request headers; and the client's own log lines
 * (requests, retries, renewals) never carry it.
 */
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { format, inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '@ecars/local-org';
import { REDACTED, REDACT_PATHS, Secret, fromAppLinkRequest, fromLocalOrg, redact, type ClientLogger } from '../src/index.js';
import { TEST_APP, startTestOrg } from './utils/org.js';

let org: LocalOrg;
beforeAll(async () => {
  org = await startTestOrg({ sessionTtlMs: 60_000 });
});
afterAll(async () => {
  await org?.stop();
});

/** A logger that keeps every line as JSON text, as pino would write it. */
function captureLogger(): { logger: ClientLogger; lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (object: Record<string, unknown>, message: string) => {
    lines.push(JSON.stringify({ level, ...object, msg: message }));
  };
  return { logger: { debug: write('debug'), info: write('info'), warn: write('warn') }, lines };
}

describe('log redaction', () => {
  it('prints a Secret as [redacted] everywhere but reveal()', () => {
    const secret = new Secret('00Dxx!supersecret');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}');
    expect(inspect({ secret })).toBe('{ secret: Secret([redacted]) }');
    expect(`${secret}`).toBe(REDACTED);
    expect(format('%s %o', secret, secret)).not.toContain('supersecret');
    expect(secret.reveal()).toBe('00Dxx!supersecret');
  });

  it('never shows the token when the client itself is logged', async () => {
    const client = await fromAppLinkRequest({ 'x-client-context': org.clientContext() }, { allowedOrigins: [org.instanceUrl] });
    for (const text of [JSON.stringify(client), inspect(client, { depth: 10, showHidden: true }), format('%o %O %j', client, client, client), String(client)]) {
      expect(text).not.toContain(org.accessToken);
    }
    expect(JSON.parse(JSON.stringify(client))).toEqual({
      connection: 'applink',
      instanceUrl: org.instanceUrl,
      apiVersion: org.apiVersion,
      orgId: org.orgId,
      userId: org.userId,
      username: org.username,
      accessToken: REDACTED,
    });
  });

  it('redacts serialized contexts in job payloads and credentials in request headers', async () => {
    const client = await fromAppLinkRequest({ 'x-client-context': org.clientContext() }, { allowedOrigins: [org.instanceUrl] });
    const context = client.serialize();
    const logged = {
      job: { id: '42', data: { context, soqlWhereClause: "StageName = 'Prospecting'" } },
      req: { headers: { authorization: `Bearer ${org.accessToken}`, 'x-client-context': org.clientContext(), host: 'app' } },
      oauth: { clientId: TEST_APP.clientId, clientSecret: TEST_APP.clientSecret, refreshToken: '5Aep861abc' },
      context,
      client,
    };
    const text = JSON.stringify(redact(logged));
    expect(text).not.toContain(org.accessToken);
    expect(text).not.toContain(TEST_APP.clientSecret);
    expect(text).not.toContain(org.clientContext().slice(0, 40));
    expect(redact(logged)).toMatchObject({
      job: { id: '42', data: { context: { accessToken: REDACTED, orgId: org.orgId }, soqlWhereClause: "StageName = 'Prospecting'" } },
      req: { headers: { authorization: REDACTED, 'x-client-context': REDACTED, host: 'app' } },
      oauth: { clientId: TEST_APP.clientId, clientSecret: REDACTED, refreshToken: REDACTED },
      context: { accessToken: REDACTED, username: org.username },
      client: { accessToken: REDACTED, connection: 'applink' },
    });
  });

  it('gives pino paths that reach the token in the shapes the apps log', () => {
    // Path redaction alone (no key-name safety net): exactly what pino({ redact: REDACT_PATHS }) would hide.
    const onlyPaths = (value: unknown) => JSON.stringify(redact(value, REDACT_PATHS));
    const token = org.accessToken;
    expect(REDACT_PATHS).toContain('job.data.context.accessToken');
    for (const shape of [{ accessToken: token }, { context: { accessToken: token } }, { data: { context: { accessToken: token } } }, { job: { data: { context: { accessToken: token } } } }, { req: { headers: { authorization: `Bearer ${token}` } } }]) {
      expect(onlyPaths(shape)).not.toContain(token);
    }
  });

  it('makes real pino drop the token from job and request log lines', async () => {
    // pino is not a dependency of this package; the apps get it through Fastify. Loading the copy
    // local-org's Fastify uses checks REDACT_PATHS against pino's own path syntax (an invalid path
    // would make pino throw at startup).
    const localOrgDir = realpathSync(join(import.meta.dirname, '../node_modules/@ecars/local-org'));
    const fromFastify = createRequire(createRequire(join(localOrgDir, 'package.json')).resolve('fastify'));
    const pino = fromFastify('pino') as (options: object, stream: Writable) => { info(obj: object, msg: string): void };
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const log = pino({ redact: [...REDACT_PATHS] }, stream);
    const client = await fromAppLinkRequest({ 'x-client-context': org.clientContext() }, { allowedOrigins: [org.instanceUrl] });
    log.info({ job: { id: '7', data: { context: client.serialize() } } }, 'job received');
    log.info({ req: { headers: { authorization: `Bearer ${org.accessToken}`, 'x-client-context': org.clientContext() } } }, 'request');
    log.info({ context: client.serialize(), client }, 'context');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toContain(org.accessToken);
    expect(JSON.parse(lines[0]!)).toMatchObject({ job: { data: { context: { accessToken: '[Redacted]', orgId: org.orgId } } } });
  });

  it('keeps the token out of everything the client logs while it works, renews and retries', async () => {
    const { logger, lines } = captureLogger();
    const client = await fromLocalOrg({ ...org, accessToken: 'expired-or-unknown-token' }, { logger, renewWith: TEST_APP, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
    org.setFaults({ faultRate: 0.5, faults: ['503', 'reset'], seed: 3 });
    try {
      for (let i = 0; i < 6; i++) {
        const rows = await client.query<{ Id: string }>('SELECT Id FROM User').toArray();
        expect(rows.length).toBeGreaterThan(0);
      }
    } finally {
      org.setFaults({ faultRate: 0 });
    }
    const renewed = client.serialize().accessToken;
    expect(lines.some((l) => l.includes('session renewed'))).toBe(true);
    expect(lines.some((l) => l.includes('retrying request'))).toBe(true);
    for (const line of lines) {
      expect(line).not.toContain(renewed);
      expect(line).not.toContain('expired-or-unknown-token');
      expect(line).not.toContain(TEST_APP.clientSecret);
    }
  });
});
