/**
 * The job API's logger never prints a credential: a job payload, a serialized context and the
 * errors of failed Salesforce calls (made with an access token, a refresh token + client secret,
 * and a private key) go through the logger `buildApp` makes, logged the ways the app logs them.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuoteBatchData } from '@ecars/job-queue';
import { startLocalOrg, type LocalOrg } from '@ecars/local-org';
import { validateWhereClause, type ValidWhereClause } from '@ecars/sf-client';
import { leakedSecrets, logLeakProbe, type LogLeakProbe } from '@ecars/sf-client/testing';
import { buildApp } from '../src/app.js';

/** A clause as job-api hands it to the queue: validated (payloads carry the branded value). */
function validClause(text: string): ValidWhereClause {
  const clause = validateWhereClause('Opportunity', text);
  if (!clause.ok) throw new Error(clause.reason);
  return clause;
}

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
// The org in PostgreSQL (a schema of its own, dropped on stop): it starts in seconds where PGlite takes many.
const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

let org: LocalOrg;
let app: FastifyInstance;
let probe: LogLeakProbe;
const lines: string[] = [];

beforeAll(async () => {
  org = await startLocalOrg({ port: 0, logger: false, databaseUrl: DATABASE_URL });
  probe = await logLeakProbe(org);
  const stream = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
  app = await buildApp({ redisUrl: REDIS_URL, queuePrefix: `ecars-test-${randomUUID()}`, logger: { level: 'info', stream } });
});
afterAll(async () => {
  await app?.close();
  await org?.stop();
});

describe('job-api log redaction', () => {
  it('prints no token, refresh token, client secret or private key from payloads, contexts and failed calls', () => {
    const payload: QuoteBatchData = { kind: 'quote-batch', org: probe.context, soqlWhereClause: validClause("StageName = 'Prospecting'"), chunkSize: 10, requestedAt: new Date().toISOString() };
    app.log.info({ job: { id: '1', name: 'quote-batch', data: payload } }, 'job queued');
    app.log.info({ data: payload }, 'payload');
    app.log.info(payload, 'payload at the top level');
    app.log.info({ context: probe.context }, 'context');
    for (const err of probe.errors) {
      app.log.error({ err }, 'salesforce call failed');
      app.log.error(err);
    }

    const output = lines.join('');
    expect(lines.length).toBeGreaterThanOrEqual(4 + 2 * probe.errors.length);
    // The lines are there, with the identity kept: only the credentials are gone.
    expect(output).toContain(probe.context.orgId);
    expect(leakedSecrets(probe, output)).toEqual([]);
  });
});
