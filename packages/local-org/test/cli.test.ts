/**
 * The `local-org` command as a user runs it: `node bin/local-org.js` (the TypeScript sources through
 * tsx when there is no build) in a child process on the Node that runs the tests. Usage errors exit
 * 2 with one clear line and no stack; `start` prints a working instance URL and token and writes
 * the state file `context` reads; SIGTERM stops the org, exits 0 and removes the state file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// jsforce first: when @heroku/applink loads it first, jsforce's default export is left with
// `Connection` undefined (a circular require inside jsforce).
import jsforce from 'jsforce';
import applink from '@heroku/applink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/local-org.js', import.meta.url));
const USAGE_HINT = "Run 'local-org --help' for usage.\n";

/**
 * The child's environment: no proxy (jsforce in this process would send loopback calls to it), and
 * none of the variables that would point the CLI at PostgreSQL or a fixed port.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'DATABASE_URL', 'LOCAL_ORG_PORT', 'LOG_LEVEL']) delete env[k];
  return env;
}
for (const k of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[k];

function cli(args: string[]): ChildProcess {
  // process.execPath: the Node 24 running the tests, never an older `node` found on PATH.
  return spawn(process.execPath, [BIN, ...args], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Collects a child's output until it exits. */
function finished(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const run = (args: string[]) => finished(cli(args));

/** A usage error: exit 2, the message and the help hint on stderr, nothing on stdout, no stack. */
function expectUsageError(result: Finished, message: string): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toBe(`local-org: ${message}\n${USAGE_HINT}`);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'local-org-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('usage', () => {
  it('prints the usage with --help, and with no command, and exits 0', async () => {
    const [help, bare] = await Promise.all([run(['--help']), run([])]);
    for (const r of [help, bare]) {
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('Usage:\n  local-org start [options]');
      expect(r.stdout).toContain('--port N                 TCP port (0 = any free port)            [default: 6565]');
    }
    expect(bare.stdout).toBe(help.stdout);
  });

  it('refuses unknown commands and bad options with exit 2 and one clear message', async () => {
    const results = await Promise.all([
      run(['frobnicate']),
      run(['start', '--fault-rate', '2']),
      run(['start', '--seed', 'x']),
      run(['start', '--faults', '503,meteor']),
      run(['start', '--api-limit', '0']),
      run(['start', '--port', '70000']),
      run(['start', '--data-dir', join(tmp, 'd'), '--database-url', 'postgres://nowhere/x']),
      run(['context', '--state', join(tmp, 'missing.json')]),
    ]);
    const messages = [
      "unknown command 'frobnicate'",
      "--fault-rate must be a number between 0 and 1, got '2'",
      "--seed must be 'demo' or 'none', got 'x'",
      "unknown fault kind 'meteor' (known: 503, REQUEST_LIMIT_EXCEEDED, UNABLE_TO_LOCK_ROW, reset, applied-reset)",
      `--api-limit must be an integer between 1 and ${Number.MAX_SAFE_INTEGER}, got '0'`,
      "--port must be an integer between 0 and 65535, got '70000'",
      'use either --data-dir or --database-url, not both',
      `no running org found (${join(tmp, 'missing.json')} is missing); start one with 'local-org start'`,
    ];
    results.forEach((r, i) => expectUsageError(r, messages[i]!));
  });

  it('refuses fractional ports, seeds and limits as usage errors instead of failing later', async () => {
    const results = await Promise.all([
      run(['start', '--port', '1.5']),
      run(['start', '--fault-seed', '1.5']),
      run(['start', '--api-limit', '2.5']),
      run(['start', '--port=']),
    ]);
    expectUsageError(results[0]!, "--port must be an integer between 0 and 65535, got '1.5'");
    expectUsageError(results[1]!, `--fault-seed must be an integer between 0 and ${Number.MAX_SAFE_INTEGER}, got '1.5'`);
    expectUsageError(results[2]!, `--api-limit must be an integer between 1 and ${Number.MAX_SAFE_INTEGER}, got '2.5'`);
    expectUsageError(results[3]!, "--port must be an integer between 0 and 65535, got ''");
  });

  it('refuses an option it does not know, naming it', async () => {
    const r = await run(['start', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^local-org: Unknown option '--bogus'/);
    expect(r.stderr.endsWith(USAGE_HINT)).toBe(true);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('start', () => {
  let child: ChildProcess;
  let exit: Promise<Finished>;
  let statePath: string;
  let instanceUrl: string;
  let accessToken: string;
  let banner = '';

  /** A second start, on a port a plain TCP server holds; run alongside the first to save time. */
  let busy: { port: number; statePath: string; result: Promise<Finished>; server: Server };

  beforeAll(async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const busyState = join(tmp, 'busy.json');
    busy = { port, statePath: busyState, server, result: run(['start', '--port', String(port), '--quiet', '--state', busyState]) };

    statePath = join(tmp, 'state.json');
    child = cli(['start', '--port', '0', '--seed', 'demo', '--quiet', '--state', statePath]);
    exit = finished(child);
    // The banner's last line names the state file, written just before it.
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        banner += d.toString();
        if (banner.includes('state file')) resolve();
      });
      void exit.then((r) => reject(new Error(`local-org exited early (${r.code}): ${r.stderr}`)));
    });
    instanceUrl = /instance URL {2}(\S+)/.exec(banner)?.[1] ?? '';
    accessToken = /access token {2}(\S+)/.exec(banner)?.[1] ?? '';
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exit;
    }
    if (busy) {
      await busy.result;
      await new Promise<void>((resolve) => busy.server.close(() => resolve()));
    }
  });

  it('prints the instance URL with the port it really listens on, and a token', async () => {
    expect(instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(instanceUrl).port)).toBeGreaterThan(0);
    const versions = await fetch(`${instanceUrl}/services/data`);
    expect(versions.status).toBe(200);
    expect(((await versions.json()) as { version: string }[]).at(-1)?.version).toBe('65.0');
    expect(accessToken).toMatch(/^00D\w{12}![0-9A-Za-z]{96}$/);
    expect(banner).toContain('  storage       PGlite in memory\n');
    expect(banner).toContain(`  state file    ${statePath} (read by 'local-org context')\n`);
  });

  it('answers fetch and jsforce with the printed token', async () => {
    const res = await fetch(`${instanceUrl}/services/data/v65.0/query?q=${encodeURIComponent("SELECT Name FROM Account WHERE Region__c = 'APAC'")}`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { records: { Name: string }[] }).records.map((r) => r.Name)).toEqual(['Sakura EV Distribution']);
    const conn = new jsforce.Connection({ instanceUrl, accessToken, version: '65.0' });
    expect((await conn.query('SELECT COUNT() FROM Product2')).totalSize).toBe(8);
  });

  it('writes a private state file with the URL and token', () => {
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as Record<string, string>;
    expect(state).toMatchObject({ instanceUrl, accessToken, apiVersion: '65.0', orgId: expect.stringMatching(/^00D\w{15}$/) });
    expect(statSync(statePath).mode & 0o777).toBe(0o600);
  });

  it('prints with `context` an x-client-context for the org that the AppLink SDK accepts', async () => {
    const r = await run(['context', '--state', statePath]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const header = r.stdout.trim();
    const decoded = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as Record<string, unknown>;
    expect(decoded).toMatchObject({
      accessToken,
      apiVersion: '65.0',
      orgDomainUrl: instanceUrl,
      orgId: expect.stringMatching(/^00D\w{15}$/),
      userContext: { userId: expect.stringMatching(/^005\w{15}$/), username: 'integration@ecars.local-org' },
    });
    const { context } = applink.init().salesforce.parseRequest({ 'x-client-context': header }, {}, undefined);
    expect(context.org?.domainUrl).toBe(instanceUrl);
    const accounts = await context.org!.dataApi.query("SELECT Name FROM Account WHERE Region__c = 'EMEA'");
    expect(accounts.records.map((a) => a.fields['name'])).toEqual(['Rhein Mobility GmbH']);
  });

  it('exits 1 with the reason and no stack when its port is taken, and writes no state file', async () => {
    const r = await busy.result;
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`local-org: listen EADDRINUSE: address already in use 127.0.0.1:${busy.port}\n`);
    expect(existsSync(busy.statePath)).toBe(false);
  });

  it('stops on SIGTERM: exit 0, state file removed, port closed', async () => {
    child.kill('SIGTERM');
    const r = await exit;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('local-org: SIGTERM received, stopping\n');
    expect(existsSync(statePath)).toBe(false);
    await expect(fetch(`${instanceUrl}/services/data`)).rejects.toThrow('fetch failed');
  });
});
