/** Packing graphs into composite requests within Salesforce's limits (pure, no org). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GRAPH_LIMITS, type Unit } from '../src/index.js';
import { buildGraph, type BuiltGraph } from '../src/write/graph-builder.js';
import { packGraphs } from '../src/write/graph-packer.js';

const TYPES = ['Account', 'Contact', 'Lead', 'Opportunity', 'Quote', 'QuoteLineItem', 'Case', 'Task', 'Vehicle__c', 'Vehicle_Order__c',
  'Car_Configuration__c', 'Car_Options__c', 'Product2', 'Pricebook2', 'PricebookEntry', 'OpportunityLineItem', 'User', 'Organization'];

function graphOf(unit: Unit, index: number): BuiltGraph {
  const built = buildGraph(unit, index, '64.0', undefined);
  if (!built.ok) throw new Error(built.error.message);
  return built.graph;
}

const units = fc.array(
  fc.record({ size: fc.integer({ min: 1, max: 500 }), types: fc.subarray(TYPES, { minLength: 1, maxLength: 4 }) }),
  { minLength: 1, maxLength: 120 },
);

describe('graph packing', () => {
  it('keeps every request within 500 nodes, 75 graphs and 15 node types, each unit exactly once, in order', () => {
    fc.assert(
      fc.property(units, (specs) => {
        const graphs = specs.map(({ size, types }, i) =>
          graphOf({ key: `k${i}`, records: Array.from({ length: size }, (_, k) => ({ ref: `r${k}`, type: types[k % types.length]!, fields: {} })) }, i),
        );
        const payloads = packGraphs(graphs);
        for (const payload of payloads) {
          expect(payload.reduce((n, g) => n + g.nodes.length, 0)).toBeLessThanOrEqual(GRAPH_LIMITS.nodesPerPayload);
          expect(payload.length).toBeLessThanOrEqual(GRAPH_LIMITS.graphsPerPayload);
          expect(new Set(payload.flatMap((g) => [...g.nodeTypes])).size).toBeLessThanOrEqual(GRAPH_LIMITS.distinctNodeTypes);
        }
        expect(payloads.flat().map((g) => g.index)).toEqual(graphs.map((g) => g.index));
        // Greedy: a request is closed only because the next graph did not fit.
        for (let p = 0; p + 1 < payloads.length; p++) {
          const next = payloads[p + 1]![0]!;
          const current = payloads[p]!;
          const nodes = current.reduce((n, g) => n + g.nodes.length, 0) + next.nodes.length;
          const types = new Set([...current.flatMap((g) => [...g.nodeTypes]), ...next.nodeTypes]).size;
          expect(nodes > 500 || current.length === 75 || types > 15).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('packs 5,000 three-node units into 67 requests of 75 graphs (the last one 50)', () => {
    const graphs = Array.from({ length: 5000 }, (_, i) =>
      graphOf({ key: `q${i}`, records: [{ ref: 'quote', type: 'Quote', fields: {} }, { ref: 'l1', type: 'QuoteLineItem', fields: { QuoteId: '@{quote.id}' } }, { ref: 'l2', type: 'QuoteLineItem', fields: { QuoteId: '@{quote.id}' } }] }, i),
    );
    const payloads = packGraphs(graphs);
    expect(payloads).toHaveLength(67);
    expect(payloads.at(-1)).toHaveLength(50);
    expect(payloads.slice(0, -1).every((p) => p.length === 75)).toBe(true);
  });

  it('packs 5,000 three-node units into 31 shared graphs of 166 units (the last one 20)', () => {
    const graphs = Array.from({ length: 5000 }, (_, i) =>
      graphOf({ key: `q${i}`, records: [{ ref: 'quote', type: 'Quote', fields: {} }, { ref: 'l1', type: 'QuoteLineItem', fields: { QuoteId: '@{quote.id}' } }, { ref: 'l2', type: 'QuoteLineItem', fields: { QuoteId: '@{quote.id}' } }] }, i),
    );
    const payloads = packGraphs(graphs, { shared: true });
    expect(payloads).toHaveLength(31);
    expect(payloads.slice(0, -1).every((p) => p.length === 166)).toBe(true);
    expect(payloads.at(-1)).toHaveLength(20);
  });

  it('honours lower limits given by the caller', () => {
    const graphs = Array.from({ length: 10 }, (_, i) => graphOf({ key: `k${i}`, records: Array.from({ length: 30 }, (_, k) => ({ ref: `r${k}`, type: 'Account', fields: {} })) }, i));
    expect(packGraphs(graphs, { maxNodes: 100 }).map((p) => p.length)).toEqual([3, 3, 3, 1]);
    expect(packGraphs(graphs, { maxGraphs: 4 }).map((p) => p.length)).toEqual([4, 4, 2]);
  });

  it('refuses a unit with more than 15 node types before packing', () => {
    const built = buildGraph({ key: 'many', records: TYPES.slice(0, 16).map((type, k) => ({ ref: `r${k}`, type, fields: {} })) }, 0, '64.0', undefined);
    expect(built).toEqual({ ok: false, error: { errorCode: 'UNIT_TOO_LARGE', message: 'unit many uses 16 node types (method + object); one request allows 15', fields: [] } });
  });
});
