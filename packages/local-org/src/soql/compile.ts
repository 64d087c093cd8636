/**
 * SOQL → parameterised SQL. One statement for the driving query (with LEFT JOINs for parent
 * paths and inline semi-joins) and one statement per child subquery, run later for all parent
 * ids at once (`WHERE parent = ANY($1)`), so a page never costs N+1 queries.
 */
import type { FieldType, OrderByClause, Query, Subquery } from 'soql-parser-js';
import { errors } from '../errors.js';
import type { SObjectDef } from '../schema/types.js';
import { compileConditions, whereEnv, type ConditionEnv } from './conditions.js';
import { aggregate, dateFunction, isAggregate, isDateFunction } from './functions.js';
import { parseSoql } from './parse.js';
import { QueryScope, Statement, type Join, type Operand, type ScopeEnv } from './scope.js';
import { soqlErrors } from './soql-errors.js';
import type { SoqlContext, SoqlOptions } from './types.js';

/** Salesforce's maximum OFFSET. */
export const MAX_OFFSET = 2000;
/** `FIELDS(ALL)` and `FIELDS(CUSTOM)` need a LIMIT of at most this. */
export const FIELDS_LIMIT = 200;

/** How one row becomes a record: output keys mapped to result columns. */
export type OutNode =
  | { kind: 'field'; key: string; col: string }
  | { kind: 'parent'; key: string; idCol: string; defaultType: string; polymorphic: boolean; nodes: OutNode[] }
  | { kind: 'children'; key: string; index: number };

/** The record shape of one object's rows. */
export interface RecordShape {
  type: string;
  /** Column holding the record id (always selected, for `attributes.url` and child lookups). */
  idCol: string;
  nodes: OutNode[];
}

/** A child subquery, run once for all parent ids. */
export interface CompiledSubquery {
  /** Output key: the child relationship name exactly as the schema spells it. */
  relationshipName: string;
  /** SQL text; `$1` is the array of parent ids, the column `_parent` says which parent a row belongs to. */
  sql: string;
  /** Parameters; `params[0]` is a placeholder for the parent ids. */
  params: unknown[];
  shape: RecordShape;
}

/** A compiled query. */
export type CompiledSoql =
  | { kind: 'records'; sql: string; params: unknown[]; shape: RecordShape; subqueries: CompiledSubquery[] }
  | { kind: 'count'; sql: string; params: unknown[]; subqueries: [] }
  | { kind: 'aggregate'; sql: string; params: unknown[]; items: { key: string; col: string }[]; subqueries: [] };

interface Env extends ScopeEnv {
  now: Date;
}

/**
 * Compiles `soql` to parameterised SQL without running it. Every value of the query is a
 * parameter; identifiers come from the schema only.
 * @throws SalesforceError MALFORMED_QUERY, INVALID_TYPE, INVALID_FIELD, INVALID_QUERY_FILTER_OPERATOR,
 * NUMBER_OUTSIDE_VALID_RANGE as Salesforce would.
 */
export function compileSoql(ctx: Pick<SoqlContext, 'schema' | 'now'>, soql: string, options: SoqlOptions = {}): CompiledSoql {
  const query = parseSoql(soql);
  const env: Env = { schema: ctx.schema, soql, includeDeleted: options.includeDeleted === true, now: (ctx.now ?? (() => new Date()))() };
  const object = ctx.schema.object(query.sObject ?? '');
  if (!object) throw errors.invalidType(query.sObject ?? '');
  checkClauses(env, query);
  const fields = query.fields ?? [];
  const countOnly = fields.some((f) => f.type === 'FieldFunctionExpression' && f.functionName.toUpperCase() === 'COUNT' && f.parameters.length === 0);
  if (countOnly) {
    if (fields.length !== 1) throw soqlErrors.malformed(soql, 'COUNT() must be the only element in the SELECT list', 'COUNT');
    return compileCount(env, object, query);
  }
  const aggregateQuery = query.groupBy !== undefined || fields.some((f) => f.type === 'FieldFunctionExpression' && isAggregate(f.functionName));
  return aggregateQuery ? compileAggregate(env, object, query) : compileRecords(env, object, query);
}

function checkClauses(env: Env, query: Query | Subquery): void {
  if (query.offset !== undefined && query.offset > MAX_OFFSET) throw soqlErrors.offsetTooLarge();
  if (query.withDataCategory) throw soqlErrors.malformed(env.soql, 'WITH DATA CATEGORY is only supported for knowledge articles', 'DATA');
  if (query.update) throw soqlErrors.malformed(env.soql, `UPDATE ${query.update} is not supported in this query`, 'UPDATE');
}

