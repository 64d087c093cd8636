/**
 * The unit of work against a local org: one graph per unit, packing within 500 nodes / 75 graphs,
 * the real error of a failed unit, retries of only the units that need them, and the idempotency
 * rule (keyField) for reruns and lost answers.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseRequest } from '@heroku/applink';
import type { LocalOrg } from '@ecars/local-org';
import { ref, type CommitProgress, type Unit } from '../src/index.js';
import { clientOf, startTestOrg } from './utils/org.js';
import { graphSizes, recordingFetch } from './utils/recording-fetch.js';
import { quoteUnits, seedOpportunities, type QuoteFixture } from './utils/quote-units.js';

let org: LocalOrg;
let fixture: QuoteFixture;
beforeAll(async () => {
  org = await startTestOrg({ seed: 'demo' });
  fixture = await seedOpportunities(org, 400);
}, 60_000);
afterAll(async () => {
  await org?.stop();
});
beforeEach(async () => {
  org.setFaults({ faultRate: 0 });
  await org.runtime.db.query(`DELETE FROM "QuoteLineItem"`);
  await org.runtime.db.query(`DELETE FROM "Quote"`);
});

const GRAPH_ONLY = [{ method: 'POST', path: /\/composite\/graph$/ }];

async function countQuotes(): Promise<{ quotes: number; lines: number }> {
  const q = await org.runtime.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Quote" WHERE NOT "IsDeleted"`);
  const l = await org.runtime.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "QuoteLineItem" WHERE NOT "IsDeleted"`);
  return { quotes: q.rows[0]!.n, lines: l.rows[0]!.n };
}

/** A quote unit whose second line lacks its required Quantity. */
function brokenUnit(key: string, opportunityId: string): Unit {
  const [unit] = quoteUnits({ ...fixture, opportunityIds: [opportunityId] }, key);
  const { Quantity: _q, ...line2 } = unit!.records[2]!.fields;
  return { key, records: [unit!.records[0]!, unit!.records[1]!, { ...unit!.records[2]!, fields: line2 }] };
}

