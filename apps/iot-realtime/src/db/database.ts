/**
 * The database behind credentials and telemetry: PostgreSQL through `pg` when a URL is given,
 * otherwise an embedded PGlite. Both sit behind {@link Database}, so the rest of the app does not
 * care which one it got; only the telemetry writer picks a different bulk path per kind.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { MIGRATIONS } from './migrations.js';

/** Runs SQL; the rows come back as plain objects. */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** The schema holding the tables (also first on the search path). */
  readonly schema: string;
  /** Runs `fn` in one transaction on one connection. */
  transaction<T>(fn: (tx: Queryable & { client?: pg.PoolClient }) => Promise<T>): Promise<T>;
  /** LISTENs on `channel` (prefixed with the schema); returns the function that stops listening. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** NOTIFYs `channel` (prefixed with the schema). */
  notify(channel: string, payload: string): Promise<void>;
  /** Applies pending migrations; returns the versions applied now. */
  migrate(): Promise<number[]>;
  close(): Promise<void>;
}

/** Options of {@link openDatabase}. */
export interface DatabaseOptions {
  /** PostgreSQL URL; PGlite when unset. */
  url?: string;
  /** PGlite data directory, or 'memory://'. @defaultValue 'memory://' */
  pgliteDir?: string;
  /** Schema of the app's tables. @defaultValue 'iot' */
  schema?: string;
  /** Verify the server certificate when the URL asks for TLS. @defaultValue true */
  sslRejectUnauthorized?: boolean;
  /** Pool size on PostgreSQL. @defaultValue 8 */
  poolSize?: number;
}

const SCHEMA_RE = /^[a-z_][a-z0-9_]*$/;

export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const schema = options.schema ?? 'iot';
  if (!SCHEMA_RE.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
  const db = options.url ? openPostgres(options.url, schema, options) : await openPglite(options.pgliteDir ?? 'memory://', schema);
  try {
    await db.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

function openPostgres(url: string, schema: string, options: DatabaseOptions): Database {
  const needsTls = /sslmode=(require|verify|prefer)/.test(url) || options.sslRejectUnauthorized === false;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 8,
    // Every connection resolves the app's tables in its schema first.
    options: `-c search_path=${schema},public`,
    ...(needsTls ? { ssl: { rejectUnauthorized: options.sslRejectUnauthorized ?? true } } : {}),
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const listeners = new Set<pg.Client>();
  let closed = false;
  const db: Database = {
    kind: 'postgres',
    schema,
    async query<R extends object>(sql: string, params?: readonly unknown[]) {
      const r = await pool.query(sql, params as unknown[] | undefined);
      return r.rows as R[];
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx = { client, query: async <R extends object>(sql: string, params?: readonly unknown[]) => (await client.query(sql, params as unknown[] | undefined)).rows as R[] };
        const out = await fn(tx);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload) {
      const client = new pg.Client({ connectionString: url, ...(needsTls ? { ssl: { rejectUnauthorized: options.sslRejectUnauthorized ?? true } } : {}) });
      client.on('error', () => {});
      await client.connect();
      listeners.add(client);
      client.on('notification', (n) => {
        if (n.channel === `${schema}_${channel}`) onPayload(n.payload ?? '');
      });
      await client.query(`LISTEN ${schema}_${channel}`);
      return async () => {
        if (!listeners.delete(client)) return;
        await client.end().catch(() => {});
      };
    },
    async notify(channel, payload) {
      await pool.query('SELECT pg_notify($1, $2)', [`${schema}_${channel}`, payload]);
    },
    migrate: () => migrate(db),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...listeners].map((c) => c.end().catch(() => {})));
      listeners.clear();
      await pool.end();
    },
  };
  return db;
}

async function openPglite(dir: string, schema: string): Promise<Database> {
  const lite = await PGlite.create(dir);
  // PGlite is one connection: set the search path once (the schema may not exist yet; Postgres
  // accepts that and resolves it once created).
  await lite.exec(`SET search_path TO ${schema}, public`);
  let closed = false;
  // One connection means one transaction at a time: queue them so concurrent callers never
  // interleave statements inside another caller's transaction.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => {});
    return run;
  };
  const db: Database = {
    kind: 'pglite',
    schema,
    query: <R extends object>(sql: string, params?: readonly unknown[]) =>
      serial(async () => {
        if (params && params.length > 0) return (await lite.query<R>(sql, params as unknown[])).rows;
        // exec() runs several statements (migrations); the last result's rows are returned.
        const results = await lite.exec(sql);
        return (results.at(-1)?.rows ?? []) as R[];
      }),
    transaction: (fn) =>
      serial(() =>
        lite.transaction(async (tx) =>
          fn({ query: async <R extends object>(sql: string, params?: readonly unknown[]) => (params && params.length > 0 ? (await tx.query<R>(sql, params as unknown[])).rows : ((await tx.exec(sql)).at(-1)?.rows ?? []) as R[]) }),
        ),
      ),
    async listen(channel, onPayload) {
      const unsub = await lite.listen(`${schema}_${channel}`, onPayload);
      return async () => {
        if (!closed) await unsub();
      };
    },
    async notify(channel, payload) {
      await db.query('SELECT pg_notify($1, $2)', [`${schema}_${channel}`, payload]);
    },
    migrate: () => migrate(db),
    async close() {
      if (closed) return;
      closed = true;
      await chain;
      await lite.close();
    },
  };
  return db;
}

async function migrate(db: Database): Promise<number[]> {
  const applied: number[] = [];
  await db.transaction(async (tx) => {
    // Several processes may start at once (broker + persist): one migrates, the others wait.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${db.schema}.migrations`]);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${db.schema}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await tx.query<{ version: number }>(`SELECT version FROM ${db.schema}.schema_migrations`)).map((r) => r.version));
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await tx.query(`SET LOCAL search_path TO ${db.schema}, public`);
      await tx.query(m.sql);
      await tx.query(`INSERT INTO ${db.schema}.schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      applied.push(m.version);
    }
  });
  return applied;
}
