/**
 * Salesforce's documented limits of `POST /composite/graph` (REST API Developer Guide, "Composite
 * Graph"): 500 nodes per graph and per payload, 75 graphs per payload, a reference chain at most
 * 15 deep, at most 15 distinct node types (version + method + object) per payload. After 14
 * failed graphs the rest of a payload is halted.
 */
export const GRAPH_LIMITS = {
  nodesPerPayload: 500,
  nodesPerGraph: 500,
  graphsPerPayload: 75,
  depth: 15,
  distinctNodeTypes: 15,
  failedGraphsBeforeHalt: 14,
} as const;