// Each test commits up to 400 units: generous timeouts for a loaded CI machine.
describe('unit of work', { timeout: 120_000 }, () => {
  it('reports the real error of the failing record where the SDK reports PROCESSING_HALTED', async () => {
    const client = await clientOf(org);
    const unit = brokenUnit('real-cause', fixture.opportunityIds[0]!);
    const [result] = await client.commitUnits([unit]);
    expect(result).toEqual({
      key: 'real-cause',
      ok: false,
      ids: {},
      attempts: 1,
      error: { errorCode: 'REQUIRED_FIELD_MISSING', message: expect.stringContaining('Quantity'), fields: ['Quantity'], referenceId: 'line2', status: 400 },
    });

    // The same unit through @heroku/applink's commitUnitOfWork: the cause is lost.
    const { context } = parseRequest({ 'x-client-context': org.clientContext() }, undefined, { error() {}, warn() {}, info() {}, debug() {}, trace() {} });
    const dataApi = context.org!.dataApi;
    const uow = dataApi.newUnitOfWork();
    const quote = uow.registerCreate({ type: 'Quote', fields: unit.records[0]!.fields });
    for (const line of unit.records.slice(1)) uow.registerCreate({ type: 'QuoteLineItem', fields: { ...line.fields, QuoteId: quote.toApiString() } });
    const sdkError = await dataApi.commitUnitOfWork(uow).catch((e: unknown) => e);
    expect(String((sdkError as Error).message)).toMatch(/PROCESSING_HALTED|rolled back/);
    expect(String((sdkError as Error).message)).not.toContain('Quantity');
    expect(await countQuotes()).toEqual({ quotes: 0, lines: 0 });
  });

  it('commits good units and fails bad ones independently, with their ids', async () => {
    const client = await clientOf(org);
    const units = quoteUnits({ ...fixture, opportunityIds: fixture.opportunityIds.slice(0, 10) }, 'mixed');
    units[3] = brokenUnit(units[3]!.key, fixture.opportunityIds[3]!);
    units[7] = brokenUnit(units[7]!.key, fixture.opportunityIds[7]!);
    const results = await client.commitUnits(units);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false, true, true, true, false, true, true]);
    expect(results[3]?.error).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', referenceId: 'line2' });
    for (const r of results.filter((x) => x.ok)) {
      expect(Object.keys(r.ids)).toEqual(['quote', 'line1', 'line2']);
      const lines = await org.runtime.db.query<{ Id: string }>(`SELECT "Id" FROM "QuoteLineItem" WHERE "QuoteId" = $1 ORDER BY "Id"`, [r.ids['quote']]);
      expect(lines.rows.map((l) => l.Id)).toEqual([r.ids['line1'], r.ids['line2']]);
    }
    expect(await countQuotes()).toEqual({ quotes: 8, lines: 16 });
  });

  it('packs one graph per unit into requests of at most 75 graphs and 500 nodes', async () => {
    const recorder = recordingFetch();
    const client = await clientOf(org, { fetch: recorder.fetch });
    const progress: CommitProgress[] = [];
    const results = await client.commitUnits(quoteUnits(fixture, 'packing'), { onProgress: (p) => progress.push(p) });
    expect(results.every((r) => r.ok)).toBe(true);
    const graphCalls = recorder.calls.filter((c) => c.path.endsWith('/composite/graph'));
    expect(graphCalls.map((c) => graphSizes(c).length)).toEqual([75, 75, 75, 75, 75, 25]);
    expect(graphCalls.every((c) => graphSizes(c).every((n) => n === 3))).toBe(true);
    // Reported after every request, in completion order: five of 75 units and one of 25.
    const done = progress.map((p) => p.done);
    expect(done.map((d, i) => d - (done[i - 1] ?? 0)).sort((a, b) => a - b)).toEqual([25, 75, 75, 75, 75, 75]);
    expect(progress.at(-1)).toMatchObject({ total: 400, done: 400, succeeded: 400, failed: 0, requests: 6, retries: 0 });

    // Big units: 1 quote + 199 lines = 200 nodes; two fit in 500, the third starts a new request.
    await org.runtime.db.query(`DELETE FROM "QuoteLineItem"`);
    recorder.calls.length = 0;
    const big = quoteUnits({ ...fixture, opportunityIds: fixture.opportunityIds.slice(0, 3) }, 'big', 199);
    const bigResults = await client.commitUnits(big);
    expect(bigResults.map((r) => [r.ok, Object.keys(r.ids).length])).toEqual([[true, 200], [true, 200], [true, 200]]);
    expect(recorder.calls.filter((c) => c.path.endsWith('/composite/graph')).map(graphSizes)).toEqual([[200, 200], [200]]);
  });

  it('refuses up front a unit Salesforce could never take, and malformed units, without sending them', async () => {
    const recorder = recordingFetch();
    const client = await clientOf(org, { fetch: recorder.fetch });
    const [good] = quoteUnits({ ...fixture, opportunityIds: fixture.opportunityIds.slice(0, 1) }, 'ok');
    const tooBig = quoteUnits({ ...fixture, opportunityIds: fixture.opportunityIds.slice(1, 2) }, 'big', 500)[0]!;
    const chain: Unit = {
      key: 'deep',
      records: Array.from({ length: 16 }, (_, i) => ({ ref: `a${i}`, type: 'Account', fields: { Name: `A${i}`, ...(i ? { ParentId: ref(`a${i - 1}`) } : {}) } })),
    };
    const dangling: Unit = { key: 'dangling', records: [{ ref: 'line', type: 'QuoteLineItem', fields: { QuoteId: ref('quote') } }] };
    const badRef: Unit = { key: 'bad-ref', records: [{ ref: '1quote', type: 'Quote', fields: {} }] };
    const results = await client.commitUnits([good!, tooBig, chain, dangling, badRef, { ...good!, records: good!.records }]);
    expect(results.map((r) => [r.key, r.ok, r.error?.errorCode])).toEqual([
      ['ok:' + fixture.opportunityIds[0], true, undefined],
      ['big:' + fixture.opportunityIds[1], false, 'UNIT_TOO_LARGE'],
      ['deep', false, 'UNIT_TOO_LARGE'],
      ['dangling', false, 'INVALID_UNIT'],
      ['bad-ref', false, 'INVALID_UNIT'],
      ['ok:' + fixture.opportunityIds[0], false, 'INVALID_UNIT'],
    ]);
    expect(results[1]?.error?.message).toBe(`unit big:${fixture.opportunityIds[1]} has 501 records; one composite graph holds at most 500`);
    expect(results[3]?.error?.message).toBe('unit dangling: record line refers to @{quote.id}, which is not an earlier record of the unit');
    expect(recorder.calls.filter((c) => c.path.endsWith('/composite/graph')).map(graphSizes)).toEqual([[3]]);
  });

  it('retries units halted by the 14-failed-graphs cut-off and gives every failed unit its own cause', async () => {
    const client = await clientOf(org);
    const ids = fixture.opportunityIds.slice(0, 30);
    const units = [...ids.slice(0, 20).map((id, i) => brokenUnit(`bad-${i}`, id)), ...quoteUnits({ ...fixture, opportunityIds: ids.slice(20) }, 'good')];
    const progress: CommitProgress[] = [];
    const results = await client.commitUnits(units, { onProgress: (p) => progress.push(p) });
    expect(results.slice(0, 20).map((r) => r.error?.errorCode)).toEqual(Array(20).fill('REQUIRED_FIELD_MISSING'));
    expect(results.slice(20).every((r) => r.ok)).toBe(true);
    expect(results.slice(14, 20).map((r) => r.attempts)).toEqual(Array(6).fill(2));
    expect(progress.at(-1)).toMatchObject({ requests: 2, retries: 1, succeeded: 10, failed: 20 });
  });

  it('retries only the unit whose graph hit a row lock', async () => {
    let intercepted = false;
    const recorder = recordingFetch((call, forward) => {
      if (intercepted || !call.path.endsWith('/composite/graph')) return undefined;
      intercepted = true;
      // Graph u1 meets a row lock: Salesforce rolls it back and halts its other nodes.
      const body = call.body as { graphs: Array<{ graphId: string; compositeRequest: Array<{ referenceId: string }> }> };
      const locked = body.graphs.find((g) => g.graphId === 'u1')!;
      return forward({ graphs: body.graphs.filter((g) => g !== locked) }).then(async (response) => {
        const answer = (await response.json()) as { graphs: unknown[] };
        answer.graphs.push({
          graphId: 'u1',
          isSuccessful: false,
          graphResponse: {
            compositeResponse: locked.compositeRequest.map((n, k) => ({
              referenceId: n.referenceId,
              httpStatusCode: 400,
              httpHeaders: {},
              body: [k === 0 ? { errorCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record' } : { errorCode: 'PROCESSING_HALTED', message: 'rolled back' }],
            })),
          },
        });
        return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
      });
    });
    const client = await clientOf(org, { fetch: recorder.fetch });
    const results = await client.commitUnits(quoteUnits({ ...fixture, opportunityIds: fixture.opportunityIds.slice(0, 3) }, 'lock'));
    expect(results.map((r) => [r.ok, r.attempts])).toEqual([[true, 1], [true, 2], [true, 1]]);
    const graphCalls = recorder.calls.filter((c) => c.path.endsWith('/composite/graph'));
    expect(graphCalls.map((c) => (c.body as { graphs: Array<{ graphId: string }> }).graphs.map((g) => g.graphId))).toEqual([['u0', 'u1', 'u2'], ['u1']]);
    expect(await countQuotes()).toEqual({ quotes: 3, lines: 6 });
  });

  it('resends whole requests refused before running (503, concurrency limit, row lock)', async () => {
    const recorder = recordingFetch();
    const client = await clientOf(org, { fetch: recorder.fetch });
    const refusals = () => {
      const faults = (org.stats() as { faults: { faultsInjected: Record<string, number> } }).faults.faultsInjected;
      return faults['503']! + faults['REQUEST_LIMIT_EXCEEDED']! + faults['UNABLE_TO_LOCK_ROW']!;
    };
    const before = refusals();
    org.setFaults({ faultRate: 0.5, faults: ['503', 'REQUEST_LIMIT_EXCEEDED', 'UNABLE_TO_LOCK_ROW'], seed: 2, faultPaths: GRAPH_ONLY });
    const results = await client.commitUnits(quoteUnits({ ...fixture, opportunityIds: fixture.opportunityIds.slice(0, 150) }, 'refused'), { maxAttempts: 10 });
    const injected = refusals() - before;
    expect(results.every((r) => r.ok)).toBe(true);
    expect(injected).toBeGreaterThan(0);
    // Two payloads of 75, each sent once per injected fault plus once to succeed.
    expect(recorder.calls.filter((c) => c.path.endsWith('/composite/graph'))).toHaveLength(2 + injected);
    expect(client.stats.retries).toBe(injected);
    expect(await countQuotes()).toEqual({ quotes: 150, lines: 300 });
  });

  it('marks units that ran out of attempts during an outage retryable, and units the org refused for good not', async () => {
    const client = await clientOf(org, { retry: { baseDelayMs: 1 } });
    org.setFaults({ faultRate: 1, faults: ['503'], seed: 3, faultPaths: GRAPH_ONLY });
    const outage = await client.commitUnits(quoteUnits({ ...fixture, opportunityIds: fixture.opportunityIds.slice(0, 4) }, 'outage'), { maxAttempts: 2 });
    expect(outage.map((r) => [r.ok, r.retryable, r.error?.errorCode, r.attempts])).toEqual(Array(4).fill([false, true, 'SERVER_UNAVAILABLE', 2]));
    org.setFaults({ faultRate: 0 });
    const [bad] = await client.commitUnits([brokenUnit('bad-for-good', fixture.opportunityIds[5]!)], { maxAttempts: 2 });
    expect(bad).toMatchObject({ ok: false, error: { errorCode: 'REQUIRED_FIELD_MISSING' } });
    expect(bad?.retryable).toBeUndefined();
    expect(await countQuotes()).toEqual({ quotes: 0, lines: 0 });
  });

  it('fails units whose answer was lost with OUTCOME_UNKNOWN and does not resend them without keyField', async () => {
    const client = await clientOf(org);
    org.setFaults({ faultRate: 1, faults: ['applied-reset'], seed: 1, faultPaths: GRAPH_ONLY });
    const results = await client.commitUnits(quoteUnits({ ...fixture, opportunityIds: fixture.opportunityIds.slice(0, 5) }, 'lost'));
    expect(results.map((r) => [r.ok, r.error?.errorCode, r.attempts])).toEqual(Array(5).fill([false, 'OUTCOME_UNKNOWN', 1]));
    // Applied once by the lost request, and never again.
    expect(await countQuotes()).toEqual({ quotes: 5, lines: 10 });
  });

  it('finds units whose answer was lost by their key, with every id, instead of writing them twice', async () => {
    const client = await clientOf(org);
    org.setFaults({ faultRate: 1, faults: ['applied-reset'], seed: 1, faultPaths: GRAPH_ONLY });
    const results = await client.commitUnits(quoteUnits({ ...fixture, opportunityIds: fixture.opportunityIds.slice(0, 5) }, 'lost-keyed'), { keyField: 'Batch_Key__c' });
    expect(results.map((r) => [r.ok, r.recovered, r.attempts])).toEqual(Array(5).fill([true, true, 1]));
    for (const r of results) {
      const quote = await org.runtime.db.query<{ Id: string }>(`SELECT "Id" FROM "Quote" WHERE "Batch_Key__c" = $1`, [r.key]);
      const lines = await org.runtime.db.query<{ Id: string }>(`SELECT "Id" FROM "QuoteLineItem" WHERE "QuoteId" = $1 ORDER BY "Id"`, [quote.rows[0]?.Id]);
      expect(r.ids).toEqual({ quote: quote.rows[0]?.Id, line1: lines.rows[0]?.Id, line2: lines.rows[1]?.Id });
    }
    expect(await countQuotes()).toEqual({ quotes: 5, lines: 10 });
  });

  it('reports a rerun of the same keys as already written, with the first run\'s ids', async () => {
    const client = await clientOf(org);
    const units = quoteUnits({ ...fixture, opportunityIds: fixture.opportunityIds.slice(0, 20) }, 'rerun');
    const first = await client.commitUnits(units, { keyField: 'Batch_Key__c' });
    const again = await client.commitUnits(units, { keyField: 'Batch_Key__c' });
    expect(first.every((r) => r.ok && !r.recovered)).toBe(true);
    expect(again.map((r) => [r.ok, r.recovered])).toEqual(Array(20).fill([true, true]));
    expect(again.map((r) => r.ids)).toEqual(first.map((r) => r.ids));
    expect(await countQuotes()).toEqual({ quotes: 20, lines: 40 });
  });

  it('refuses a root whose key field holds something else than the unit key', async () => {
    const client = await clientOf(org);
    const [unit] = quoteUnits({ ...fixture, opportunityIds: fixture.opportunityIds.slice(0, 1) }, 'k');
    unit!.records[0]!.fields['batch_key__c'] = 'other';
    const [result] = await client.commitUnits([unit!], { keyField: 'Batch_Key__c' });
    expect(result?.error).toMatchObject({ errorCode: 'INVALID_UNIT', message: `unit ${unit!.key}: root field Batch_Key__c is "other", not the unit key` });
  });
});

