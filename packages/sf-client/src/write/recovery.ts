/**
 * Finding units that are already written, by their key. Used before resending a request whose
 * answer was lost, and when the org refuses a root record as a duplicate of the key (the unit was
 * written by the lost attempt or by an earlier run). A composite graph is all-or-none, so a unit
 * whose root exists is entirely written.
 *
 * The root's id comes from the key. The other records' ids are traced from there, level by level:
 * - a record created with a field `@{parent.id}` pointing at a record already traced is looked up
 *   by that field (`SELECT Id, QuoteId FROM QuoteLineItem WHERE QuoteId IN (…) ORDER BY Id`); the
 *   records of one unit created under the same parent get the ids in creation (Id) order, and only
 *   when the counts match;
 * - an upserted record by its external id; an updated record by its own id.
 * Records that cannot be traced that way are left out of `ids` (the unit is still reported written).
 */
import type { ClientCore } from '../client/client-core.js';
import type { QueryPage } from '../query/query-iterable.js';
import { quoteSoqlString } from '../query/soql-literal.js';
import type { BuiltGraph } from './graph-builder.js';
import type { UnitRecord } from './unit.js';

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
/** Values per IN list: keeps each query far below SOQL's 100,000-character limit. */
const IN_CHUNK = 200;

/** Ids of the written units among `graphs` (by reference id), keyed by graph. Units not found are absent. */
export async function findWrittenUnits(
  core: ClientCore,
  graphs: readonly BuiltGraph[],
  keyField: string,
): Promise<Map<BuiltGraph, Record<string, string>>> {
  const found = new Map<BuiltGraph, Record<string, string>>();
  const byType = groupBy(graphs, (g) => g.unit.records[0]!.type);
  for (const [type, group] of byType) {
    const rows = await selectIn(core, type, keyField, group.map((g) => g.unit.key));
    // SOQL compares text without case; keys are matched exactly here.
    const ids = new Map(rows.map((r) => [String(r[fieldKey(r, keyField)]), String(r['Id'])]));
    for (const graph of group) {
      const id = ids.get(graph.unit.key);
      if (id) found.set(graph, { [graph.unit.records[0]!.ref]: id });
    }
  }
  await traceRecords(core, found);
  return found;
}

interface Locator {
  graph: BuiltGraph;
  record: UnitRecord;
  type: string;
  field: string;
  /** The parent id (for creates) or the external id (for upserts). */
  value: string;
  kind: 'parent' | 'external';
}

/** Fills in the ids of the non-root records of `found`, level by level. */
async function traceRecords(core: ClientCore, found: Map<BuiltGraph, Record<string, string>>): Promise<void> {
  for (let level = 0; level < 16; level++) {
    const locators: Locator[] = [];
    for (const [graph, ids] of found) {
      for (const record of graph.unit.records) {
        if (ids[record.ref] !== undefined) continue;
        if (record.operation === 'update') {
          ids[record.ref] = record.id;
          continue;
        }
        if (record.operation === 'upsert') {
          locators.push({ graph, record, type: record.type, field: record.externalIdField, value: record.externalId, kind: 'external' });
          continue;
        }
        const parent = parentReference(record, ids);
        if (parent) locators.push({ graph, record, type: record.type, ...parent, kind: 'parent' });
      }
    }
    if (locators.length === 0) return;
    for (const [, group] of groupBy(locators, (l) => `${l.type}\u0000${l.field}\u0000${l.kind}`)) {
      const { type, field, kind } = group[0]!;
      const rows = await selectIn(core, type, field, [...new Set(group.map((l) => l.value))], true);
      const byValue = groupBy(rows, (r) => String(r[fieldKey(r, field)]).toLowerCase());
      if (kind === 'external') {
        for (const l of group) {
          const id = byValue.get(l.value.toLowerCase())?.[0]?.['Id'];
          if (id) found.get(l.graph)![l.record.ref] = String(id);
        }
        continue;
      }
      // Children of one parent, per unit, in node order ↔ rows in Id order.
      for (const [, siblings] of groupBy(group, (l) => `${l.graph.index}\u0000${l.value}`)) {
        const rowsOfParent = byValue.get(siblings[0]!.value.toLowerCase()) ?? [];
        if (rowsOfParent.length !== siblings.length) continue;
        siblings.forEach((l, k) => (found.get(l.graph)![l.record.ref] = String(rowsOfParent[k]!['Id'])));
      }
    }
    // Records whose count did not match are never resolved; stop when a level adds nothing.
    const unresolved = [...found].some(([g, ids]) => g.unit.records.some((r) => ids[r.ref] === undefined));
    if (!unresolved) return;
  }
}

/** The first field of a create that is exactly `@{ref.id}` with `ref` already traced. */
function parentReference(record: UnitRecord, ids: Record<string, string>): { field: string; value: string } | undefined {
  for (const [field, value] of Object.entries(record.fields)) {
    const m = typeof value === 'string' ? /^@\{([A-Za-z][A-Za-z0-9_]*)\.id\}$/i.exec(value) : null;
    if (m && ids[m[1]!] !== undefined && IDENTIFIER.test(field)) return { field, value: ids[m[1]!]! };
  }
  return undefined;
}

/** `SELECT Id, <field> FROM <type> WHERE <field> IN (…)` over every value, in chunks; reads, so retried. */
async function selectIn(
  core: ClientCore,
  type: string,
  field: string,
  values: string[],
  orderById = false,
): Promise<Array<Record<string, unknown>>> {
  if (!IDENTIFIER.test(type) || !IDENTIFIER.test(field)) throw new TypeError(`invalid identifier ${type}.${field}`);
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < values.length; i += IN_CHUNK) {
    const list = values.slice(i, i + IN_CHUNK).map(quoteSoqlString).join(',');
    let path: string | undefined = core.dataPath(
      `/query?q=${encodeURIComponent(`SELECT Id, ${field} FROM ${type} WHERE ${field} IN (${list})${orderById ? ' ORDER BY Id' : ''}`)}`,
    );
    while (path) {
      const { body }: { body: QueryPage<Record<string, unknown>> } = await core.request<QueryPage<Record<string, unknown>>>(
        { method: 'GET', path },
        { idempotent: true },
      );
      rows.push(...body.records);
      path = body.done ? undefined : body.nextRecordsUrl;
    }
  }
  return rows;
}

/** The key of `field` in a record as returned (Salesforce returns the field's exact case). */
function fieldKey(row: Record<string, unknown>, field: string): string {
  return Object.keys(row).find((k) => k.toLowerCase() === field.toLowerCase()) ?? field;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
