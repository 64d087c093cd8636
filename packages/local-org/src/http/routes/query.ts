/** `/query` and `/queryAll` with `Sforce-Query-Options: batchSize=N`, and their locators. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SalesforceError } from '../../errors.js';
import type { OrgRuntime } from '../../org-runtime.js';
import { executeSoql } from '../../soql/index.js';
import type { Sql } from '../../storage/database.js';
import { apiVersionOf } from '../versions.js';
import { notSupported } from './unsupported.js';

/** `batchSize=N` from the `Sforce-Query-Options` header (Salesforce clamps to 200..2000). */
export function batchSizeOf(header: string | string[] | undefined): number {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const m = /batchSize\s*=\s*(\d+)/i.exec(text);
  return m ? Number(m[1]) : 2000;
}

/** Runs `soql` and answers with its first page (shared with `/composite` query subrequests). */
export async function firstPage(
  org: OrgRuntime,
  soql: string,
  version: string,
  queryAll: boolean,
  batchSize: number,
  sql: Sql = org.db,
) {
  const result = await executeSoql(
    { schema: org.schema, sql, apiVersion: version, userId: org.userId },
    soql,
    { includeDeleted: queryAll },
  );
  return org.cursors.firstPage(result, batchSize, version, queryAll);
}

export async function queryRoutes(app: FastifyInstance, { org }: { org: OrgRuntime }): Promise<void> {
  for (const resource of ['query', 'queryAll'] as const) {
    const queryAll = resource === 'queryAll';
    app.get(`/${resource}`, async (req: FastifyRequest<{ Querystring: { q?: string; explain?: string } }>) => {
      if (req.query.explain !== undefined) throw notSupported('The query plan (explain)');
      const q = req.query.q;
      if (!q || q.trim() === '') {
        throw new SalesforceError('MALFORMED_QUERY', 'A query string has to be specified', 400);
      }
      return firstPage(org, q, apiVersionOf(req), queryAll, batchSizeOf(req.headers['sforce-query-options']));
    });
    app.get(`/${resource}/:locator`, async (req: FastifyRequest<{ Params: { locator: string }; Querystring: { explain?: string } }>) => {
      apiVersionOf(req);
      // jsforce asks for plans as `/query/?explain=…` (the trailing slash reads as an empty locator).
      if (req.query.explain !== undefined) throw notSupported('The query plan (explain)');
      return org.cursors.nextPage(req.params.locator);
    });
  }
}