describe('unit of work with shared graphs', { timeout: 120_000 }, () => {
  const graphsOf = (call: { body: unknown }) => (call.body as { graphs: Array<{ graphId: string; compositeRequest: Array<{ referenceId: string; body: Record<string, unknown> }> }> }).graphs;

  it('puts up to 500 nodes of units in one graph: 400 three-record units in 3 requests, every id in its place', async () => {
    const recorder = recordingFetch();
    const client = await clientOf(org, { fetch: recorder.fetch });
    const results = await client.commitUnits(quoteUnits(fixture, 'shared'), { shareGraphs: true, keyField: 'Batch_Key__c' });
    expect(results.every((r) => r.ok && r.attempts === 1)).toBe(true);
    const graphCalls = recorder.calls.filter((c) => c.path.endsWith('/composite/graph'));
    expect(graphCalls.map(graphSizes)).toEqual([[498], [498], [204]]);
    // References are prefixed per unit so that each line points at its own quote.
    const nodes = graphsOf(graphCalls[0]!)[0]!.compositeRequest;
    expect(nodes.slice(3, 6).map((n) => [n.referenceId, n.body['QuoteId'] ?? null])).toEqual([['p1_quote', null], ['p1_line1', '@{p1_quote.id}'], ['p1_line2', '@{p1_quote.id}']]);
    for (const r of results) {
      expect(Object.keys(r.ids)).toEqual(['quote', 'line1', 'line2']);
      const quote = await org.runtime.db.query<{ Id: string; LineItemCount: number }>(`SELECT "Id", "LineItemCount" FROM "Quote" WHERE "Batch_Key__c" = $1`, [r.key]);
      expect(quote.rows).toEqual([{ Id: r.ids['quote'], LineItemCount: 2 }]);
      const lines = await org.runtime.db.query<{ Id: string }>(`SELECT "Id" FROM "QuoteLineItem" WHERE "QuoteId" = $1 ORDER BY "Id"`, [r.ids['quote']]);
      expect(lines.rows.map((l) => l.Id)).toEqual([r.ids['line1'], r.ids['line2']]);
    }
    expect(await countQuotes()).toEqual({ quotes: 400, lines: 800 });
  });

  it('fails only the bad unit of a shared graph and resends its graph-mates each in its own graph', async () => {
    const recorder = recordingFetch();
    const client = await clientOf(org, { fetch: recorder.fetch });
    const units = quoteUnits({ ...fixture, opportunityIds: fixture.opportunityIds.slice(0, 10) }, 'shared-mixed');
    units[3] = brokenUnit(units[3]!.key, fixture.opportunityIds[3]!);
    units[7] = brokenUnit(units[7]!.key, fixture.opportunityIds[7]!);
    const progress: CommitProgress[] = [];
    const results = await client.commitUnits(units, { shareGraphs: true, onProgress: (p) => progress.push(p) });
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false, true, true, true, false, true, true]);
    // The real cause, named by the unit's own reference id (not the prefixed one on the wire).
    expect(results[3]?.error).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', referenceId: 'line2', fields: ['Quantity'] });
    expect(results[7]?.error).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', referenceId: 'line2' });
    expect(results.map((r) => r.attempts)).toEqual([2, 2, 2, 1, 2, 2, 2, 2, 2, 2]);
    // One shared graph of 10 units, then the 9 rolled-back units in graphs of their own.
    const graphCalls = recorder.calls.filter((c) => c.path.endsWith('/composite/graph'));
    expect(graphCalls.map((c) => graphsOf(c).map((g) => g.graphId))).toEqual([['b0'], ['u0', 'u1', 'u2', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9']]);
    expect(progress.at(-1)).toMatchObject({ requests: 2, retries: 1, succeeded: 8, failed: 2 });
    expect(await countQuotes()).toEqual({ quotes: 8, lines: 16 });
  });

  it('recovers a rerun of written keys through the duplicate path, with the first run\'s ids', async () => {
    const client = await clientOf(org);
    const units = quoteUnits({ ...fixture, opportunityIds: fixture.opportunityIds.slice(0, 30) }, 'shared-rerun');
    const first = await client.commitUnits(units, { shareGraphs: true, keyField: 'Batch_Key__c' });
    const again = await client.commitUnits(units, { shareGraphs: true, keyField: 'Batch_Key__c' });
    expect(first.every((r) => r.ok && !r.recovered)).toBe(true);
    expect(again.map((r) => [r.ok, r.recovered])).toEqual(Array(30).fill([true, true]));
    expect(again.map((r) => r.ids)).toEqual(first.map((r) => r.ids));
    expect(await countQuotes()).toEqual({ quotes: 30, lines: 60 });
  });

  it('reruns 200 written units to completion: with precheck without sending a graph, without it 14 duplicates per request', async () => {
    const units = quoteUnits({ ...fixture, opportunityIds: fixture.opportunityIds.slice(0, 200) }, 'rerun-all');
    const first = await (await clientOf(org)).commitUnits(units, { shareGraphs: true, keyField: 'Batch_Key__c' });
    expect(first.every((r) => r.ok)).toBe(true);

    const recorder = recordingFetch();
    const client = await clientOf(org, { fetch: recorder.fetch });
    const prechecked = await client.commitUnits(units, { shareGraphs: true, keyField: 'Batch_Key__c', precheck: true });
    expect(prechecked.map((r) => [r.ok, r.recovered, r.attempts])).toEqual(Array(200).fill([true, true, 0]));
    expect(prechecked.map((r) => r.ids)).toEqual(first.map((r) => r.ids));
    expect(recorder.calls.filter((c) => c.path.endsWith('/composite/graph'))).toHaveLength(0);

    // Without precheck every root is refused as a duplicate; halted units are resent uncharged, so
    // none runs out of attempts although each request finds at most 14 of them.
    const again = await client.commitUnits(units, { keyField: 'Batch_Key__c' });
    expect(again.map((r) => [r.ok, r.recovered])).toEqual(Array(200).fill([true, true]));
    expect(Math.max(...again.map((r) => r.attempts))).toBeGreaterThan(5);
    expect(await countQuotes()).toEqual({ quotes: 200, lines: 400 });
  });

  it('sends a unit whose reference ids would not fit 80 characters with the prefix in a graph of its own', async () => {
    const recorder = recordingFetch();
    const client = await clientOf(org, { fetch: recorder.fetch });
    const units = quoteUnits({ ...fixture, opportunityIds: fixture.opportunityIds.slice(0, 3) }, 'long-ref');
    const long = 'q'.repeat(76);
    units[1] = { ...units[1]!, records: units[1]!.records.map((r, k) => (k === 0 ? { ...r, ref: long } : { ...r, fields: { ...r.fields, QuoteId: ref(long) } })) };
    const results = await client.commitUnits(units, { shareGraphs: true });
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(Object.keys(results[1]!.ids)).toEqual([long, 'line1', 'line2']);
    const graphCalls = recorder.calls.filter((c) => c.path.endsWith('/composite/graph'));
    expect(graphCalls.map((c) => graphsOf(c).map((g) => [g.graphId, g.compositeRequest.length]))).toEqual([[['b0', 6]], [['u1', 3]]]);
  });
});
