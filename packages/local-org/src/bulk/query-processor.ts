/**
 * Bulk API 2.0 query jobs: the query is checked when the job is created (syntax, names, and the
 * SOQL features Bulk API 2.0 refuses), then run in the background; its rows are turned into CSV
 * lines with one column per selected field (`Account.Name` for parent paths) and stored for paging.
 *
 * Values are written as result files show them: null as an empty field, booleans `true`/`false`,
 * numbers as decimals, dates `YYYY-MM-DD`, date-times `2024-01-15T10:30:00.000Z`.
 */
import type { Query } from 'soql-parser-js';
import { compileSoql, executeSoql, type SoqlRecord } from '../soql/index.js';
import type { OutNode } from '../soql/compile.js';
import { parseSoql } from '../soql/parse.js';
import type { OrgRuntime } from '../org-runtime.js';
import { bulkErrors } from './bulk-errors.js';
import type { BulkStorage } from './bulk-storage.js';
import type { BulkUsage } from './bulk-usage.js';
import { csvLines } from './csv-dialect.js';
import type { QueryJob, QueryOperation } from './types.js';

/** Result lines per stored chunk. */
const CHUNK_ROWS = 5_000;
const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);

/** What a valid bulk query reads. */
export interface QueryPlan {
  /** The FROM object as the schema spells it. */
  object: string;
  /** One path per output column (`['Account', 'Name']`). */
  paths: string[][];
}

/** Refuses what Bulk API 2.0 does not run: GROUP BY, OFFSET, TYPEOF, aggregates, FIELDS(), child subqueries. */
function checkBulkFeatures(query: Query): void {
  if (query.groupBy !== undefined || query.having !== undefined) {
    throw bulkErrors.unsupportedQuery('FeatureNotEnabled : GROUP BY is not supported by Bulk API 2.0 query');
  }
  if (query.offset !== undefined) throw bulkErrors.unsupportedQuery('FeatureNotEnabled : OFFSET is not supported by Bulk API 2.0 query');
  for (const f of query.fields ?? []) {
    if (f.type === 'FieldSubquery') {
      throw bulkErrors.unsupportedQuery('Aggregate Relationships not supported in Bulk V2 Query with CSV content type');
    }
    if (f.type === 'FieldTypeof') throw bulkErrors.unsupportedQuery('FeatureNotEnabled : TYPEOF is not supported by Bulk API 2.0 query');
    if (f.type === 'FieldFunctionExpression') {
      const name = f.functionName.toUpperCase();
      if (AGGREGATES.has(name)) {
        throw bulkErrors.unsupportedQuery(`FeatureNotEnabled : Aggregate functions such as ${name}() are not supported by Bulk API 2.0 query`);
      }
      if (name === 'FIELDS') throw bulkErrors.unsupportedQuery('FeatureNotEnabled : FIELDS() is not supported by Bulk API 2.0 query');
    }
  }
}

function columnPaths(nodes: OutNode[], prefix: string[] = []): string[][] {
  return nodes.flatMap((node) => {
    if (node.kind === 'field') return [[...prefix, node.key]];
    if (node.kind === 'parent') return columnPaths(node.nodes, [...prefix, node.key]);
    return [];
  });
}

/**
 * Checks `soql` as job creation does and returns what it reads.
 * @throws SalesforceError MALFORMED_QUERY, INVALID_TYPE, INVALID_FIELD… from the SOQL engine, or
 * API_ERROR for a feature Bulk API 2.0 does not support.
 */
export function planQuery(org: Pick<OrgRuntime, 'schema'>, soql: string, operation: QueryOperation): QueryPlan {
  const query = parseSoql(soql);
  checkBulkFeatures(query);
  const compiled = compileSoql({ schema: org.schema }, soql, { includeDeleted: operation === 'queryAll' });
  if (compiled.kind !== 'records') {
    throw bulkErrors.unsupportedQuery('FeatureNotEnabled : Aggregate queries are not supported by Bulk API 2.0 query');
  }
  return { object: compiled.shape.type, paths: columnPaths(compiled.shape.nodes) };
}

const DATETIME_UTC = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})\+0000$/;

/** A stored value as result CSV text. */
export function csvValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const m = DATETIME_UTC.exec(value);
    return m ? `${m[1]}Z` : value;
  }
  return JSON.stringify(value);
}

function valueAt(record: SoqlRecord, path: string[]): unknown {
  let current: unknown = record;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return null;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export interface QueryRunContext {
  org: Pick<OrgRuntime, 'schema' | 'db' | 'userId'>;
  storage: BulkStorage;
  usage: BulkUsage;
  /** False once the job was aborted, deleted or reset away. */
  stillRunning: () => boolean;
}

/** Runs a query job in state InProgress and stores its result lines; the caller sets the end state. */
export async function runQueryJob(ctx: QueryRunContext, job: QueryJob): Promise<void> {
  const started = performance.now();
  const paths = job.columns.map((c) => c.split('.'));
  try {
    const result = await executeSoql(
      { schema: ctx.org.schema, sql: ctx.org.db, apiVersion: job.apiVersion, userId: ctx.org.userId },
      job.query,
      { includeDeleted: job.operation === 'queryAll' },
    );
    for (let first = 0; first < result.records.length; first += CHUNK_ROWS) {
      await new Promise((resolve) => setImmediate(resolve));
      if (!ctx.stillRunning()) return;
      const lines = result.records
        .slice(first, first + CHUNK_ROWS)
        .map((record) => csvLines(job, [paths.map((p) => csvValue(valueAt(record, p)))]));
      await ctx.storage.insertQueryLines(job.id, first, lines);
      ctx.usage.addQueryBytes(lines.reduce((n, l) => n + Buffer.byteLength(l), 0));
      job.rows += lines.length;
    }
  } finally {
    job.processingMs += Math.round(performance.now() - started);
  }
}
