/**
 * One unit → one composite graph. Checks up front everything that would make Salesforce reject
 * the whole request instead of the unit alone: reference ids, references to records not earlier in
 * the unit, more than 500 nodes, a reference chain deeper than 15, more than 15 node types.
 */
import { ClientErrorCode } from '../errors/error-codes.js';
import { GRAPH_LIMITS } from './graph-limits.js';
import type { Unit, UnitError, UnitRecord } from './unit.js';

/** A node of a composite graph request. */
export interface GraphNode {
  referenceId: string;
  method: 'POST' | 'PATCH';
  url: string;
  body: Record<string, unknown>;
}

/** A unit ready to be packed. */
export interface BuiltGraph {
  /** Position of the unit in the caller's list. */
  index: number;
  unit: Unit;
  nodes: GraphNode[];
  /** Node types (`v64.0 POST quote`) for the 15-types limit. */
  nodeTypes: Set<string>;
}

const REFERENCE_ID = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const REFERENCE = /@\{([A-Za-z][A-Za-z0-9_]*)\.[^}]+\}/g;

/** The graph of `unit`, or the reason it cannot be sent. `keyField` receives `unit.key` on the root. */
export function buildGraph(
  unit: Unit,
  index: number,
  apiVersion: string,
  keyField: string | undefined,
): { ok: true; graph: BuiltGraph } | { ok: false; error: UnitError } {
  const invalid = (message: string, code: string = ClientErrorCode.INVALID_UNIT, referenceId?: string) => ({
    ok: false as const,
    error: { errorCode: code, message, fields: [], ...(referenceId ? { referenceId } : {}) },
  });
  if (typeof unit.key !== 'string' || unit.key === '') return invalid('a unit needs a non-empty string key');
  if (!Array.isArray(unit.records) || unit.records.length === 0) return invalid(`unit ${unit.key} has no records`);
  if (unit.records.length > GRAPH_LIMITS.nodesPerGraph) {
    return invalid(
      `unit ${unit.key} has ${unit.records.length} records; one composite graph holds at most ${GRAPH_LIMITS.nodesPerGraph}`,
      ClientErrorCode.UNIT_TOO_LARGE,
    );
  }
  const depth = new Map<string, number>();
  const nodes: GraphNode[] = [];
  const nodeTypes = new Set<string>();
  for (const [k, record] of unit.records.entries()) {
    if (!REFERENCE_ID.test(record.ref ?? '')) {
      return invalid(`unit ${unit.key}: reference id "${record.ref}" must start with a letter and hold only letters, digits and _ (max 80)`);
    }
    if (depth.has(record.ref)) return invalid(`unit ${unit.key}: reference id ${record.ref} is used twice`, undefined, record.ref);
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(record.type ?? '')) return invalid(`unit ${unit.key}: record ${record.ref} has no valid type`);
    let d = 1;
    for (const m of references(record.fields ?? {})) {
      const target = depth.get(m[1]!);
      if (target === undefined) {
        return invalid(`unit ${unit.key}: record ${record.ref} refers to ${m[0]}, which is not an earlier record of the unit`, undefined, record.ref);
      }
      d = Math.max(d, target + 1);
    }
    if (d > GRAPH_LIMITS.depth) {
      return invalid(`unit ${unit.key}: references chain ${d} records deep; the limit is ${GRAPH_LIMITS.depth}`, ClientErrorCode.UNIT_TOO_LARGE, record.ref);
    }
    depth.set(record.ref, d);
    const body = { ...record.fields };
    if (k === 0 && keyField !== undefined) {
      if ((record.operation ?? 'create') !== 'create') {
        return invalid(`unit ${unit.key}: with keyField the root record must be a create`, undefined, record.ref);
      }
      const given = Object.entries(body).find(([f]) => f.toLowerCase() === keyField.toLowerCase());
      if (given && given[1] !== unit.key) {
        return invalid(`unit ${unit.key}: root field ${keyField} is "${String(given[1])}", not the unit key`, undefined, record.ref);
      }
      if (given) delete body[given[0]];
      body[keyField] = unit.key;
    }
    const node = nodeOf(record, body, apiVersion);
    nodes.push(node);
    nodeTypes.add(`${node.method} ${record.type.toLowerCase()}`);
  }
  if (nodeTypes.size > GRAPH_LIMITS.distinctNodeTypes) {
    return invalid(
      `unit ${unit.key} uses ${nodeTypes.size} node types (method + object); one request allows ${GRAPH_LIMITS.distinctNodeTypes}`,
      ClientErrorCode.UNIT_TOO_LARGE,
    );
  }
  return { ok: true, graph: { index, unit, nodes, nodeTypes } };
}

/** Every `@{ref.…}` match in the strings of `value` (walked, not serialized: this runs for every record). */
function references(value: unknown, out: RegExpExecArray[] = []): RegExpExecArray[] {
  if (typeof value === 'string') {
    if (value.includes('@{')) out.push(...value.matchAll(REFERENCE));
  } else if (Array.isArray(value)) {
    for (const v of value) references(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) references(v, out);
  }
  return out;
}

function nodeOf(record: UnitRecord, body: Record<string, unknown>, apiVersion: string): GraphNode {
  const base = `/services/data/v${apiVersion}/sobjects/${record.type}`;
  switch (record.operation) {
    case 'update':
      return { referenceId: record.ref, method: 'PATCH', url: `${base}/${encodeURIComponent(record.id)}`, body };
    case 'upsert':
      return {
        referenceId: record.ref,
        method: 'PATCH',
        url: `${base}/${encodeURIComponent(record.externalIdField)}/${encodeURIComponent(record.externalId)}`,
        body,
      };
    default:
      return { referenceId: record.ref, method: 'POST', url: base, body };
  }
}
