/**
 * `local-org`: run a local Salesforce org from the command line.
 *
 *   local-org start [options]   start an org and print its instance URL and access token
 *   local-org context           print an x-client-context header value for the running org
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readCliEnvironment } from './config.js';
import type { FaultKind } from './faults/index.js';
import type { LocalOrgOptions } from './start-local-org.js';

const HELP = `local-org — a local Salesforce org for development and tests

Usage:
  local-org start [options]     start an org; prints its instance URL and access token
  local-org context [--state F] print a ready x-client-context value (base64 JSON) for it
  local-org --help

Options of start:
  --port N                 TCP port (0 = any free port)            [default: 6565]
  --host H                 interface to listen on                  [default: 127.0.0.1]
  --data-dir DIR           keep the org in a PGlite data directory  [default: in memory]
  --database-url URL       keep it in PostgreSQL instead (or DATABASE_URL)
  --seed demo|none         load demo data (accounts, products, vehicles, leads, a case)
  --access-token T         use this access token                   [default: random]
  --latency-ms N           fixed latency per API call
  --latency-per-record-ms N  extra latency per record written
  --fault-rate P           probability 0..1 that an API call faults
  --faults K,K             fault kinds: 503,REQUEST_LIMIT_EXCEEDED,UNABLE_TO_LOCK_ROW,reset,applied-reset
  --fault-seed N           seed of the fault draws (repeatable runs)
  --api-limit N            daily API request limit
  --cdc E,E                enable Change Data Capture for more entities
  --state FILE             where start writes, and context reads, the org's URL and token
                                                                   [default: .local-org/state.json]
  --quiet                  no request log

Environment: DATABASE_URL, LOCAL_ORG_PORT, LOG_LEVEL.
`;

const FAULT_KINDS: FaultKind[] = ['503', 'REQUEST_LIMIT_EXCEEDED', 'UNABLE_TO_LOCK_ROW', 'reset', 'applied-reset'];

function fail(message: string): never {
  process.stderr.write(`local-org: ${message}\nRun 'local-org --help' for usage.\n`);
  process.exit(2);
}

/** `value` as a number within [min, max] (a whole one when `integer`), else a usage error (exit 2). */
function number(name: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const kind = integer ? 'an integer' : 'a number';
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    fail(`--${name} must be ${kind} between ${min} and ${max}, got '${value}'`);
  }
  return n;
}

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'database-url': { type: 'string' },
        seed: { type: 'string' },
        'access-token': { type: 'string' },
        'latency-ms': { type: 'string' },
        'latency-per-record-ms': { type: 'string' },
        'fault-rate': { type: 'string' },
        faults: { type: 'string' },
        'fault-seed': { type: 'string' },
        'api-limit': { type: 'string' },
        cdc: { type: 'string' },
        state: { type: 'string' },
        quiet: { type: 'boolean' },
      },
    });
  } catch (e) {
    fail((e as Error).message);
  }
  const { values: v, positionals } = parsed;
  const command = positionals[0];
  if (v.help || command === undefined || command === 'help') {
    process.stdout.write(HELP);
    return;
  }
  const env = readCliEnvironment();
  // Relative to where the user ran the command (see CliEnvironment.invokedFrom).
  const statePath = resolve(env.invokedFrom, v.state ?? '.local-org/state.json');

  if (command === 'context') {
    let state: { clientContext?: string };
    try {
      state = JSON.parse(readFileSync(statePath, 'utf8')) as { clientContext?: string };
    } catch {
      fail(`no running org found (${statePath} is missing); start one with 'local-org start'`);
    }
    if (!state.clientContext) fail(`${statePath} has no clientContext`);
    process.stdout.write(`${state.clientContext}\n`);
    return;
  }
  if (command !== 'start') fail(`unknown command '${command}'`);

  const seed = v.seed ?? 'none';
  if (seed !== 'demo' && seed !== 'none') fail(`--seed must be 'demo' or 'none', got '${seed}'`);
  const faults = v.faults?.split(',').map((s) => s.trim()) as FaultKind[] | undefined;
  const badFault = faults?.find((f) => !FAULT_KINDS.includes(f));
  if (badFault) fail(`unknown fault kind '${badFault}' (known: ${FAULT_KINDS.join(', ')})`);
  if (v['data-dir'] && (v['database-url'] ?? env.databaseUrl)) {
    fail('use either --data-dir or --database-url, not both');
  }

  const options: LocalOrgOptions = {
    port: number('port', v.port ?? env.port ?? '6565', 0, 65535, true) ?? 6565,
    host: v.host ?? '127.0.0.1',
    seed,
    logger: v.quiet ? false : { level: env.logLevel },
  };
  const databaseUrl = v['database-url'] ?? env.databaseUrl;
  if (databaseUrl) {
    options.databaseUrl = databaseUrl;
    options.databaseSchema = 'local_org';
  }
  if (v['data-dir']) options.dataDir = resolve(v['data-dir']);
  if (v['access-token']) options.accessToken = v['access-token'];
  const set = <K extends keyof LocalOrgOptions>(k: K, value: LocalOrgOptions[K] | undefined) => {
    if (value !== undefined) options[k] = value;
  };
  set('latencyMs', number('latency-ms', v['latency-ms'], 0));
  set('latencyPerRecordMs', number('latency-per-record-ms', v['latency-per-record-ms'], 0));
  set('faultRate', number('fault-rate', v['fault-rate'], 0, 1));
  set('faultSeed', number('fault-seed', v['fault-seed'], 0, Number.MAX_SAFE_INTEGER, true));
  set('apiLimit', number('api-limit', v['api-limit'], 1, Number.MAX_SAFE_INTEGER, true));
  set('faults', faults);
  set('cdcEntities', v.cdc?.split(',').map((s) => s.trim()).filter(Boolean));

  // Loaded only to start: --help, usage errors and `context` answer without loading the org
  // (Fastify, PGlite, the schema), in a fraction of the time.
  const { startLocalOrg } = await import('./start-local-org.js');
  const org = await startLocalOrg(options);
  mkdirSync(dirname(statePath), { recursive: true });
  writeFileSync(
    statePath,
    JSON.stringify({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: org.apiVersion, orgId: org.orgId, clientContext: org.clientContext() }, null, 2),
    { mode: 0o600 },
  );
  process.stdout.write(
    [
      `local-org is running`,
      `  instance URL  ${org.instanceUrl}`,
      `  access token  ${org.accessToken}`,
      `  org id        ${org.orgId}`,
      `  user          ${org.username}`,
      `  API version   ${org.apiVersion}`,
      `  storage       ${options.databaseUrl ? 'PostgreSQL (schema local_org)' : options.dataDir ? `PGlite ${options.dataDir}` : 'PGlite in memory'}`,
      `  state file    ${statePath} (read by 'local-org context')`,
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`local-org: ${signal} received, stopping\n`);
    rmSync(statePath, { force: true });
    await org.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`local-org: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
