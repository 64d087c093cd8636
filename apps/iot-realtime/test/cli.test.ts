/**
 * The provisioning CLI as a real process against PostgreSQL, and the HTTP admin API, including
 * revocation disconnecting a connected car across processes (NOTIFY).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_URL } from './helpers/env.js';
import { connect, once, randomVin, startApp, type Running } from './helpers/harness.js';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
let run: Running;
beforeAll(async () => {
  run = await startApp({ adminToken: 'test-admin-token-0123456789' });
});
afterAll(async () => {
  await run.close();
});

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, ['--conditions=@ecars/source', '--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: APP_DIR,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: PG_URL, DB_SCHEMA: run.schema },
    timeout: 30_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe('iot-realtime CLI', () => {
  it('adds a vehicle (token printed once, stored hashed), lists it, and revoke disconnects it from the running broker', async () => {
    const vin = randomVin();
    const added = await cli('vehicles', 'add', vin);
    expect(added.code).toBe(0);
    const [printedVin, token] = added.stdout.trim().split(' ');
    expect(printedVin).toBe(vin);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const [row] = await run.app.iot.db.query<{ token_hash: string }>('SELECT token_hash FROM vehicles WHERE vin = $1', [vin]);
    expect(row!.token_hash).toMatch(/^scrypt\$/);
    expect(row!.token_hash).not.toContain(token!);

    const car = await connect(run.mqttUrl, { username: vin, password: token! });
    const closed = once(car, 'close', 10_000);
    const revoked = await cli('vehicles', 'revoke', vin);
    expect(revoked).toMatchObject({ code: 0, stdout: `${vin} revoked\n` });
    await closed;
    const list = await cli('vehicles', 'list', '--json');
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ vin, revokedAt: expect.any(String) })]);
  });

  it('explains usage errors without a stack trace', async () => {
    const bad = await cli('vehicles', 'add', 'NOT-A-VIN');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('iot-realtime: INVALID_VIN: "NOT-A-VIN" is not a VIN (17 characters, digits and capitals except I, O, Q)\n');
    const unknown = await cli('vehicles', 'fly');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "vehicles fly"[\s\S]*--help/);
    const help = await cli('--help');
    expect(help.stdout).toMatch(/vehicles add <VIN>/);
  });
});

describe('/admin API', () => {
  it('refuses a missing or wrong bearer token', async () => {
    expect((await run.app.inject({ method: 'GET', url: '/admin/vehicles' })).statusCode).toBe(401);
    expect((await run.app.inject({ method: 'GET', url: '/admin/vehicles', headers: { authorization: 'Bearer nope' } })).json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'missing or invalid bearer token' } });
  });

  it('provisions, refuses a second provisioning, and revokes', async () => {
    const headers = { authorization: 'Bearer test-admin-token-0123456789' };
    const vin = randomVin();
    const created = await run.app.inject({ method: 'POST', url: '/admin/vehicles', headers, payload: { vin } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ vin, token: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/) });
    const again = await run.app.inject({ method: 'POST', url: '/admin/vehicles', headers, payload: { vin } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('VEHICLE_EXISTS');
    expect((await run.app.inject({ method: 'DELETE', url: `/admin/vehicles/${vin}`, headers })).statusCode).toBe(204);
    expect((await run.app.inject({ method: 'DELETE', url: `/admin/vehicles/${randomVin()}`, headers })).statusCode).toBe(404);
  });
});
