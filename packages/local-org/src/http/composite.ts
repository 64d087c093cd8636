/**
 * The composite resources:
 * - `/composite/graph`: up to 75 graphs and 500 nodes per payload; each graph is one database
 *   transaction, all or none. When a node fails, that node answers with its real error and every
 *   other node of the graph with PROCESSING_HALTED; after 14 failed graphs the rest are halted.
 * - `/composite`: up to 25 subrequests with references, optionally all or none.
 * - `/composite/sobjects`: sObject Collections, up to 200 records, `allOrNone` choice.
 */
import { SalesforceError, errors } from '../errors.js';
import type { Row, WriteResult, WriteTx } from '../data/store-types.js';
import type { OrgRuntime } from '../org-runtime.js';
import { enqueuedStatus, isPlatformEvent, publishPlatformEvents, type PublishResult } from '../streaming/index.js';
import { runGraphsBatched } from './graph-batch.js';
import { dispatchSObjectRequest, type RestResponse } from './sobject-operations.js';
import { okResult, referencedIds, resolve, type Subrequest, type SubResult } from './composite-references.js';

/** Salesforce's documented composite graph limits. */
export const GRAPH_LIMITS = {
  graphsPerPayload: 75,
  nodesPerPayload: 500,
  nodesPerGraph: 500,
  depth: 15,
  distinctNodeTypes: 15,
  failedGraphs: 14,
} as const;

/** Salesforce's limit on `/composite` subrequests. */
export const COMPOSITE_MAX_SUBREQUESTS = 25;
/** Salesforce's limit on sObject Collections records per call. */
export const COLLECTION_MAX_RECORDS = 200;

const REFERENCE_ID = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

const invalid = (message: string) => new SalesforceError('INVALID_REQUEST', message, 400);
const limit = (message: string) => new SalesforceError('LIMIT_EXCEEDED', message, 400);

function haltedResult(referenceId: string): SubResult {
  return { body: [errors.processingHalted().toJSON()], httpHeaders: {}, httpStatusCode: 400, referenceId };
}

function errorResult(referenceId: string, e: SalesforceError): SubResult {
  return { body: [e.toJSON()], httpHeaders: {}, httpStatusCode: e.status, referenceId };
}

function parseSubrequests(raw: unknown, where: string): Subrequest[] {
  if (!Array.isArray(raw) || raw.length === 0) throw invalid(`${where} must be a non-empty array`);
  const seen = new Set<string>();
  return raw.map((n: unknown, k) => {
    const node = (n ?? {}) as Record<string, unknown>;
    const { method, url, referenceId } = node;
    if (typeof method !== 'string' || typeof url !== 'string' || typeof referenceId !== 'string') {
      throw invalid(`${where}[${k}] needs method, url and referenceId`);
    }
    if (!REFERENCE_ID.test(referenceId)) throw invalid(`Invalid referenceId: ${referenceId}`);
    if (seen.has(referenceId)) throw invalid(`Duplicate referenceId provided in the request: ${referenceId}`);
    seen.add(referenceId);
    return { method, url, referenceId, body: node['body'] };
  });
}

/** Nodes' dependency depth (a node referencing nothing has depth 1). */
function graphDepth(nodes: Subrequest[]): number {
  const depth = new Map<string, number>();
  let max = 0;
  for (const n of nodes) {
    let d = 1;
    for (const ref of referencedIds([n.url, n.body ?? null])) d = Math.max(d, (depth.get(ref) ?? 0) + 1);
    depth.set(n.referenceId, d);
    max = Math.max(max, d);
  }
  return max;
}

/** The node type key used by the "15 different nodes" limit: version, method and object. */
function nodeType(n: Subrequest): string {
  const m = /^\/services\/data\/(v[\d.]+)\/sobjects\/([A-Za-z0-9_]+)/.exec(n.url);
  return `${m?.[1] ?? ''} ${n.method.toUpperCase()} ${(m?.[2] ?? n.url).toLowerCase()}`;
}

/**
 * Runs subrequests in order inside `tx`, resolving references; on the first failure stops and
 * returns its index and error.
 */
async function runInTx(
  org: OrgRuntime,
  tx: WriteTx,
  nodes: Subrequest[],
  dispatch: (tx: WriteTx, method: string, url: string, body: unknown) => Promise<RestResponse>,
): Promise<{ results: SubResult[]; failedAt?: number; error?: SalesforceError }> {
  const bodies = new Map<string, unknown>();
  const results: SubResult[] = [];
  for (const [k, node] of nodes.entries()) {
    try {
      const url = resolve(node.url, bodies) as string;
      const body = node.body === undefined ? undefined : resolve(node.body, bodies);
      const r = await dispatch(tx, node.method, url, body);
      bodies.set(node.referenceId, r.body);
      results.push(okResult(node.referenceId, r));
    } catch (e) {
      if (!(e instanceof SalesforceError)) throw e;
      return { results, failedAt: k, error: e };
    }
  }
  return { results };
}

