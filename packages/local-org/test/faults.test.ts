/**
 * Fault and latency injection on a bare Fastify app with the faults plugin (test/utils/faults-app.ts):
 * each kind's exact response, that pre-handler faults never run the handler, that applied-reset runs
 * it once and loses the answer, seeded determinism, latency lower bounds, runtime control and logs.
 */
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector } from '../src/faults/index.js';
import type { FaultsPluginOptions } from '../src/faults/index.js';
import { ACCOUNT_ID, API, buildFaultsApp } from './utils/faults-app.js';
import type { FaultsTestApp } from './utils/faults-app.js';

let t: FaultsTestApp | undefined;

afterEach(async () => {
  await t?.app.close();
  t = undefined;
});

async function build(options: FaultsPluginOptions): Promise<FaultsTestApp> {
  t = await buildFaultsApp(options);
  return t;
}

const createAccount = (app: FaultsTestApp['app'], body: Record<string, unknown> = { Name: 'Acme' }) =>
  app.inject({ method: 'POST', url: `${API}/sobjects/Account`, payload: body });

describe('answered faults at rate 1.0', () => {
  it('503 answers SERVER_UNAVAILABLE and never runs the handler', async () => {
    const { app, handled } = await build({ seed: 1, faultRate: 1, faults: ['503'] });
    const res = await createAccount(app);
    expect(res.statusCode).toBe(503);
    expect(res.body).toBe(
      '[{"message":"A server that is necessary for this call is currently unavailable. Other types of requests might still work.","errorCode":"SERVER_UNAVAILABLE"}]',
    );
    expect(handled.count).toBe(0);
    expect(app.faults.stats().faultsInjected['503']).toBe(1);
  });

  it('REQUEST_LIMIT_EXCEEDED answers 403 ConcurrentPerOrgLongTxn and never runs the handler', async () => {
    const { app, handled } = await build({ seed: 1, faultRate: 1, faults: ['REQUEST_LIMIT_EXCEEDED'] });
    const res = await createAccount(app);
    expect(res.statusCode).toBe(403);
    expect(res.body).toBe('[{"message":"ConcurrentPerOrgLongTxn Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]');
    expect(handled.count).toBe(0);
  });

  it('UNABLE_TO_LOCK_ROW names the record of the path and never runs the handler', async () => {
    const { app, handled } = await build({ seed: 1, faultRate: 1, faults: ['UNABLE_TO_LOCK_ROW'] });
    const res = await app.inject({ method: 'PATCH', url: `${API}/sobjects/Account/${ACCOUNT_ID}`, payload: { Name: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe(
      `[{"message":"unable to obtain exclusive access to this record or 1 records: ${ACCOUNT_ID}","errorCode":"UNABLE_TO_LOCK_ROW","fields":[]}]`,
    );
    expect(handled.count).toBe(0);
  });

  it('UNABLE_TO_LOCK_ROW on an insert names the parent record the body refers to', async () => {
    const { app } = await build({ seed: 1, faultRate: 1, faults: ['UNABLE_TO_LOCK_ROW'] });
    const res = await app.inject({
      method: 'POST',
      url: `${API}/composite/sobjects`,
      payload: { allOrNone: true, records: [{ attributes: { type: 'Contact' }, LastName: 'Doe', AccountId: ACCOUNT_ID }] },
    });
    expect(res.json()).toEqual([
      { message: `unable to obtain exclusive access to this record or 1 records: ${ACCOUNT_ID}`, errorCode: 'UNABLE_TO_LOCK_ROW', fields: [] },
    ]);
  });
});

describe('connection faults (inject)', () => {
  it('reset destroys the connection before the handler runs', async () => {
    const { app, handled } = await build({ seed: 1, faultRate: 1, faults: ['reset'] });
    await expect(createAccount(app)).rejects.toMatchObject({ code: 'LIGHT_ECONNRESET' });
    expect(handled.count).toBe(0);
    expect(app.faults.stats().faultsInjected.reset).toBe(1);
  });

  it('applied-reset runs the handler exactly once, then loses the response', async () => {
    const { app, handled } = await build({ seed: 1, faultRate: 1, faults: ['applied-reset'] });
    await expect(createAccount(app)).rejects.toMatchObject({ code: 'LIGHT_ECONNRESET' });
    expect(handled.count).toBe(1);
    // A 204 takes another path through Fastify's send; it must be lost as well.
    const patch = app.inject({ method: 'PATCH', url: `${API}/sobjects/Account/${ACCOUNT_ID}`, payload: { Name: 'x' } });
    await expect(patch).rejects.toMatchObject({ code: 'LIGHT_ECONNRESET' });
    expect(handled.count).toBe(2);
    expect(app.faults.stats().faultsInjected['applied-reset']).toBe(2);
  });
});

describe('over a real socket', () => {
  it('reset and applied-reset reach a fetch client as connection errors, and the server keeps serving', async () => {
    const { app, handled } = await build({ seed: 1, faultRate: 1, faults: ['reset'] });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const post = () =>
      fetch(`${base}${API}/sobjects/Account`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"Name":"Acme"}' });

    const reset = await post().catch((err: unknown) => err);
    expect(reset).toBeInstanceOf(TypeError);
    expect((reset as TypeError).message).toBe('fetch failed');
    expect(handled.count).toBe(0);

    app.faults.setOptions({ faults: ['applied-reset'] });
    const applied = await post().catch((err: unknown) => err);
    expect(applied).toBeInstanceOf(TypeError);
    expect(handled.count).toBe(1);

    app.faults.setOptions({ faultRate: 0 });
    const ok = await post();
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ id: ACCOUNT_ID, success: true, errors: [] });
    expect(handled.count).toBe(2);
  });
});

describe('eligibility', () => {
  it('spares /limits and non-API paths by default', async () => {
    const { app, handled } = await build({ seed: 1, faultRate: 1, faults: ['503'] });
    expect((await app.inject(`${API}/limits`)).statusCode).toBe(200);
    expect((await app.inject('/health')).statusCode).toBe(200);
    expect(handled.count).toBe(2);
    expect(app.faults.stats().requests).toBe(0);
  });

  it('limits faults to the configured methods and paths', async () => {
    const { app } = await build({ seed: 1, faultRate: 1, faults: ['503'], faultPaths: [{ method: 'POST', path: `${API}/sobjects/` }] });
    expect((await createAccount(app)).statusCode).toBe(503);
    expect((await app.inject({ method: 'PATCH', url: `${API}/sobjects/Account/${ACCOUNT_ID}`, payload: {} })).statusCode).toBe(204);
    expect((await app.inject(`${API}/query?q=SELECT+Id+FROM+Account`)).statusCode).toBe(200);
  });
});

describe('determinism', () => {
  it('faults exactly 102 of 1,000 calls at rate 0.1 with seed 42, never running their handler', async () => {
    const { app, handled } = await build({ seed: 42, faultRate: 0.1, faults: ['503'] });
    let unavailable = 0;
    for (let i = 0; i < 1000; i++) {
      if ((await app.inject(`${API}/query?q=SELECT+Id+FROM+Account`)).statusCode === 503) unavailable += 1;
    }
    expect(unavailable).toBe(102);
    expect(handled.count).toBe(898);
    expect(app.faults.stats()).toEqual({
      requests: 1000,
      faultsInjected: { '503': 102, REQUEST_LIMIT_EXCEEDED: 0, UNABLE_TO_LOCK_ROW: 0, reset: 0, 'applied-reset': 0 },
      latencyAddedMs: 0,
    });
  });

  it('spreads faults over the configured kinds, the same way for the same seed', () => {
    const run = (options: ConstructorParameters<typeof FaultInjector>[0]) => {
      const injector = new FaultInjector(options);
      return Array.from({ length: 1000 }, () => injector.decide());
    };
    const first = run({ seed: 42, faultRate: 0.5 });
    expect(run({ seed: 42, faultRate: 0.5 })).toEqual(first);
    // Jitter has its own stream: turning it on changes no decision.
    expect(run({ seed: 42, faultRate: 0.5, jitterMs: 30 })).toEqual(first);
    expect(run({ seed: 43, faultRate: 0.5 })).not.toEqual(first);
    const injector = new FaultInjector({ seed: 42, faultRate: 0.5 });
    for (let i = 0; i < 1000; i++) injector.decide();
    expect(injector.stats().faultsInjected).toEqual({ '503': 109, REQUEST_LIMIT_EXCEEDED: 94, UNABLE_TO_LOCK_ROW: 98, reset: 89, 'applied-reset': 90 });
  });

  it('replays the same sequence after reset(), and setOptions turns faults on and off', async () => {
    const { app } = await build({ seed: 7, faultRate: 0.5, faults: ['503'] });
    const statuses = async () => {
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push((await app.inject(`${API}/query?q=x`)).statusCode);
      return out;
    };
    const first = await statuses();
    expect(first.filter((s) => s === 503).length).toBeGreaterThan(0);
    app.faults.reset();
    expect(await statuses()).toEqual(first);
    expect(app.faults.stats().requests).toBe(20);
    app.faults.setOptions({ faultRate: 0 });
    expect(new Set(await statuses())).toEqual(new Set([200]));
    app.faults.setOptions({ faultRate: 1 });
    expect(new Set(await statuses())).toEqual(new Set([503]));
  });
});

describe('latency', () => {
  it('adds at least latencyMs to a call', async () => {
    const { app } = await build({ seed: 1, latencyMs: 60 });
    const started = performance.now();
    const res = await app.inject(`${API}/query?q=x`);
    expect(res.statusCode).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(59);
    expect(app.faults.stats().latencyAddedMs).toBe(60);
  });

  it('adds latencyPerRecordMs for each record the handler wrote', async () => {
    const { app } = await build({ seed: 1, latencyMs: 5, latencyPerRecordMs: 10 });
    const records = Array.from({ length: 6 }, (_, i) => ({ attributes: { type: 'Account' }, Name: `A${i}` }));
    const started = performance.now();
    const res = await app.inject({ method: 'POST', url: `${API}/composite/sobjects`, payload: { records } });
    expect(res.statusCode).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(64);
    expect(app.faults.stats().latencyAddedMs).toBe(65);
  });

  it('keeps jittered latency within latencyMs ± jitterMs', () => {
    const injector = new FaultInjector({ seed: 3, latencyMs: 20, jitterMs: 5 });
    const delays = Array.from({ length: 200 }, () => injector.latencyFor(0));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(15);
    expect(Math.max(...delays)).toBeLessThanOrEqual(25);
    expect(new Set(delays).size).toBeGreaterThan(100);
  });
});

describe('options and logs', () => {
  it('refuses out-of-range options', () => {
    expect(() => new FaultInjector({ faultRate: 1.5 })).toThrow(RangeError);
    expect(() => new FaultInjector({ latencyMs: -1 })).toThrow(RangeError);
    expect(() => new FaultInjector({ faults: [] })).toThrow(TypeError);
    expect(() => new FaultInjector({ faults: ['boom' as never] })).toThrow(TypeError);
    const injector = new FaultInjector({ seed: 5 });
    expect(() => injector.setOptions({ jitterMs: Number.NaN })).toThrow(RangeError);
    expect(injector.current.jitterMs).toBe(0);
  });

  it('logs each injected fault at info with method and path but not the bearer token', async () => {
    const { app, logs } = await build({ seed: 1, faultRate: 1, faults: ['UNABLE_TO_LOCK_ROW'], latencyMs: 1 });
    const token = '00D000000000001!SECRETSECRETSECRET';
    await app.inject({ method: 'PATCH', url: `${API}/sobjects/Account/${ACCOUNT_ID}`, payload: {}, headers: { authorization: `Bearer ${token}` } });
    const lines = logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    const fault = lines.find((line) => line.msg === 'local-org: injected fault');
    expect(fault).toMatchObject({ level: 30, fault: 'UNABLE_TO_LOCK_ROW', method: 'PATCH', path: `${API}/sobjects/Account/${ACCOUNT_ID}` });
    expect(lines.find((line) => line.msg === 'local-org: added latency')).toMatchObject({ level: 20, latencyMs: 1 });
    expect(logs.join('')).not.toContain('SECRET');
  });
});
