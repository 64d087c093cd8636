/**
 * Where Bulk API data lives: uploaded CSV rows, per-row ingest results and query result lines are
 * rows of three tables, so a 150 MB upload or a 100,000-row result never sits in the heap. Rows are
 * numbered per job from 0 in upload (or result) order, and every read is a keyset page on
 * `(job_id, n)`. Job metadata stays in memory (`job-registry.ts`): the tables are emptied when the
 * org starts, since a job whose metadata is gone cannot be reached.
 */
import type { Database, Sql } from '../storage/database.js';

const DDL = `
CREATE TABLE IF NOT EXISTS _bulk_rows (job_id text NOT NULL, n integer NOT NULL, fields jsonb NOT NULL, PRIMARY KEY (job_id, n));
CREATE TABLE IF NOT EXISTS _bulk_results (job_id text NOT NULL, n integer NOT NULL, ok boolean NOT NULL, sf_id text NOT NULL, created boolean NOT NULL, error text NOT NULL, PRIMARY KEY (job_id, n));
CREATE TABLE IF NOT EXISTS _bulk_query_rows (job_id text NOT NULL, n integer NOT NULL, line text NOT NULL, PRIMARY KEY (job_id, n));
`;

/** The outcome of one ingested row. `error` is already in the `sf__Error` format. */
export interface RowResult {
  ok: boolean;
  id: string;
  created: boolean;
  error: string;
}

/** A stored row with its number. */
export interface StoredRow {
  n: number;
  fields: string[];
}

/** A stored row with its result. */
export interface ResultRow extends StoredRow {
  id: string;
  created: boolean;
  error: string;
}

export class BulkStorage {
  constructor(private readonly db: Database) {}

  /** Creates the tables and drops leftovers of a previous run (their jobs are unknown now). */
  async initialize(): Promise<void> {
    await this.db.exec(DDL);
    await this.truncate();
  }

  async truncate(): Promise<void> {
    await this.db.exec('TRUNCATE _bulk_rows, _bulk_results, _bulk_query_rows');
  }

  /** Stores uploaded rows `first`, `first + 1`, … of a job (one statement, whatever the count). */
  async insertRows(jobId: string, first: number, rows: string[][]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO _bulk_rows (job_id, n, fields)
       SELECT $1, $2 + x.i - 1, x.f FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS x(f, i)`,
      [jobId, first, JSON.stringify(rows)],
    );
  }

  /** Uploaded rows with numbers in [from, to). */
  async readRows(jobId: string, from: number, to: number, sql: Sql = this.db): Promise<StoredRow[]> {
    const r = await sql.query<{ n: number; fields: string[] }>(
      'SELECT n, fields FROM _bulk_rows WHERE job_id = $1 AND n >= $2 AND n < $3 ORDER BY n',
      [jobId, from, to],
    );
    return r.rows;
  }

  /** Stores the results of rows `first`, `first + 1`, …; run inside the batch's transaction. */
  async insertResults(sql: Sql, jobId: string, first: number, results: RowResult[]): Promise<void> {
    if (results.length === 0) return;
    await sql.query(
      `INSERT INTO _bulk_results (job_id, n, ok, sf_id, created, error)
       SELECT $1, $2 + x.i - 1, (x.r->>'ok')::boolean, x.r->>'id', (x.r->>'created')::boolean, x.r->>'error'
       FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS x(r, i)`,
      [jobId, first, JSON.stringify(results)],
    );
  }

  /** A page of successful (`ok`) or failed rows after row number `after`, with their uploaded fields. */
  async readResults(jobId: string, ok: boolean, after: number, limit: number): Promise<ResultRow[]> {
    const r = await this.db.query<{ n: number; fields: string[]; sf_id: string; created: boolean; error: string }>(
      `SELECT x.n, r.fields, x.sf_id, x.created, x.error
       FROM _bulk_results x JOIN _bulk_rows r ON r.job_id = x.job_id AND r.n = x.n
       WHERE x.job_id = $1 AND x.ok = $2 AND x.n > $3 ORDER BY x.n LIMIT $4`,
      [jobId, ok, after, limit],
    );
    return r.rows.map((row) => ({ n: row.n, fields: row.fields, id: row.sf_id, created: row.created, error: row.error }));
  }

  /** Stores query result lines `first`, `first + 1`, … (CSV text, line ending included). */
  async insertQueryLines(jobId: string, first: number, lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    await this.db.query(
      `INSERT INTO _bulk_query_rows (job_id, n, line)
       SELECT $1, $2 + x.i - 1, x.l FROM jsonb_array_elements_text($3::jsonb) WITH ORDINALITY AS x(l, i)`,
      [jobId, first, JSON.stringify(lines)],
    );
  }

  /** Result lines with numbers in [from, from + count). */
  async readQueryLines(jobId: string, from: number, count: number): Promise<string[]> {
    const r = await this.db.query<{ line: string }>(
      'SELECT line FROM _bulk_query_rows WHERE job_id = $1 AND n >= $2 AND n < $3 ORDER BY n',
      [jobId, from, from + count],
    );
    return r.rows.map((x) => x.line);
  }

  /** Everything stored for a job. */
  async deleteJob(jobId: string): Promise<void> {
    for (const table of ['_bulk_rows', '_bulk_results', '_bulk_query_rows']) {
      await this.db.query(`DELETE FROM ${table} WHERE job_id = $1`, [jobId]);
    }
  }
}