/** Thrown inside a transaction to roll it back while keeping the failing node's details. */
class Rollback extends Error {
  constructor(readonly failedAt: number, readonly error: SalesforceError) {
    super('rollback');
  }
}

/** POST /composite/graph */
export async function runCompositeGraph(org: OrgRuntime, payload: unknown): Promise<unknown> {
  const graphsRaw = (payload as { graphs?: unknown } | null)?.graphs;
  if (!Array.isArray(graphsRaw) || graphsRaw.length === 0) throw invalid('graphs must be a non-empty array');
  if (graphsRaw.length > GRAPH_LIMITS.graphsPerPayload) {
    throw limit(`The number of graphs in the request exceeds the maximum of ${GRAPH_LIMITS.graphsPerPayload}.`);
  }
  const ids = new Set<string>();
  const graphs = graphsRaw.map((g: unknown, k) => {
    const graph = (g ?? {}) as Record<string, unknown>;
    const graphId = graph['graphId'];
    if (typeof graphId !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_]{0,39}$/.test(graphId)) {
      throw invalid(`graphs[${k}].graphId must start with an alphanumeric character and be at most 40 characters`);
    }
    if (ids.has(graphId)) throw invalid(`Duplicate graphId: ${graphId}`);
    ids.add(graphId);
    const nodes = parseSubrequests(graph['compositeRequest'], `graphs[${k}].compositeRequest`);
    if (nodes.length > GRAPH_LIMITS.nodesPerGraph) {
      throw limit(`Graph ${graphId} has ${nodes.length} nodes; the maximum is ${GRAPH_LIMITS.nodesPerGraph}.`);
    }
    if (graphDepth(nodes) > GRAPH_LIMITS.depth) {
      throw limit(`Graph ${graphId} is deeper than the maximum depth of ${GRAPH_LIMITS.depth}.`);
    }
    return { graphId, nodes };
  });
  const total = graphs.reduce((n, g) => n + g.nodes.length, 0);
  if (total > GRAPH_LIMITS.nodesPerPayload) {
    throw limit(`The request has ${total} nodes; the maximum number of nodes in one payload is ${GRAPH_LIMITS.nodesPerPayload}.`);
  }
  const types = new Set(graphs.flatMap((g) => g.nodes.map(nodeType)));
  if (types.size > GRAPH_LIMITS.distinctNodeTypes) {
    throw limit(`The request uses ${types.size} different node types; the maximum is ${GRAPH_LIMITS.distinctNodeTypes}.`);
  }

  // Payloads of creates only (every batch write) take the batched path; it answers undefined when
  // the payload is not eligible or a node failed, and then each graph runs alone, node by node.
  const batched = total > 1 ? await runGraphsBatched(org, graphs) : undefined;
  if (batched) {
    return { graphs: graphs.map(({ graphId }, k) => ({ graphId, graphResponse: { compositeResponse: batched[k]! }, isSuccessful: true })) };
  }
  const dispatch = (tx: WriteTx, method: string, url: string, body: unknown) => dispatchSObjectRequest(org, tx, method, url, body);
  let failed = 0;
  const out = [];
  for (const { graphId, nodes } of graphs) {
    if (failed >= GRAPH_LIMITS.failedGraphs) {
      out.push({ graphId, graphResponse: { compositeResponse: nodes.map((n) => haltedResult(n.referenceId)) }, isSuccessful: false });
      continue;
    }
    try {
      const results = await org.store.transaction(async (tx) => {
        const r = await runInTx(org, tx, nodes, dispatch);
        if (r.error !== undefined) throw new Rollback(r.failedAt ?? 0, r.error);
        return r.results;
      });
      out.push({ graphId, graphResponse: { compositeResponse: results }, isSuccessful: true });
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
      failed++;
      const compositeResponse = nodes.map((n, k) => (k === e.failedAt ? errorResult(n.referenceId, e.error) : haltedResult(n.referenceId)));
      out.push({ graphId, graphResponse: { compositeResponse }, isSuccessful: false });
    }
  }
  return { graphs: out };
}

/**
 * POST /composite. `query` is how a subrequest runs SOQL (`GET …/query?q=`); the route supplies it
 * so this module stays free of the query engine. It must read through `tx`: on PGlite a read on
 * the database itself would wait for the open transaction forever.
 */
