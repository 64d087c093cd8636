/**
 * The storage behind the org: embedded PGlite (default, in memory or in a data directory) or a
 * PostgreSQL server. Both speak the same SQL and are reached through this one small interface,
 * so composite graphs and allOrNone collections are real database transactions either way.
 *
 * Values come back wire-ready whatever the backend: numerics as JS numbers, `date` as
 * `YYYY-MM-DD`, `timestamptz` as Salesforce's `2024-01-15T10:30:00.000+0000`.
 */
import { randomBytes } from 'node:crypto';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import pg from 'pg';

/** Result of one statement. */
export interface QueryResult<T> {
  rows: T[];
  /** Rows inserted/updated/deleted by a DML statement. */
  affectedRows: number;
}

/** A connection, or a transaction on one. */
export interface Sql {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Several statements without parameters (DDL). */
  exec(sql: string): Promise<void>;
}

/** The database of one local org. */
export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Where the data lives. */
export interface DatabaseOptions {
  /**
   * PostgreSQL connection string. When set, the org keeps its tables in their own schema of that
   * database (`schema`), so several orgs and test runs can share one server.
   */
  databaseUrl?: string;
  /** Schema name inside `databaseUrl`. @defaultValue a fresh `local_org_<random>` */
  schema?: string;
  /** Drop the schema on close (test runs). @defaultValue true when `schema` was generated */
  dropSchemaOnClose?: boolean;
  /** PGlite data directory; unset = in memory. Ignored with `databaseUrl`. */
  dataDir?: string;
}

const OID = { INT8: 20, NUMERIC: 1700, FLOAT8: 701, DATE: 1082, TIMESTAMP: 1114, TIMESTAMPTZ: 1184 } as const;

/** `2024-01-15 10:30:00.123+00` (UTC session) → `2024-01-15T10:30:00.123+0000`. */
export function toSalesforceDateTime(text: string): string {
  const iso = new Date(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();
  return `${iso.slice(0, 23)}+0000`;
}

const parsers: Record<number, (text: string) => unknown> = {
  [OID.INT8]: (t) => Number(t),
  [OID.NUMERIC]: (t) => Number(t),
  [OID.FLOAT8]: (t) => Number(t),
  [OID.DATE]: (t) => t,
  [OID.TIMESTAMP]: (t) => toSalesforceDateTime(`${t}+00`),
  [OID.TIMESTAMPTZ]: (t) => toSalesforceDateTime(t),
};

/** Opens the database described by `options`. */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options.dataDir);
}

async function openPglite(dataDir?: string): Promise<Database> {
  const db = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    parsers: Object.fromEntries(Object.entries(parsers).map(([k, f]) => [Number(k), f])),
  });
  await db.exec(`SET TIME ZONE 'UTC'`);
  const wrap = (q: PGlite | Transaction): Sql => ({
    async query<T>(sql: string, params: unknown[] = []) {
      const r = await q.query<T>(sql, params);
      return { rows: r.rows, affectedRows: r.affectedRows ?? 0 };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: () => db.close(),
  };
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const schema = options.schema ?? `local_org_${randomBytes(6).toString('hex')}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
  const dropOnClose = options.dropSchemaOnClose ?? options.schema === undefined;
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: { getTypeParser: ((oid: number, format?: string) => parsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser },
    // synchronous_commit=off: a commit does not wait for its WAL flush. A local org is a
    // development and test double; losing its last few hundred milliseconds of writes when the
    // database server itself crashes is acceptable, waiting for an fsync per transaction (every
    // REST write is one) is not. Other sessions of the same server keep their own setting.
    options: `-c search_path=${schema} -c TimeZone=UTC -c synchronous_commit=off`,
  });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const wrap = (c: pg.Pool | pg.PoolClient): Sql => ({
    async query<T>(sql: string, params: unknown[] = []) {
      const r = await c.query(sql, params);
      return { rows: r.rows as T[], affectedRows: r.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await c.query(sql);
    },
  });
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      if (dropOnClose) await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await pool.end();
    },
  };
}
