/**
 * Reading a `/composite/graph` answer per unit. When a graph fails, Salesforce rolls it back and
 * answers the failing node with its real error and every other node with `PROCESSING_HALTED`
 * ("The transaction was rolled back since another operation in the same transaction failed").
 * The SDK surfaces the first non-2xx node in array order — usually a `PROCESSING_HALTED` one —
 * so the cause is lost. Here the unit's error is the node whose error is NOT `PROCESSING_HALTED`.
 * A graph whose nodes are ALL halted was never run (the payload's 14-failed-graphs cut-off): it
 * is retryable as is.
 */
import { graphIdOf } from './graph-packer.js';
import type { BuiltGraph, GraphNode } from './graph-builder.js';
import type { UnitError } from './unit.js';

interface NodeResponse {
  body: unknown;
  httpStatusCode: number;
  referenceId: string;
}

interface GraphResponse {
  graphId: string;
  isSuccessful: boolean;
  graphResponse?: { compositeResponse?: NodeResponse[] };
}

export type GraphOutcome =
  | { kind: 'committed'; ids: Record<string, string> }
  | { kind: 'failed'; error: UnitError }
  /** Every node halted: the graph was not run. */
  | { kind: 'not-run' };

export const PROCESSING_HALTED = 'PROCESSING_HALTED';

/** Outcome of every graph of `payload` in `response`, by graph id. Graphs missing from the answer are `not-run`. */
export function readGraphResponse(payload: readonly BuiltGraph[], response: unknown): Map<BuiltGraph, GraphOutcome> {
  const graphs = ((response as { graphs?: GraphResponse[] } | null)?.graphs ?? []).filter((g) => g && typeof g.graphId === 'string');
  const byId = new Map(graphs.map((g) => [g.graphId, g]));
  const out = new Map<BuiltGraph, GraphOutcome>();
  for (const graph of payload) {
    const answer = byId.get(graphIdOf(graph));
    out.set(graph, answer ? outcomeOf(graph, answer) : { kind: 'not-run' });
  }
  return out;
}

function outcomeOf(graph: BuiltGraph, answer: GraphResponse): GraphOutcome {
  const nodes = answer.graphResponse?.compositeResponse ?? [];
  if (answer.isSuccessful) {
    const ids: Record<string, string> = {};
    for (const node of nodes) {
      const id = idOf(node, graph.nodes.find((n) => n.referenceId === node.referenceId));
      if (id) ids[node.referenceId] = id;
    }
    return { kind: 'committed', ids };
  }
  const failing = nodes.filter((n) => !(n.httpStatusCode >= 200 && n.httpStatusCode < 300));
  const real = failing.find((n) => errorsOf(n.body).some((e) => e.errorCode !== PROCESSING_HALTED));
  if (!real) return { kind: 'not-run' };
  const first = errorsOf(real.body).find((e) => e.errorCode !== PROCESSING_HALTED)!;
  return {
    kind: 'failed',
    error: { ...first, fields: first.fields ?? [], referenceId: real.referenceId, status: real.httpStatusCode },
  };
}

/** The id a successful node produced: `body.id` (create 201, upsert 200/201), else the id in its URL (update 204). */
function idOf(node: NodeResponse, sent: GraphNode | undefined): string | undefined {
  const body = node.body as { id?: unknown } | null;
  if (body && typeof body.id === 'string') return body.id;
  if (sent?.method === 'PATCH') {
    const last = sent.url.split('/').pop();
    if (last && /^[a-zA-Z0-9]{15,18}$/.test(last)) return decodeURIComponent(last);
  }
  return undefined;
}

function errorsOf(body: unknown): Array<{ errorCode: string; message: string; fields?: string[] }> {
  const list = Array.isArray(body) ? body : body && typeof body === 'object' ? [body] : [];
  return list
    .filter((e): e is Record<string, unknown> => e !== null && typeof e === 'object')
    .map((e) => ({
      errorCode: String(e['errorCode'] ?? e['statusCode'] ?? 'UNKNOWN_ERROR'),
      message: String(e['message'] ?? ''),
      ...(Array.isArray(e['fields']) ? { fields: (e['fields'] as unknown[]).map(String) } : {}),
    }));
}
