/**
 * WHERE and HAVING conditions → parameterised SQL predicates with Salesforce's semantics:
 * - text comparisons are case-insensitive; ids compare in their 18-character form (15-character
 *   literals are converted);
 * - `!=` and `NOT IN` match nulls (SOQL compares null like a value), and `NOT` is two-valued;
 * - a date literal (`THIS_MONTH`) is a range: `=` within, `<` before its start, `>` after its end;
 * - literals must have the field's type, as Salesforce checks before running the query.
 */
import type { FunctionExp, Query } from 'soql-parser-js';
import { isValidId, to18 } from '../ids.js';
import { errors } from '../errors.js';
import { dateLiteralRange, isoDay } from './date-literals.js';
import { dateFunction, isDateFunction } from './functions.js';
import { isDate, numberText, parseDateTime, unquoteString } from './literals.js';
import { QueryScope, sqlCast, type Operand } from './scope.js';
import { soqlErrors } from './soql-errors.js';
import { buildTree, type Atom, type BoolNode } from './where-tree.js';

/** How a condition's operands are found: differs between WHERE and HAVING. */
export interface ConditionEnv {
  scope: QueryScope;
  now: Date;
  /** A field path used on the left of a condition. */
  field(text: string): Operand;
  /** A function on the left of a condition (date function; aggregate in HAVING). */
  fn(fn: FunctionExp): Operand;
}

/** Operand resolution for a WHERE clause: filterable fields and date functions of `scope`. */
export function whereEnv(scope: QueryScope, now: Date): ConditionEnv {
  return {
    scope,
    now,
    field: (text) => scope.field(text, 'filter'),
    fn: (fn) => {
      const text = fn.rawValue ?? fn.functionName ?? '';
      const name = fn.functionName ?? '';
      const arg = fn.parameters?.[0];
      if (!isDateFunction(name) || typeof arg !== 'string' || fn.parameters?.length !== 1) {
        throw soqlErrors.malformed(scope.env.soql, `Invalid function in WHERE: ${text}`, text);
      }
      return dateFunction(scope.env.soql, name, scope.field(arg, 'filter'), text);
    },
  };
}

/** One literal, typed for the field it is compared with. */
type Literal = { k: 'null' } | { k: 'value'; v: unknown } | { k: 'range'; start: unknown; end: unknown };

const TEXT_OPS = new Set(['=', '!=', '<>', '<', '<=', '>', '>=', 'LIKE', 'IN', 'NOT IN']);

/** The SQL predicate of a whole WHERE/HAVING clause, or undefined when there is none. */
export function compileConditions(env: ConditionEnv, clause: Parameters<typeof buildTree>[1]): string | undefined {
  const tree = buildTree(env.scope.env.soql, clause);
  return tree ? compileNode(env, tree) : undefined;
}