function limitOffset(stmt: Statement, query: Query | Subquery): string {
  const parts: string[] = [];
  if (query.limit !== undefined) parts.push(`LIMIT ${stmt.param(query.limit, 'bigint')}`);
  if (query.offset !== undefined) parts.push(`OFFSET ${stmt.param(query.offset, 'bigint')}`);
  return parts.length ? ` ${parts.join(' ')}` : '';
}

function whereSql(scope: QueryScope, env: Env, query: Query | Subquery, extra: (string | undefined)[] = []): string {
  const where = compileConditions(whereEnv(scope, env.now), query.where);
  const all = [...extra, scope.liveFilter(scope.object, scope.alias), where].filter((x): x is string => Boolean(x));
  return all.length ? ` WHERE ${all.join(' AND ')}` : '';
}

/** Builds the output plan and the column list of a non-aggregate SELECT. */
class SelectList {
  readonly columns: string[];
  readonly shape: RecordShape;
  readonly subqueries: Subquery[] = [];
  readonly #parents = new Map<string, Extract<OutNode, { kind: 'parent' }>>();
  readonly #keys = new Map<OutNode[], Set<string>>();
  /** Each SQL expression is selected once (`Id` and `Account.Id` reuse the id columns). */
  readonly #colByExpr = new Map<string, string>();
  #cols = 0;

  constructor(
    readonly scope: QueryScope,
    readonly env: Env,
    readonly limit: number | undefined,
  ) {
    this.columns = [`${scope.column('Id')} AS "_id"`];
    this.#colByExpr.set(scope.column('Id'), '_id');
    this.shape = { type: scope.object.name, idCol: '_id', nodes: [] };
  }

  #add(container: OutNode[], node: OutNode, duplicateIsError: boolean): void {
    const keys = this.#keys.get(container) ?? new Set<string>();
    this.#keys.set(container, keys);
    const key = node.key.toLowerCase();
    if (keys.has(key)) {
      if (duplicateIsError) throw soqlErrors.malformed(this.env.soql, `duplicate field selected: ${node.key}`, node.key);
      return;
    }
    keys.add(key);
    container.push(node);
  }

  #parent(join: Join): OutNode[] {
    const existing = this.#parents.get(join.key);
    if (existing) return existing.nodes;
    const container = join.parent ? this.#parent(join.parent) : this.shape.nodes;
    const idCol = `p${this.#parents.size}`;
    this.columns.push(`${join.idExpr} AS "${idCol}"`);
    this.#colByExpr.set(join.idExpr, idCol);
    const node: Extract<OutNode, { kind: 'parent' }> = {
      kind: 'parent',
      key: join.relationshipName,
      idCol,
      defaultType: join.targets[0]?.object.name ?? join.relationshipName,
      polymorphic: join.targets.length > 1,
      nodes: [],
    };
    this.#parents.set(join.key, node);
    // A parent named twice (`Account.Name, Account.Id`) is one nested object.
    const keys = this.#keys.get(container) ?? new Set<string>();
    this.#keys.set(container, keys);
    keys.add(node.key.toLowerCase());
    container.push(node);
    return node.nodes;
  }

  /** Adds a field path; `key` overrides the output key. */
  field(text: string, relationships?: string[], fieldName?: string, duplicateIsError = true): void {
    const resolved = this.scope.field(text, 'select', relationships, fieldName);
    const container = resolved.join ? this.#parent(resolved.join) : this.shape.nodes;
    const known = this.#colByExpr.get(resolved.expr);
    const col = known ?? `c${this.#cols++}`;
    const before = container.length;
    this.#add(container, { kind: 'field', key: resolved.apiName, col }, duplicateIsError);
    if (container.length > before && !known) {
      this.columns.push(`${resolved.expr} AS "${col}"`);
      this.#colByExpr.set(resolved.expr, col);
    }
  }

  item(f: FieldType): void {
    const soql = this.env.soql;
    switch (f.type) {
      case 'Field':
        if (f.alias) throw soqlErrors.malformed(soql, 'Only aggregate expressions use field aliasing', f.alias);
        this.field(f.field);
        return;
      case 'FieldRelationship':
        if ((f as { alias?: string }).alias) throw soqlErrors.malformed(soql, 'Only aggregate expressions use field aliasing', (f as { alias?: string }).alias);
        this.field(f.rawValue ?? [...f.relationships, f.field].join('.'), f.relationships, f.field);
        return;
      case 'FieldSubquery':
        this.subqueries.push(f.subquery);
        this.#add(this.shape.nodes, { kind: 'children', key: f.subquery.relationshipName, index: this.subqueries.length - 1 }, true);
        return;
      case 'FieldTypeof':
        throw soqlErrors.malformed(soql, `TYPEOF is not supported by the local org; select ${f.field}Id and query the referenced objects instead`, 'TYPEOF');
      case 'FieldFunctionExpression': {
        const name = f.functionName.toUpperCase();
        if (name === 'FIELDS') return this.#fieldsFunction(String(f.parameters[0] ?? '').toUpperCase(), f.rawValue ?? 'FIELDS');
        const arg = f.parameters[0];
        if (['TOLABEL', 'FORMAT', 'CONVERTCURRENCY'].includes(name) && typeof arg === 'string' && f.parameters.length === 1) {
          // Labels equal values and the org has one currency: these functions return the value.
          this.field(arg);
          return;
        }
        if (isDateFunction(name)) throw soqlErrors.malformed(soql, `${name} is only allowed in aggregate queries`, f.rawValue ?? name);
        throw soqlErrors.malformed(soql, `Unknown function ${f.functionName}`, f.rawValue ?? f.functionName);
      }
    }
  }

  #fieldsFunction(which: string, text: string): void {
    const soql = this.env.soql;
    if (!['ALL', 'STANDARD', 'CUSTOM'].includes(which)) throw soqlErrors.unexpectedToken(soql, which || ')');
    if (which !== 'STANDARD' && (this.limit === undefined || this.limit > FIELDS_LIMIT)) {
      throw soqlErrors.malformed(soql, `The SOQL FIELDS function must have a LIMIT of at most ${FIELDS_LIMIT}`, text);
    }
    for (const def of this.scope.object.fields) {
      if (which === 'STANDARD' && def.custom) continue;
      if (which === 'CUSTOM' && !def.custom) continue;
      this.field(def.name, undefined, undefined, false);
    }
  }
}

