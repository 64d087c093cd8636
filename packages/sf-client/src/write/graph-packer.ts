/**
 * Packs graphs into `/composite/graph` requests: greedily, in the callers' order, starting a new
 * request when the next graph would exceed the nodes, graphs or distinct node types allowed per
 * payload. Greedy in order keeps related units together and is within one request of optimal for
 * same-sized units (the common case: every unit is a Quote and its lines).
 */
import { GRAPH_LIMITS } from './graph-limits.js';
import type { BuiltGraph } from './graph-builder.js';

export interface PackLimits {
  /** @defaultValue 500 */
  maxNodes?: number;
  /** @defaultValue 75 */
  maxGraphs?: number;
  /** @defaultValue 15 */
  maxNodeTypes?: number;
}

export function packGraphs(graphs: readonly BuiltGraph[], limits: PackLimits = {}): BuiltGraph[][] {
  const maxNodes = Math.min(limits.maxNodes ?? GRAPH_LIMITS.nodesPerPayload, GRAPH_LIMITS.nodesPerPayload);
  const maxGraphs = Math.min(limits.maxGraphs ?? GRAPH_LIMITS.graphsPerPayload, GRAPH_LIMITS.graphsPerPayload);
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

/** The `/composite/graph` body of a payload; graph ids are `u<index of the unit>`. */
export function graphRequestBody(payload: readonly BuiltGraph[]): { graphs: Array<{ graphId: string; compositeRequest: unknown[] }> } {
  return {
    graphs: payload.map((g) => ({ graphId: graphIdOf(g), compositeRequest: g.nodes })),
  };
}

export function graphIdOf(graph: BuiltGraph): string {
  return `u${graph.index}`;
}
