/**
 * The fast path of `/composite/graph` for payloads made only of record creates — the shape of
 * every batch write (a Quote and its lines, an order and its items). Run node by node, a graph
 * costs a dozen SQL statements per node (reference checks, rule lookups, ids, auto-numbers,
 * roll-ups); a payload of 75 such graphs made the org, not the network, the cost of a batch job.
 *
 * Here every graph of the payload runs in ONE database transaction, level by level: level 1 is
 * the nodes that reference nothing, level n the nodes whose references reach level n − 1. A level
 * is written with one `store.create` per object, so every check is one statement per level
 * instead of one per node. Records, field values, ids' format and answers are the same as node by
 * node; only the order of ids and auto-numbers across graphs differs (level by level instead of
 * graph by graph), which Salesforce does not promise either.
 *
 * It is an optimistic path: when any node fails, the transaction is rolled back and the caller
 * runs the payload the exact way (each graph alone, node by node), which decides which node
 * failed first and what the other graphs do, as Salesforce would. On PostgreSQL it runs as a
 * shared transaction, beside one other batched payload (the org's other writes run alone). Not taken (undefined) when a
 * node is anything but a create of a stored, non-CDC object with references only to earlier
 * nodes of its graph: updates, upserts, deletes, platform events (published per node) and
 * CDC-enabled objects (whose change events carry one transaction key per graph) keep the exact
 * path.
 */
import { SalesforceError } from '../errors.js';
import type { Row, WriteTx } from '../data/store-types.js';
import type { OrgRuntime } from '../org-runtime.js';
import { rulesFor } from '../data/object-rules.js';
import { isPlatformEvent } from '../streaming/index.js';
import { createdResponse } from './sobject-operations.js';
import { okResult, referencedIds, resolve, type Subrequest, type SubResult } from './composite-references.js';

const CREATE_URL = /^\/services\/data\/v(\d+\.\d)\/sobjects\/([A-Za-z0-9_]+)\/?$/;

/** A node placed for the batched run. */
interface PlannedNode {
  graph: number;
  node: number;
  type: string;
  version: string;
  level: number;
}

/** Thrown inside the transaction to roll it back: some node failed. */
class NotAllSucceeded extends Error {
  constructor() {
    super('a node failed; the payload runs the exact way');
  }
}

/** The plan of a payload that can take the batched path, or undefined. */
function plan(
  org: OrgRuntime,
  graphs: readonly { nodes: readonly Subrequest[] }[],
): PlannedNode[][] | undefined {
  const levels: PlannedNode[][] = [];
  for (const [g, { nodes }] of graphs.entries()) {
    const levelOf = new Map<string, number>();
    for (const [k, n] of nodes.entries()) {
      const m = n.method.toUpperCase() === 'POST' ? CREATE_URL.exec(n.url) : null;
      if (!m || !org.apiVersions.includes(m[1]!)) return undefined;
      const o = org.schema.object(m[2]!);
      if (!o || !o.createable || isPlatformEvent(o) || o.cdcEnabled) return undefined;
      if (n.body === null || typeof n.body !== 'object' || Array.isArray(n.body)) return undefined;
      let level = 1;
      for (const ref of referencedIds(n.body)) {
        const target = levelOf.get(ref);
        if (target === undefined) return undefined; // not an earlier node: the exact path answers it
        level = Math.max(level, target + 1);
      }
      levelOf.set(n.referenceId, level);
      (levels[level - 1] ??= []).push({ graph: g, node: k, type: o.name, version: m[1]!, level });
    }
  }
  return levels;
}

/**
 * Runs `graphs` batched. Returns every graph's node results when all succeeded (committed), or
 * undefined when the payload is not eligible or a node failed (nothing committed).
 */
export async function runGraphsBatched(
  org: OrgRuntime,
  graphs: readonly { nodes: readonly Subrequest[] }[],
): Promise<SubResult[][] | undefined> {
  const levels = plan(org, graphs);
  if (!levels) return undefined;
  // Shared when every object's rules hold under concurrency (see TransactionOptions.shared).
  const shared = levels.every((level) => level.every((n) => rulesFor(n.type).concurrentCreates !== false));
  try {
    return await org.store.transaction(async (tx) => runLevels(org, tx, graphs, levels), { shared });
  } catch (e) {
    if (e instanceof NotAllSucceeded) return undefined;
    // Beside another transaction, the database itself may refuse: a unique index meeting a racing
    // insert, a deadlock between roll-ups, a serialization failure. Rolled back; the exact path,
    // which runs alone, decides.
    if (shared && isConcurrencyConflict(e)) return undefined;
    throw e;
  }
}

/** SQLSTATE classes 23 (integrity constraint violation) and 40 (transaction rollback: deadlock, serialization). */
function isConcurrencyConflict(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(23|40)[0-9A-Z]{3}$/.test(code);
}

async function runLevels(
  org: OrgRuntime,
  tx: WriteTx,
  graphs: readonly { nodes: readonly Subrequest[] }[],
  levels: PlannedNode[][],
): Promise<SubResult[][]> {
  const answers = graphs.map(() => new Map<string, unknown>());
  const results: SubResult[][] = graphs.map((g) => new Array<SubResult>(g.nodes.length));
  for (const level of levels) {
    // One create per object, in the order the objects first appear in the level.
    const byType = new Map<string, { planned: PlannedNode; row: Row }[]>();
    for (const planned of level) {
      const node = graphs[planned.graph]!.nodes[planned.node]!;
      let row: Row;
      try {
        row = resolve(node.body, answers[planned.graph]!) as Row;
      } catch (e) {
        if (e instanceof SalesforceError) throw new NotAllSucceeded();
        throw e;
      }
      const group = byType.get(planned.type) ?? [];
      group.push({ planned, row });
      byType.set(planned.type, group);
    }
    for (const [type, group] of byType) {
      const written = await org.store.create(
        tx,
        type,
        group.map((x) => x.row),
      );
      for (const [k, result] of written.entries()) {
        if (!result.ok) throw new NotAllSucceeded();
        const { planned } = group[k]!;
        const node = graphs[planned.graph]!.nodes[planned.node]!;
        const answer = createdResponse(type, result.id, planned.version);
        answers[planned.graph]!.set(node.referenceId, answer.body);
        results[planned.graph]![planned.node] = okResult(node.referenceId, answer);
      }
    }
  }
  return results;
}