function orderTerm(operand: Operand, clause: OrderByClause): string {
  // Salesforce sorts text case-insensitively and puts nulls first ascending, last descending.
  const expr = operand.kind === 'text' || operand.kind === 'multi' ? `lower(${operand.expr})` : operand.kind === 'id' ? `${operand.expr} COLLATE "C"` : operand.expr;
  const dir = clause.order === 'DESC' ? 'DESC' : 'ASC';
  const nulls = clause.nulls ?? (dir === 'ASC' ? 'FIRST' : 'LAST');
  return `${expr} ${dir} NULLS ${nulls}`;
}

function orderClauses(query: Query | Subquery): OrderByClause[] {
  const o = query.orderBy;
  return o === undefined ? [] : Array.isArray(o) ? o : [o];
}

/** ORDER BY of a record query, with the id as the final tie-breaker so results are stable. */
function recordOrder(scope: QueryScope, env: Env, query: Query | Subquery): string {
  const terms = orderClauses(query).map((clause) => {
    if ('field' in clause) return orderTerm(scope.field(clause.field, 'sort'), clause);
    const fn = clause.fn;
    const text = fn.rawValue ?? fn.functionName ?? '';
    const arg = fn.parameters?.[0];
    if (fn.functionName && isDateFunction(fn.functionName) && typeof arg === 'string') {
      return orderTerm(dateFunction(env.soql, fn.functionName, scope.field(arg, 'sort'), text), clause);
    }
    throw soqlErrors.malformed(env.soql, `Ordering by ${text} is only allowed in aggregate queries`, text);
  });
  terms.push(`${scope.column('Id')} COLLATE "C" ASC`);
  return terms.join(', ');
}

function compileRecords(env: Env, object: SObjectDef, query: Query): CompiledSoql {
  const stmt = new Statement();
  const scope = new QueryScope(env, stmt, object, query.sObjectAlias);
  const list = new SelectList(scope, env, query.limit);
  for (const f of query.fields ?? []) list.item(f);
  const where = whereSql(scope, env, query);
  const order = recordOrder(scope, env, query);
  const tail = limitOffset(stmt, query);
  const sql = `SELECT ${list.columns.join(', ')} FROM ${scope.fromSql()}${where} ORDER BY ${order}${tail}`;
  const subqueries = list.subqueries.map((sub) => compileChild(env, object, sub));
  // The output key is the relationship name as the schema spells it, whatever case was typed.
  for (const node of list.shape.nodes) {
    if (node.kind === 'children') node.key = subqueries[node.index]?.relationshipName ?? node.key;
  }
  return { kind: 'records', sql, params: stmt.params, shape: list.shape, subqueries };
}