function compileNode(env: ConditionEnv, node: BoolNode): string {
  switch (node.kind) {
    case 'atom':
      return compileAtom(env, node.atom);
    case 'not':
      // COALESCE makes NOT two-valued: a condition on a null field is false, so its negation is true.
      return `(NOT COALESCE(${compileNode(env, node.child)}, false))`;
    case 'and':
    case 'or':
      return `(${node.children.map((c) => compileNode(env, c)).join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
  }
}

function compileAtom(env: ConditionEnv, atom: Atom): string {
  const soql = env.scope.env.soql;
  if (!('operator' in atom)) throw soqlErrors.malformed(env.scope.env.soql, "unexpected token: 'NOT'", 'NOT');
  const operator = atom.operator.toUpperCase();
  const left = 'fn' in atom && atom.fn ? env.fn(atom.fn) : env.field((atom as { field: string }).field);
  if ('valueQuery' in atom && atom.valueQuery) return semiJoin(env, left, operator, atom.valueQuery);
  const raw = (atom as { value: string | string[] }).value;
  const values = Array.isArray(raw) ? raw : [raw];
  const typesRaw = (atom as { literalType?: string | string[] }).literalType;
  const types = Array.isArray(typesRaw) ? typesRaw : values.map(() => typesRaw ?? 'STRING');
  const like = operator === 'LIKE';
  const literals = values.map((v, i) => literal(env, left, types[i] ?? 'STRING', v, like));
  const stmt = env.scope.stmt;
  const cast = sqlCast(left.kind);
  const text = left.kind === 'text' || left.kind === 'multi';

  if (left.kind !== 'text' && left.kind !== 'id' && like) {
    throw soqlErrors.invalidOperator(soql, left.text, `invalid operator on field of type ${left.typeName}: LIKE`);
  }
  if ((operator === 'INCLUDES' || operator === 'EXCLUDES') && left.kind !== 'multi') {
    throw soqlErrors.invalidOperator(soql, left.text, 'includes or excludes operator only valid on multipicklist field');
  }
  if (left.kind === 'multi' && !TEXT_OPS.has(operator) && operator !== 'INCLUDES' && operator !== 'EXCLUDES') {
    throw soqlErrors.invalidOperator(soql, left.text, `invalid operator on multipicklist field`);
  }

  if (operator === 'IN' || operator === 'NOT IN') {
    const parts: string[] = [];
    if (literals.some((l) => l.k === 'null')) parts.push(`${left.expr} IS NULL`);
    const scalars = literals.filter((l): l is { k: 'value'; v: unknown } => l.k === 'value').map((l) => l.v);
    if (scalars.length > 0) {
      parts.push(
        text
          ? `lower(${left.expr}) = ANY(ARRAY(SELECT lower(x) FROM unnest(${stmt.param(scalars, 'text[]')}) AS x))`
          : `${left.expr} = ANY(${stmt.param(scalars, `${cast}[]`)})`,
      );
    }
    for (const l of literals) if (l.k === 'range') parts.push(inRange(env, left, l));
    const any = parts.length === 0 ? 'false' : `(${parts.join(' OR ')})`;
    return operator === 'IN' ? any : `(NOT COALESCE(${any}, false))`;
  }

  if (operator === 'INCLUDES' || operator === 'EXCLUDES') {
    // Each value is a set of selections that must all be present (`'a;b'` = a AND b).
    const sets = literals.map((l) => {
      if (l.k !== 'value') return 'false';
      const items = String(l.v)
        .split(';')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
      return `string_to_array(lower(${left.expr}), ${stmt.param(';', 'text')}) @> ${stmt.param(items, 'text[]')}`;
    });
    const any = `(${sets.join(' OR ')})`;
    return operator === 'INCLUDES' ? any : `(NOT COALESCE(${any}, false))`;
  }

  const lit = literals[0];
  if (!lit || literals.length !== 1) throw soqlErrors.malformed(soql, `unexpected token: '('`, left.text);
  if (lit.k === 'null') {
    if (operator === '=') return `${left.expr} IS NULL`;
    if (operator === '!=' || operator === '<>') return `${left.expr} IS NOT NULL`;
    return 'false';
  }
  if (lit.k === 'range') {
    // Bind only the bounds the operator uses: PostgreSQL refuses unused parameters.
    const start = (): string => stmt.param(lit.start, cast);
    const end = (): string => stmt.param(lit.end, cast);
    switch (operator) {
      case '=':
        return inRange(env, left, lit);
      case '!=':
      case '<>':
        return `(NOT COALESCE(${inRange(env, left, lit)}, false))`;
      case '<':
        return `${left.expr} < ${start()}`;
      case '<=':
        return `${left.expr} < ${end()}`;
      case '>':
        return `${left.expr} >= ${end()}`;
      case '>=':
        return `${left.expr} >= ${start()}`;
      default:
        throw soqlErrors.invalidOperator(soql, left.text, `invalid operator on field of type ${left.typeName}: ${operator}`);
    }
  }
  const l = text ? `lower(${left.expr})` : left.expr;
  const r = text ? `lower(${stmt.param(lit.v, 'text')})` : stmt.param(lit.v, cast);
  switch (operator) {
    case '=':
      return `${l} = ${r}`;
    case '!=':
    case '<>':
      return `${l} IS DISTINCT FROM ${r}`;
    case '<':
    case '<=':
    case '>':
    case '>=':
      return `${l} ${operator} ${r}`;
    case 'LIKE':
      return left.kind === 'id' ? `${left.expr} ILIKE ${stmt.param(lit.v, 'text')}` : `${l} LIKE ${r}`;
    default:
      throw soqlErrors.invalidOperator(soql, left.text, `invalid operator: ${operator}`);
  }
}

function inRange(env: ConditionEnv, left: Operand, l: { start: unknown; end: unknown }): string {
  const cast = sqlCast(left.kind);
  return `(${left.expr} >= ${env.scope.stmt.param(l.start, cast)} AND ${left.expr} < ${env.scope.stmt.param(l.end, cast)})`;
}

/** Checks a literal against the operand's type and converts it to the bound value. */
function literal(env: ConditionEnv, left: Operand, type: string, raw: string, like: boolean): Literal {
  const soql = env.scope.env.soql;
  if (type === 'NULL') return { k: 'null' };
  const quoted = type === 'STRING';
  const wrongType = (): Error => soqlErrors.filterType(soql, left.text, left.name, left.typeName, left.kind === 'text' || left.kind === 'id' || left.kind === 'multi');
  switch (left.kind) {
    case 'id': {
      if (!quoted) throw wrongType();
      const value = unquoteString(soql, raw, like);
      if (like) return { k: 'value', v: value };
      if (value === '') return { k: 'null' };
      if (!isValidId(value)) throw soqlErrors.invalidIdLiteral(soql, value);
      return { k: 'value', v: to18(value) };
    }
    case 'text':
    case 'multi':
      if (!quoted) throw wrongType();
      return { k: 'value', v: unquoteString(soql, raw, like) };
    case 'number':
      if (!['INTEGER', 'DECIMAL', 'INTEGER_WITH_CURRENCY_PREFIX', 'DECIMAL_WITH_CURRENCY_PREFIX'].includes(type)) throw wrongType();
      return { k: 'value', v: numberText(raw) };
    case 'boolean':
      if (type !== 'BOOLEAN') throw wrongType();
      return { k: 'value', v: raw.toUpperCase() === 'TRUE' };
    case 'date':
    case 'datetime': {
      if (type === 'DATE_LITERAL' || type === 'DATE_N_LITERAL') {
        const range = dateLiteralRange(raw, env.now);
        if (!range) throw soqlErrors.malformed(soql, `unexpected token: '${raw}'`, raw);
        return left.kind === 'date'
          ? { k: 'range', start: isoDay(range.start), end: isoDay(range.end) }
          : { k: 'range', start: range.start.toISOString(), end: range.end.toISOString() };
      }
      if (left.kind === 'date') {
        if (type !== 'DATE') throw wrongType();
        if (!isDate(raw)) throw soqlErrors.malformed(soql, `line 1:${Math.max(0, soql.indexOf(raw))} Invalid date: ${raw}`, raw);
        return { k: 'value', v: raw };
      }
      if (type !== 'DATETIME') throw wrongType();
      const iso = parseDateTime(raw);
      if (!iso) throw soqlErrors.malformed(soql, `line 1:${Math.max(0, soql.indexOf(raw))} Invalid datetime: ${raw}`, raw);
      return { k: 'value', v: iso };
    }
  }
}

/**
 * `Id IN (SELECT OpportunityId FROM Quote …)` and `NOT IN`: a semi-/anti-join on an id or lookup
 * field, compiled inline with the outer statement's parameters.
 */
function semiJoin(env: ConditionEnv, left: Operand, operator: string, query: Query): string {
  const outer = env.scope;
  const soql = outer.env.soql;
  if (operator !== 'IN' && operator !== 'NOT IN') throw soqlErrors.malformed(soql, `unexpected token: 'SELECT'`, 'SELECT');
  if (left.kind !== 'id') {
    throw soqlErrors.malformed(soql, `Semi join sub-selects are only allowed on id or reference fields: ${left.name}`, left.text);
  }
  const object = outer.env.schema.object(query.sObject ?? '');
  if (!object) throw errors.invalidType(query.sObject ?? '');
  const scope = new QueryScope(outer.env, outer.stmt, object, query.sObjectAlias);
  const only = query.fields?.length === 1 ? query.fields[0] : undefined;
  if (!only || (only.type !== 'Field' && only.type !== 'FieldRelationship')) {
    throw soqlErrors.malformed(soql, 'Semi join sub-selects can only select one id or reference field', query.sObject);
  }
  const inner =
    only.type === 'Field' ? scope.field(only.field, 'select') : scope.field(only.rawValue ?? only.field, 'select', only.relationships, only.field);
  if (inner.kind !== 'id') {
    throw soqlErrors.malformed(soql, `Semi join sub-selects can only select an id or reference field: ${inner.name}`, inner.text);
  }
  const where = compileConditions(whereEnv(scope, env.now), query.where);
  const filters = [`${inner.expr} IS NOT NULL`, scope.liveFilter(object, scope.alias), where].filter(Boolean);
  const sub = `SELECT ${inner.expr} FROM ${scope.fromSql()} WHERE ${filters.join(' AND ')}`;
  return operator === 'IN' ? `${left.expr} IN (${sub})` : `(NOT COALESCE(${left.expr} IN (${sub}), false))`;
}
