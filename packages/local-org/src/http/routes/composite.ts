/** `/composite`, `/composite/graph` and `/composite/sobjects` (sObject Collections). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SalesforceError } from '../../errors.js';
import type { Row } from '../../data/store-types.js';
import type { OrgRuntime } from '../../org-runtime.js';
import { runCollection, runComposite, runCompositeGraph } from '../composite.js';
import { recordBody } from '../sobject-operations.js';
import { apiVersionOf, INTRODUCED_IN } from '../versions.js';
import { batchSizeOf, firstPage } from './query.js';

interface CollectionBody {
  allOrNone?: boolean;
  records?: unknown;
}

/** Records of a collection body with their types (`attributes.type`, required by Salesforce). */
function typedRecords(body: unknown, defaultType?: string): { type: string; record: Row }[] {
  const records = (body as CollectionBody | null)?.records;
  if (!Array.isArray(records)) throw new SalesforceError('JSON_PARSER_ERROR', 'records must be an array', 400);
  return records.map((r: unknown) => {
    const record = (r ?? {}) as Row;
    const type = ((record['attributes'] as { type?: string } | undefined)?.type ?? defaultType) as string | undefined;
    if (!type) {
      throw new SalesforceError('INVALID_FIELD', 'No SObject Type defined in the attributes of the record', 400);
    }
    return { type, record };
  });
}

export async function compositeRoutes(app: FastifyInstance, { org }: { org: OrgRuntime }): Promise<void> {
  const countWritten = (req: FastifyRequest, n: number) => {
    req.recordsWritten = n;
  };

  app.post('/composite/graph', async (req) => {
    apiVersionOf(req, INTRODUCED_IN.compositeGraph);
    const result = (await runCompositeGraph(org, req.body)) as { graphs: { graphResponse: { compositeResponse: unknown[] } }[] };
    countWritten(req, result.graphs.reduce((n, g) => n + g.graphResponse.compositeResponse.length, 0));
    return result;
  });

  app.post('/composite', async (req) => {
    const version = apiVersionOf(req);
    const result = await runComposite(org, req.body, async (url, tx) => {
      const u = new URL(url, 'http://local');
      const queryAll = /\/queryAll\/?$/.test(u.pathname);
      const q = u.searchParams.get('q') ?? '';
      const body = await firstPage(org, q, version, queryAll, batchSizeOf(req.headers['sforce-query-options']), tx.sql);
      return { status: 200, body };
    });
    // Subrequests that may write (not GET) count toward the per-record latency.
    const nodes = (req.body as { compositeRequest?: { method?: unknown }[] } | null)?.compositeRequest ?? [];
    countWritten(req, nodes.filter((n) => String(n?.method ?? '').toUpperCase() !== 'GET').length);
    return result;
  });

  app.post('/composite/sobjects', async (req) => {
    apiVersionOf(req, INTRODUCED_IN.collections);
    const items = typedRecords(req.body);
    countWritten(req, items.length);
    return runCollection(org, 'create', items, (req.body as CollectionBody).allOrNone === true);
  });

  app.patch('/composite/sobjects', async (req) => {
    apiVersionOf(req, INTRODUCED_IN.collections);
    const items = typedRecords(req.body);
    countWritten(req, items.length);
    return runCollection(org, 'update', items, (req.body as CollectionBody).allOrNone === true);
  });

  app.patch<{ Params: { type: string; field: string } }>('/composite/sobjects/:type/:field', async (req) => {
    apiVersionOf(req, INTRODUCED_IN.collections);
    const items = typedRecords(req.body, req.params.type);
    countWritten(req, items.length);
    return runCollection(org, 'upsert', items, (req.body as CollectionBody).allOrNone === true, req.params.field);
  });

  app.delete<{ Querystring: { ids?: string; allOrNone?: string } }>('/composite/sobjects', async (req) => {
    apiVersionOf(req, INTRODUCED_IN.collections);
    const ids = (req.query.ids ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (ids.length === 0) throw new SalesforceError('MISSING_ARGUMENT', 'ids parameter is required', 400);
    countWritten(req, ids.length);
    const items = ids.map((id) => ({ type: org.schema.objectByKeyPrefix(id.slice(0, 3))?.name ?? 'Unknown', record: id }));
    const unknown = items.find((x) => x.type === 'Unknown');
    if (unknown) throw new SalesforceError('MALFORMED_ID', `malformed id ${unknown.record}`, 400);
    return runCollection(org, 'delete', items, req.query.allOrNone === 'true');
  });

  /** The collection retrieve: each id's record with `fields`, null for an id that matches none. */
  const retrieveMany = async (type: string, ids: string[], fields: string[], version: string) => {
    const o = org.store.objectOrThrow(type);
    if (fields.length === 0) throw new SalesforceError('MISSING_ARGUMENT', 'fields parameter is required', 400);
    return Promise.all(
      ids.map(async (id) => {
        const row = await org.store.retrieve(o.name, id).catch(() => undefined);
        return row ? recordBody(org, o.name, row, version, fields) : null;
      }),
    );
  };
  const list = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);

  app.get<{ Params: { type: string }; Querystring: { ids?: string; fields?: string } }>('/composite/sobjects/:type', async (req) =>
    retrieveMany(req.params.type, list(req.query.ids), list(req.query.fields), apiVersionOf(req, INTRODUCED_IN.collections)),
  );

  // The POST form of the same retrieve, for id lists too long for a URL (jsforce's retrieve([ids]) uses it).
  app.post<{ Params: { type: string } }>('/composite/sobjects/:type', async (req) => {
    const version = apiVersionOf(req, INTRODUCED_IN.collections);
    const body = (req.body ?? {}) as { ids?: unknown; fields?: unknown };
    const strings = (v: unknown, name: string): string[] => {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
        throw new SalesforceError('JSON_PARSER_ERROR', `${name} must be an array of strings`, 400);
      }
      return v as string[];
    };
    return retrieveMany(req.params.type, strings(body.ids, 'ids'), strings(body.fields, 'fields'), version);
  });
}