function compileChild(env: Env, parent: SObjectDef, sub: Subquery): CompiledSubquery {
  const soql = env.soql;
  const rel = env.schema.childRelationship(parent.name, sub.relationshipName);
  if (!rel) throw soqlErrors.unknownChildRelationship(soql, sub.relationshipName);
  const child = env.schema.object(rel.childSObject);
  if (!child) throw soqlErrors.unknownChildRelationship(soql, sub.relationshipName);
  checkClauses(env, sub);
  const stmt = new Statement();
  const ids = stmt.param([], 'text[]');
  const scope = new QueryScope(env, stmt, child, sub.sObjectAlias);
  const list = new SelectList(scope, env, sub.limit);
  for (const f of sub.fields ?? []) {
    if (f.type === 'FieldSubquery') throw soqlErrors.malformed(soql, 'Nested subqueries are not supported', f.subquery.relationshipName);
    if (f.type === 'FieldFunctionExpression' && isAggregate(f.functionName)) {
      throw soqlErrors.malformed(soql, 'Aggregate functions are not allowed in a child relationship subquery', f.rawValue ?? f.functionName);
    }
    list.item(f);
  }
  const parentCol = scope.column(rel.field);
  const where = whereSql(scope, env, sub, [`${parentCol} = ANY(${ids})`]);
  const order = recordOrder(scope, env, sub);
  const columns = [`${parentCol} AS "_parent"`, ...list.columns].join(', ');
  let sql: string;
  if (sub.limit === undefined && sub.offset === undefined) {
    sql = `SELECT ${columns} FROM ${scope.fromSql()}${where} ORDER BY ${order}`;
  } else {
    // LIMIT and OFFSET apply per parent: number the rows of each parent and keep a window.
    const from = sub.offset ?? 0;
    const window = [`s."_rn" > ${stmt.param(from, 'bigint')}`];
    if (sub.limit !== undefined) window.push(`s."_rn" <= ${stmt.param(from + sub.limit, 'bigint')}`);
    sql =
      `SELECT * FROM (SELECT ${columns}, row_number() OVER (PARTITION BY ${parentCol} ORDER BY ${order}) AS "_rn" ` +
      `FROM ${scope.fromSql()}${where}) s WHERE ${window.join(' AND ')} ORDER BY s."_rn"`;
  }
  return { relationshipName: rel.relationshipName, sql, params: stmt.params, shape: list.shape };
}

function compileCount(env: Env, object: SObjectDef, query: Query): CompiledSoql {
  const stmt = new Statement();
  const scope = new QueryScope(env, stmt, object, query.sObjectAlias);
  const groups = groupOperands(scope, env, query);
  const where = whereSql(scope, env, query);
  const having = query.having ? compileConditions(havingEnv(scope, env, groups), query.having) : undefined;
  const groupBy = groups.length ? ` GROUP BY ${groups.map((g) => g.expr).join(', ')}` : '';
  const tail = limitOffset(stmt, query);
  const inner = `SELECT true AS "x" FROM ${scope.fromSql()}${where}${groupBy}${having ? ` HAVING ${having}` : ''}${tail}`;
  return { kind: 'count', sql: `SELECT COUNT(*) AS "n" FROM (${inner}) s`, params: stmt.params, subqueries: [] };
}

function groupOperands(scope: QueryScope, env: Env, query: Query): Operand[] {
  const g = query.groupBy;
  const clauses = g === undefined ? [] : Array.isArray(g) ? g : [g];
  return clauses.map((clause) => {
    if ('field' in clause) return scope.field(clause.field, 'group');
    const fn = clause.fn;
    const text = fn.rawValue ?? fn.functionName ?? '';
    const name = (fn.functionName ?? '').toUpperCase();
    if (name === 'ROLLUP' || name === 'CUBE') throw soqlErrors.malformed(env.soql, `GROUP BY ${name} is not supported by the local org`, name);
    const arg = fn.parameters?.[0];
    if (!isDateFunction(name) || typeof arg !== 'string') throw soqlErrors.malformed(env.soql, `Invalid GROUP BY expression: ${text}`, text);
    return dateFunction(env.soql, name, scope.field(arg, 'group'), text);
  });
}

/** A grouped operand equal to `op` (same SQL), or a MALFORMED_QUERY like Salesforce's. */
function grouped(env: Env, groups: Operand[], op: Operand, message: string): Operand {
  if (!groups.some((g) => g.expr === op.expr)) throw soqlErrors.malformed(env.soql, `${message}: ${op.name}`, op.text);
  return op;
}

/** Operand of an aggregate call (`COUNT(Id)`, `SUM(Amount)`). */
function aggregateOperand(scope: QueryScope, env: Env, name: string, params: unknown[] | undefined, text: string): Operand {
  const arg = params?.[0];
  if (arg !== undefined && typeof arg !== 'string') throw soqlErrors.malformed(env.soql, `Invalid aggregate argument in ${text}`, text);
  return aggregate(env.soql, name, arg === undefined ? undefined : scope.field(arg, 'select'), text);
}

