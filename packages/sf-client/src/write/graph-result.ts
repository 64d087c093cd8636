/**
 * Reading a `/composite/graph` answer per unit. When a graph fails, Salesforce rolls it back and
 * answers the failing node with its real error and every other node with `PROCESSING_HALTED`
 * ("The transaction was rolled back since another operation in the same transaction failed").
 * The SDK surfaces the first non-2xx node in array order — usually a `PROCESSING_HALTED` one —
 * so the cause is lost. Here the unit's error is the node whose error is NOT `PROCESSING_HALTED`.
 * A graph whose nodes are ALL halted was never run (the payload's 14-failed-graphs cut-off): it
 * is retryable as is.
 *
 * In a shared graph (several units, one transaction) the unit of the failing node fails; the
 * others were only rolled back with it (`rolled-back`) and are resent each in its own graph.
 */
import { graphIdOf, sharedGraphIdOf, splitUnitReference, type Payload } from './graph-packer.js';
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
  | { kind: 'not-run' }
  /** Another unit of its shared graph failed: rolled back, not at fault. */
  | { kind: 'rolled-back' };

export const PROCESSING_HALTED = 'PROCESSING_HALTED';

/** Outcome of every unit of `payload` in `response`, by graph id. Graphs missing from the answer are `not-run`. */
export function readGraphResponse(payload: Payload, response: unknown): Map<BuiltGraph, GraphOutcome> {
  const graphs = ((response as { graphs?: GraphResponse[] } | null)?.graphs ?? []).filter((g) => g && typeof g.graphId === 'string');
  const byId = new Map(graphs.map((g) => [g.graphId, g]));
  const out = new Map<BuiltGraph, GraphOutcome>();
  if (payload.shared) {
    const answer = byId.get(sharedGraphIdOf(payload.graphs));
    const all = answer?.graphResponse?.compositeResponse ?? [];
    // Each unit's nodes, with the prefix taken off (ids and errors name the unit's own refs).
    const byUnit = new Map<number, NodeResponse[]>();
    for (const n of all) {
      const own = typeof n.referenceId === 'string' ? splitUnitReference(n.referenceId) : undefined;
      if (!own) continue;
      const list = byUnit.get(own.unit) ?? [];
      list.push({ ...n, referenceId: own.ref });
      byUnit.set(own.unit, list);
    }
    const failedSomewhere = answer !== undefined && !answer.isSuccessful && realFailure(all) !== undefined;
    payload.graphs.forEach((graph, k) => {
      if (!answer) return out.set(graph, { kind: 'not-run' });
      const outcome = outcomeOf(graph, { ...answer, graphResponse: { compositeResponse: byUnit.get(k) ?? [] } });
      // Its nodes were all halted while another unit's node failed: rolled back with it.
      return out.set(graph, outcome.kind === 'not-run' && failedSomewhere ? { kind: 'rolled-back' } : outcome);
    });
    return out;
  }
  for (const graph of payload.graphs) {
    const answer = byId.get(graphIdOf(graph));
    out.set(graph, answer ? outcomeOf(graph, answer) : { kind: 'not-run' });
  }
  return out;
}

/** The node that failed for a reason of its own (not halted by another). */
function realFailure(nodes: readonly NodeResponse[]): NodeResponse | undefined {
  return nodes.find((n) => !(n.httpStatusCode >= 200 && n.httpStatusCode < 300) && errorsOf(n.body).some((e) => e.errorCode !== PROCESSING_HALTED));
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
  const real = realFailure(nodes);
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
