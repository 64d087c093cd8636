/**
 * Runs a compiled query and shapes rows into Salesforce's JSON records.
 */
import type { Schema } from '../schema/schema.js';
import { compileSoql, type CompiledSubquery, type OutNode, type RecordShape } from './compile.js';
import type { SoqlChildResult, SoqlContext, SoqlOptions, SoqlRecord, SoqlResult } from './types.js';

type Row = Record<string, unknown>;

/** Parent ids per child query: large enough to be few round trips, small enough for any driver. */
const CHILD_BATCH = 10_000;

interface ShapeEnv {
  schema: Schema;
  base: string;
  children: Map<string, SoqlRecord[]>[];
}

/**
 * One record. `attributeType` differs from `type` for a polymorphic parent, which Salesforce
 * reports as its `Name` pseudo-object while the url names the real object.
 */
function shape(env: ShapeEnv, row: Row, type: string, idCol: string, nodes: OutNode[], attributeType = type): SoqlRecord {
  const id = row[idCol];
  const record: SoqlRecord = {
    attributes: typeof id === 'string' ? { type: attributeType, url: `${env.base}/sobjects/${type}/${id}` } : { type: attributeType },
  };
  for (const node of nodes) {
    switch (node.kind) {
      case 'field':
        record[node.key] = row[node.col] ?? null;
        break;
      case 'parent': {
        const parentId = row[node.idCol];
        if (typeof parentId !== 'string') {
          record[node.key] = null;
          break;
        }
        // A polymorphic parent's type is the object owning the id's key prefix.
        const parentType = env.schema.objectByKeyPrefix(parentId.slice(0, 3))?.name ?? node.defaultType;
        record[node.key] = shape(env, row, parentType, node.idCol, node.nodes, node.polymorphic ? 'Name' : parentType);
        break;
      }
      case 'children': {
        const records = typeof id === 'string' ? env.children[node.index]?.get(id) : undefined;
        const value: SoqlChildResult | null = records?.length ? { totalSize: records.length, done: true, records } : null;
        record[node.key] = value;
        break;
      }
    }
  }
  return record;
}

/** Runs one child subquery for all `parentIds`, grouping its records by parent. */
async function loadChildren(ctx: SoqlContext, env: ShapeEnv, sub: CompiledSubquery, parentIds: string[]): Promise<Map<string, SoqlRecord[]>> {
  const byParent = new Map<string, SoqlRecord[]>();
  const s: RecordShape = sub.shape;
  for (let i = 0; i < parentIds.length; i += CHILD_BATCH) {
    const ids = parentIds.slice(i, i + CHILD_BATCH);
    const { rows } = await ctx.sql.query<Row>(sub.sql, [ids, ...sub.params.slice(1)]);
    for (const row of rows) {
      const parent = row._parent as string;
      const list = byParent.get(parent);
      const record = shape(env, row, s.type, s.idCol, s.nodes);
      if (list) list.push(record);
      else byParent.set(parent, [record]);
    }
  }
  return byParent;
}

/**
 * Runs a SOQL query and returns every matching record (paging is the cursor's job).
 *
 * @example
 * ```ts
 * const { totalSize, records } = await executeSoql(ctx, "SELECT Id, Account.Name FROM Contact WHERE LastName = 'Doe'");
 * ```
 * @throws SalesforceError with Salesforce's code for a malformed or invalid query.
 */
export async function executeSoql(ctx: SoqlContext, soql: string, options: SoqlOptions = {}): Promise<SoqlResult> {
  const compiled = compileSoql(ctx, soql, options);
  const { rows } = await ctx.sql.query<Row>(compiled.sql, compiled.params);
  switch (compiled.kind) {
    case 'count':
      return { totalSize: Number(rows[0]?.n ?? 0), records: [] };
    case 'aggregate': {
      const records = rows.map((row) => {
        const record: SoqlRecord = { attributes: { type: 'AggregateResult' } };
        for (const item of compiled.items) record[item.key] = row[item.col] ?? null;
        return record;
      });
      return { totalSize: records.length, records };
    }
    case 'records': {
      const env: ShapeEnv = { schema: ctx.schema, base: `/services/data/v${ctx.apiVersion}`, children: [] };
      if (compiled.subqueries.length > 0 && rows.length > 0) {
        const ids = rows.map((r) => r._id as string);
        for (const sub of compiled.subqueries) env.children.push(await loadChildren(ctx, env, sub, ids));
      }
      const s = compiled.shape;
      const records = rows.map((row) => shape(env, row, s.type, s.idCol, s.nodes));
      return { totalSize: records.length, records };
    }
  }
}