export async function runComposite(
  org: OrgRuntime,
  payload: unknown,
  query: (url: string, tx: WriteTx) => Promise<RestResponse>,
): Promise<unknown> {
  const p = (payload ?? {}) as Record<string, unknown>;
  const nodes = parseSubrequests(p['compositeRequest'], 'compositeRequest');
  if (nodes.length > COMPOSITE_MAX_SUBREQUESTS) {
    throw limit(`Maximum of ${COMPOSITE_MAX_SUBREQUESTS} subrequests allowed in a composite request`);
  }
  const allOrNone = p['allOrNone'] === true;
  const dispatch = (tx: WriteTx, method: string, url: string, body: unknown) =>
    /^\/services\/data\/v[\d.]+\/query(All)?\/?\?/.test(url) && method.toUpperCase() === 'GET'
      ? query(url, tx)
      : dispatchSObjectRequest(org, tx, method, url, body);

  if (allOrNone) {
    try {
      const results = await org.store.transaction(async (tx) => {
        const r = await runInTx(org, tx, nodes, dispatch);
        if (r.error !== undefined) throw new Rollback(r.failedAt ?? 0, r.error);
        return r.results;
      });
      return { compositeResponse: results };
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
      return {
        compositeResponse: nodes.map((n, k) => (k === e.failedAt ? errorResult(n.referenceId, e.error) : haltedResult(n.referenceId))),
      };
    }
  }
  // Not all-or-none: each subrequest commits on its own; one that references a failed one fails.
  // Reads (GET) run outside any write transaction, so they do not queue behind the org's writes.
  const bodies = new Map<string, unknown>();
  const results: SubResult[] = [];
  for (const node of nodes) {
    try {
      const run = async (tx: WriteTx) => {
        const url = resolve(node.url, bodies) as string;
        const body = node.body === undefined ? undefined : resolve(node.body, bodies);
        return dispatch(tx, node.method, url, body);
      };
      const r = node.method.toUpperCase() === 'GET' ? await run(readOnlyTx(org)) : await org.store.transaction(run);
      bodies.set(node.referenceId, r.body);
      results.push(okResult(node.referenceId, r));
    } catch (e) {
      if (!(e instanceof SalesforceError)) throw e;
      results.push(errorResult(node.referenceId, e));
    }
  }
  return { compositeResponse: results };
}

/** What a read needs of a transaction: the database itself (a read never writes or logs changes). */
function readOnlyTx(org: OrgRuntime): WriteTx {
  return { sql: org.db, transactionKey: '', now: new Date().toISOString(), changes: [], created: new Set(), beforeCommit: [], afterCommit: [] };
}

interface CollectionOutcome {
  id: string | null;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
  created?: boolean;
}

const rolledBack = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [] as string[],
};

/**
 * Runs an sObject Collections operation. Records are processed in runs of one type (as Salesforce
 * chunks them); with allOrNone one failure rolls everything back and every other record reports
 * ALL_OR_NONE_OPERATION_ROLLED_BACK.
 */
export async function runCollection(
  org: OrgRuntime,
  op: 'create' | 'update' | 'delete' | 'upsert',
  items: { type: string; record: Row | string }[],
  allOrNone: boolean,
  externalIdField?: string,
): Promise<CollectionOutcome[]> {
  if (items.length > COLLECTION_MAX_RECORDS) {
    throw new SalesforceError('EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${COLLECTION_MAX_RECORDS} records into this call`, 400);
  }
  const work = async (tx: WriteTx): Promise<PublishResult[]> => {
    const results: PublishResult[] = [];
    let start = 0;
    while (start < items.length) {
      const type = items[start]!.type;
      let end = start;
      while (end < items.length && items[end]!.type === type) end++;
      const run = items.slice(start, end).map((x) => x.record);
      const r =
        op === 'create'
          ? isPlatformEvent(org.schema.object(type))
            ? publishPlatformEvents(org, tx, type, run)
            : await org.store.create(tx, type, run as Row[])
          : op === 'update'
            ? await org.store.update(tx, type, run as Row[])
            : op === 'upsert'
              ? await org.store.upsert(tx, type, externalIdField ?? 'Id', run as Row[])
              : await org.store.remove(tx, type, run as string[]);
      results.push(...r);
      start = end;
    }
    if (allOrNone && results.some((r) => !r.ok)) throw new CollectionRollback(results);
    return results;
  };
  let results: PublishResult[];
  let rolled = false;
  try {
    results = await org.store.transaction(work);
  } catch (e) {
    if (!(e instanceof CollectionRollback)) throw e;
    results = e.results;
    rolled = true;
  }
  // Upsert results carry `created` on every row, failed and rolled-back ones included: whether
  // the record was (or, failed, would have been) inserted rather than matched.
  const created = (value: boolean | undefined) => (op === 'upsert' ? { created: value ?? false } : {});
  return results.map((r) => {
    if (!r.ok) return { id: r.id ?? null, success: false, errors: [r.error.toCollectionError()], ...created(r.created) };
    if (rolled) return { id: null, success: false, errors: [rolledBack], ...created(r.created) };
    return { id: r.id, success: true, errors: enqueuedStatus(r), ...created(r.created) };
  });
}

class CollectionRollback extends Error {
  constructor(readonly results: WriteResult[]) {
    super('rollback');
  }
}
