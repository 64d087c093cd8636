/**
 * The worker's logger never prints a credential: a job payload, a serialized context and the
 * errors of failed Salesforce calls (made with an access token, a refresh token + client secret,
 * and a private key) go through `createLogger`, the logger of `worker.ts` and `startWorkers`,
 * logged the ways the worker logs them.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuoteChunkData } from '@ecars/job-queue';
import { startLocalOrg, type LocalOrg } from '@ecars/local-org';
import { validateWhereClause, type ValidWhereClause } from '@ecars/sf-client';
import { leakedSecrets, logLeakProbe, type LogLeakProbe } from '@ecars/sf-client/testing';
import { createLogger } from '../src/logger.js';

/** A clause as job-api hands it to the queue: validated (payloads carry the branded value). */
function validClause(text: string): ValidWhereClause {
  const clause = validateWhereClause('Opportunity', text);
  if (!clause.ok) throw new Error(clause.reason);
  return clause;
}

// The org in PostgreSQL (a schema of its own, dropped on stop): it starts in seconds where PGlite takes many.
const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

let org: LocalOrg;
let probe: LogLeakProbe;
beforeAll(async () => {
  org = await startLocalOrg({ port: 0, logger: false, databaseUrl: DATABASE_URL });
  probe = await logLeakProbe(org);
});
afterAll(async () => {
  await org?.stop();
});

describe('job-worker log redaction', () => {
  it('prints no token, refresh token, client secret or private key from payloads, contexts and failed calls', () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }) });
    const payload: QuoteChunkData = {
      kind: 'quote-chunk',
      org: probe.context,
      batchId: 'batch-1',
      soqlWhereClause: validClause("StageName = 'Prospecting'"),
      ranges: [{ first: '006000000000001AAA', last: '006000000000002AAA', count: 2 }],
    };
    logger.info({ job: { id: 'batch-1:0', name: 'quote-chunk', data: payload } }, 'chunk started');
    logger.child({ jobId: 'batch-1:0' }).info({ data: payload }, 'payload');
    logger.info(payload, 'payload at the top level');
    logger.info({ context: probe.context }, 'context');
    for (const err of probe.errors) {
      logger.error({ err, job: { id: 'batch-1:0', data: payload } }, 'chunk failed');
      logger.error(err);
    }

    const output = lines.join('');
    expect(lines.length).toBeGreaterThanOrEqual(4 + 2 * probe.errors.length);
    // The lines are there, with the identity kept: only the credentials are gone.
    expect(output).toContain(probe.context.orgId);
    expect(leakedSecrets(probe, output)).toEqual([]);
  });
});
