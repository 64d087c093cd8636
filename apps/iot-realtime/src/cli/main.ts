#!/usr/bin/env node
/**
 * `iot-realtime`: provisioning and maintenance against the app's database (DATABASE_URL, or the
 * PGlite directory when unset — stop a PGlite-backed server first, or use the /admin API, since
 * PGlite belongs to one process). Tokens are printed once and never stored in clear.
 */
import { parseArgs } from 'node:util';
import { cliEnv } from '../config.js';
import { openDatabase, type Database } from '../db/database.js';
import { IotError } from '../errors.js';
import { CredentialStore } from '../services/credentials.js';

const HELP = `Usage: iot-realtime <command> [options]

Vehicles (username = VIN, password = device token):
  vehicles add <VIN>...            provision; prints "VIN TOKEN" once per vehicle
  vehicles revoke <VIN>...         revoke; connected vehicles are disconnected
  vehicles list                    VIN, created, revoked

Service users (backend consumers and tools):
  service-users add <name> [--subscribe <pattern>]... [--publish <pattern>]...
  service-users revoke <name>
  service-users list

Database:
  migrate                          apply pending migrations

Options:
  --json                           machine-readable output
  -h, --help                       this help

Environment: DATABASE_URL (PGlite in PGLITE_DIR when unset), DB_SCHEMA. See .env.example.
`;

class UsageError extends Error {}

async function run(argv: string[], out: (s: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      subscribe: { type: 'string', multiple: true },
      publish: { type: 'string', multiple: true },
    },
  });
  const [group, command, ...args] = positionals;
  if (values.help || !group) {
    out(HELP);
    return;
  }
  const env = cliEnv();
  const db: Database = await openDatabase({ ...(env.databaseUrl ? { url: env.databaseUrl } : { pgliteDir: env.pgliteDir }), schema: env.schema, poolSize: 2 });
  try {
    await db.migrate();
    const store = new CredentialStore(db);
    const print = (rows: object[], text: (r: never) => string) => out(values.json ? JSON.stringify(rows, null, 2) + '\n' : rows.map((r) => text(r as never) + '\n').join(''));
    switch (`${group} ${command ?? ''}`.trim()) {
      case 'migrate':
        out('migrations up to date\n');
        return;
      case 'vehicles add': {
        if (args.length === 0) throw new UsageError('vehicles add needs at least one VIN');
        const rows = [];
        for (const vin of args) rows.push({ vin, token: await store.addVehicle(vin) });
        return print(rows, (r: { vin: string; token: string }) => `${r.vin} ${r.token}`);
      }
      case 'vehicles revoke':
        if (args.length === 0) throw new UsageError('vehicles revoke needs at least one VIN');
        for (const vin of args) await store.revokeVehicle(vin);
        return print(
          args.map((vin) => ({ vin, revoked: true })),
          (r: { vin: string }) => `${r.vin} revoked`,
        );
      case 'vehicles list':
        return print(await store.listVehicles(), (r: { vin: string; createdAt: string; revokedAt: string | null }) => `${r.vin}  created ${r.createdAt}${r.revokedAt ? `  revoked ${r.revokedAt}` : ''}`);
      case 'service-users add': {
        const [name] = args;
        if (!name) throw new UsageError('service-users add needs a name');
        const token = await store.addServiceUser(name, { subscribe: values.subscribe ?? [], publish: values.publish ?? [] });
        return print([{ name, token }], (r: { name: string; token: string }) => `${r.name} ${r.token}`);
      }
      case 'service-users revoke': {
        const [name] = args;
        if (!name) throw new UsageError('service-users revoke needs a name');
        await store.revokeServiceUser(name);
        return print([{ name, revoked: true }], (r: { name: string }) => `${r.name} revoked`);
      }
      case 'service-users list':
        return print(
          await store.listServiceUsers(),
          (r: { name: string; subscribe: string[]; publish: string[]; revokedAt: string | null }) =>
            `${r.name}  subscribe [${r.subscribe.join(', ')}]  publish [${r.publish.join(', ')}]${r.revokedAt ? `  revoked ${r.revokedAt}` : ''}`,
        );
      default:
        throw new UsageError(`unknown command "${positionals.join(' ')}"`);
    }
  } finally {
    await db.close();
  }
}

run(process.argv.slice(2), (s) => process.stdout.write(s)).catch((err: unknown) => {
  if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
    process.stderr.write(`iot-realtime: ${err.message}\nRun iot-realtime --help for usage.\n`);
    process.exit(2);
  }
  const message = err instanceof IotError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  process.stderr.write(`iot-realtime: ${message}\n`);
  process.exit(1);
});
