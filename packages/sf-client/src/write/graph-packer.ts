/**
 * Packs units into `/composite/graph` requests: greedily, in the callers' order, starting a new
 * request when the next unit would exceed the nodes, graphs or distinct node types allowed per
 * payload. Greedy in order keeps related units together and is within one request of optimal for
 * same-sized units (the common case: every unit is a Quote and its lines).
 *
 * A payload is sent one of two ways:
 * - one graph per unit (up to 75 units): each unit is its own transaction;
 * - shared (`commitUnits(…, { shareGraphs: true })`): all its units in ONE graph (up to 500
 *   nodes, e.g. 166 Quotes of 2 lines), so a batch needs a third of the requests. Reference ids are
 *   prefixed with the unit's position (`p12_quote`) so that they stay unique; a unit whose longest
 *   reference id would not fit Salesforce's 80 characters with the prefix is never shared.
 */
import { GRAPH_LIMITS } from './graph-limits.js';
import type { BuiltGraph, GraphNode } from './graph-builder.js';

export interface PackLimits {
  /** @defaultValue 500 */
  maxNodes?: number;
  /** @defaultValue 75 */
  maxGraphs?: number;
  /** @defaultValue 15 */
  maxNodeTypes?: number;
  /** The payload is one shared graph: only nodes and node types limit it, not the graph count. */
  shared?: boolean;
}

export function packGraphs(graphs: readonly BuiltGraph[], limits: PackLimits = {}): BuiltGraph[][] {
  const maxNodes = Math.min(limits.maxNodes ?? GRAPH_LIMITS.nodesPerPayload, GRAPH_LIMITS.nodesPerPayload);
  const maxGraphs = limits.shared ? Infinity : Math.min(limits.maxGraphs ?? GRAPH_LIMITS.graphsPerPayload, GRAPH_LIMITS.graphsPerPayload);
  const maxTypes = Math.min(limits.maxNodeTypes ?? GRAPH_LIMITS.distinctNodeTypes, GRAPH_LIMITS.distinctNodeTypes);
  const payloads: BuiltGraph[][] = [];
  let current: BuiltGraph[] = [];
  let nodes = 0;
  let types = new Set<string>();
  for (const graph of graphs) {
    const merged = new Set([...types, ...graph.nodeTypes]);
    const fits = nodes + graph.nodes.length <= maxNodes && current.length < maxGraphs && merged.size <= maxTypes;
    if (!fits && current.length > 0) {
      payloads.push(current);
      current = [];
      nodes = 0;
      types = new Set(graph.nodeTypes);
    } else {
      types = merged;
    }
    current.push(graph);
    nodes += graph.nodes.length;
  }
  if (current.length > 0) payloads.push(current);
  return payloads;
}

/** A request's units and how they travel. */
export interface Payload {
  graphs: BuiltGraph[];
  /** All units in one graph (one transaction) instead of one graph each. */
  shared: boolean;
}

/** The longest reference id a shared unit may have: 80 minus the longest prefix (`p499_`). */
const MAX_SHAREABLE_REFERENCE_ID = 75;

/** Whether a unit may share a graph: its reference ids still fit 80 characters once prefixed. */
export function isShareable(graph: BuiltGraph): boolean {
  return graph.nodes.every((n) => n.referenceId.length <= MAX_SHAREABLE_REFERENCE_ID);
}

/** The `/composite/graph` body of a payload; graph ids are `u<index of the unit>`, `b<index of the first unit>` when shared. */
export function graphRequestBody(payload: Payload): { graphs: Array<{ graphId: string; compositeRequest: unknown[] }> } {
  if (payload.shared) {
    return {
      graphs: [
        { graphId: sharedGraphIdOf(payload.graphs), compositeRequest: payload.graphs.flatMap((g, k) => g.nodes.map((n) => prefixNode(n, unitPrefix(k)))) },
      ],
    };
  }
  return {
    graphs: payload.graphs.map((g) => ({ graphId: graphIdOf(g), compositeRequest: g.nodes })),
  };
}

export function graphIdOf(graph: BuiltGraph): string {
  return `u${graph.index}`;
}

export function sharedGraphIdOf(graphs: readonly BuiltGraph[]): string {
  return `b${graphs[0]?.index ?? 0}`;
}

/** Prefix of the reference ids of the unit at position `k` of a shared graph. */
export function unitPrefix(k: number): string {
  return `p${k}_`;
}

const PREFIXED = /^p(\d+)_(.+)$/;

/** A shared graph's reference id taken apart: the unit's position and its own reference id. */
export function splitUnitReference(referenceId: string): { unit: number; ref: string } | undefined {
  const m = PREFIXED.exec(referenceId);
  return m ? { unit: Number(m[1]), ref: m[2]! } : undefined;
}

const REFERENCE = /@\{([A-Za-z][A-Za-z0-9_]*)\./g;

/** The node with its reference id and every `@{ref.…}` it holds prefixed (values without one are kept as they are). */
function prefixNode(node: GraphNode, prefix: string): GraphNode {
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') return value.includes('@{') ? value.replace(REFERENCE, (_m, ref: string) => `@{${prefix}${ref}.`) : value;
    if (Array.isArray(value)) return value.map(rewrite);
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const key in value) out[key] = rewrite((value as Record<string, unknown>)[key]);
      return out;
    }
    return value;
  };
  return {
    referenceId: `${prefix}${node.referenceId}`,
    method: node.method,
    url: rewrite(node.url) as string,
    body: rewrite(node.body) as Record<string, unknown>,
  };
}