function havingEnv(scope: QueryScope, env: Env, groups: Operand[]): ConditionEnv {
  return {
    scope,
    now: env.now,
    field: (text) => grouped(env, groups, scope.field(text, 'filter'), 'Field must be grouped or aggregated'),
    fn: (fn) => {
      const text = fn.rawValue ?? fn.functionName ?? '';
      const name = fn.functionName ?? '';
      if (isAggregate(name)) return aggregateOperand(scope, env, name, fn.parameters, text);
      const arg = fn.parameters?.[0];
      if (isDateFunction(name) && typeof arg === 'string') {
        return grouped(env, groups, dateFunction(env.soql, name, scope.field(arg, 'filter'), text), 'Field must be grouped or aggregated');
      }
      throw soqlErrors.malformed(env.soql, `Invalid function in HAVING: ${text}`, text);
    },
  };
}

function compileAggregate(env: Env, object: SObjectDef, query: Query): CompiledSoql {
  const soql = env.soql;
  const stmt = new Statement();
  const scope = new QueryScope(env, stmt, object, query.sObjectAlias);
  const groups = groupOperands(scope, env, query);
  const items: { key: string; col: string }[] = [];
  const columns: string[] = [];
  let expr = 0;
  for (const f of query.fields ?? []) {
    let op: Operand;
    let key: string;
    switch (f.type) {
      case 'FieldFunctionExpression': {
        const name = f.functionName.toUpperCase();
        const text = f.rawValue ?? name;
        if (isAggregate(name)) {
          op = aggregateOperand(scope, env, name, f.parameters, text);
        } else if (isDateFunction(name) && typeof f.parameters[0] === 'string') {
          op = grouped(env, groups, dateFunction(soql, name, scope.field(f.parameters[0], 'select'), text), 'Field must be grouped or aggregated');
        } else {
          throw soqlErrors.malformed(soql, `Unknown function ${f.functionName}`, text);
        }
        // Unaliased expressions are named expr0, expr1, … in SELECT order.
        key = f.alias ?? `expr${expr++}`;
        break;
      }
      case 'Field':
      case 'FieldRelationship': {
        const text = f.type === 'Field' ? f.field : (f.rawValue ?? [...f.relationships, f.field].join('.'));
        const resolved = f.type === 'Field' ? scope.field(text, 'select') : scope.field(text, 'select', f.relationships, f.field);
        op = grouped(env, groups, resolved, 'Field must be grouped or aggregated');
        // A grouped parent field is keyed by its own name (`Account.Name` → `Name`).
        key = (f as { alias?: string }).alias ?? resolved.apiName;
        break;
      }
      default:
        throw soqlErrors.malformed(soql, 'Only fields and aggregate functions are allowed in an aggregate query', 'SELECT');
    }
    const col = `a${columns.length}`;
    columns.push(`${op.expr} AS "${col}"`);
    items.push({ key, col });
  }
  const where = whereSql(scope, env, query);
  const having = query.having ? compileConditions(havingEnv(scope, env, groups), query.having) : undefined;
  const order = orderClauses(query).map((clause) => {
    if ('field' in clause) return orderTerm(grouped(env, groups, scope.field(clause.field, 'sort'), 'Ordered field must be grouped or aggregated'), clause);
    const fn = clause.fn;
    const text = fn.rawValue ?? fn.functionName ?? '';
    const name = fn.functionName ?? '';
    if (isAggregate(name)) return orderTerm(aggregateOperand(scope, env, name, fn.parameters, text), clause);
    const arg = fn.parameters?.[0];
    if (isDateFunction(name) && typeof arg === 'string') {
      return orderTerm(grouped(env, groups, dateFunction(soql, name, scope.field(arg, 'sort'), text), 'Ordered field must be grouped or aggregated'), clause);
    }
    throw soqlErrors.malformed(soql, `Invalid ORDER BY expression: ${text}`, text);
  });
  const groupBy = groups.length ? ` GROUP BY ${groups.map((g) => g.expr).join(', ')}` : '';
  const tail = limitOffset(stmt, query);
  const sql =
    `SELECT ${columns.join(', ')} FROM ${scope.fromSql()}${where}${groupBy}` +
    `${having ? ` HAVING ${having}` : ''}${order.length ? ` ORDER BY ${order.join(', ')}` : ''}${tail}`;
  return { kind: 'aggregate', sql, params: stmt.params, items, subqueries: [] };
}
