/**
 * `validateWhereClause(object, clause)`: accepts a user-supplied WHERE clause only when it is ONE
 * boolean condition over the object's fields and relationship paths — what the batch API lets a
 * Salesforce admin type (`StageName = 'Prospecting' AND Account.Region__c = 'EMEA'`) — and says
 * why otherwise.
 *
 * Checks, in order (the first failure is the reason):
 * 1. length ≤ {@link MAX_WHERE_CLAUSE_LENGTH} characters, not empty;
 * 2. lexical: no control or invisible formatting characters (zero-width, bidi overrides), nothing
 *    but ASCII outside string literals (full-width quotes, homoglyph letters), terminated string
 *    literals, no `;`, no comments (`--`, `//`, `/*`), no `"`, no bind variables (`:name`);
 * 3. it parses (soql-parser-js) as `SELECT Id FROM <object> WHERE <clause>` with nothing after the
 *    condition: LIMIT, OFFSET, ORDER BY, GROUP BY, HAVING, WITH, FOR, UPDATE, ALL ROWS, a second
 *    FROM or UNION are refused by name;
 * 4. every field path exists on the object and is filterable, literals fit the field's type,
 *    LIKE only on text, INCLUDES/EXCLUDES only on multi-select picklists, functions only the date
 *    functions on date fields.
 *
 * Semi-joins (`Id IN (SELECT OpportunityId FROM OpportunityLineItem WHERE …)`) are allowed: they
 * are filters, Salesforce runs them in the same sharing context, and the batch job needs them
 * ("opportunities with a line for product X"). They are held to the same rules: one id or
 * reference field selected from a known queryable object, its own WHERE validated the same way,
 * no nesting (Salesforce does not allow it), nothing after its WHERE.
 *
 * Validation is offline and deterministic: it uses the generated schema map, not the org.
 */
import soqlParser from 'soql-parser-js';
import type { Query, WhereClause } from 'soql-parser-js';
import { SCHEMA_MAP } from '../generated/schema-map.js';
import { SchemaIndex } from '../schema/schema-index.js';
import type { FieldInfo, FieldKind } from '../schema/schema-map.js';

const { parseQuery, Compose } = soqlParser;

/** Longest clause accepted: generous for a human-written filter, small enough to parse quickly. */
export const MAX_WHERE_CLAUSE_LENGTH = 4000;

declare const validWhereClause: unique symbol;

/**
 * A clause that passed; `normalized` is what to put after `WHERE` (fields in exact API case).
 * Branded: only {@link validateWhereClause} makes one (the brand is a type no other module can
 * name), and the SOQL builder accepts no other clause, so an unvalidated string cannot reach a
 * query. The builder also checks at run time that the value came from here (a cast is not enough).
 * It does not survive serialization: a clause read back from a queue is validated again
 * (`@ecars/job-queue`'s payload schemas).
 */
export interface ValidWhereClause {
  readonly ok: true;
  readonly object: string;
  readonly normalized: string;
  readonly [validWhereClause]: true;
}

/** Every clause `validateWhereClause` accepted (weakly held): what the builder's run-time check reads. */
const issued = new WeakSet<object>();

/** Whether `value` is a clause `validateWhereClause` accepted in this process (not a look-alike). */
export function isValidWhereClause(value: unknown): value is ValidWhereClause {
  return typeof value === 'object' && value !== null && issued.has(value);
}

export interface InvalidWhereClause {
  ok: false;
  reason: string;
}

export type WhereClauseValidation = ValidWhereClause | InvalidWhereClause;

const DATE_FUNCTIONS = new Set([
  'CALENDAR_MONTH', 'CALENDAR_QUARTER', 'CALENDAR_YEAR', 'DAY_IN_MONTH', 'DAY_IN_WEEK', 'DAY_IN_YEAR', 'DAY_ONLY',
  'FISCAL_MONTH', 'FISCAL_QUARTER', 'FISCAL_YEAR', 'HOUR_IN_DAY', 'WEEK_IN_MONTH', 'WEEK_IN_YEAR',
]);
const TEXT_KINDS = new Set<FieldKind>(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'id', 'reference']);
const NUMBER_KINDS = new Set<FieldKind>(['int', 'double', 'currency', 'percent']);

/** Clause keys soql-parser-js sets for anything beyond SELECT … FROM … WHERE. */
const EXTRA_CLAUSES: Record<string, string> = {
  // In the order they appear in SOQL, so the first one written is the one named.
  sObjectAlias: 'an object alias',
  usingScope: 'USING SCOPE',
  withSecurityEnforced: 'WITH SECURITY_ENFORCED',
  withAccessLevel: 'WITH USER_MODE/SYSTEM_MODE',
  withDataCategory: 'WITH DATA CATEGORY',
  groupBy: 'GROUP BY',
  having: 'HAVING',
  orderBy: 'ORDER BY',
  limit: 'LIMIT',
  offset: 'OFFSET',
  for: 'FOR VIEW/UPDATE/REFERENCE',
  update: 'UPDATE TRACKING/VIEWSTAT',
};

/** Keywords named in the reason when a clause with them does not parse. */
const KEYWORDS: Array<[RegExp, string]> = [
  [/\bALL\s+ROWS\b/i, 'ALL ROWS is not allowed'],
  [/\bUNION\b/i, 'UNION is not SOQL and is not allowed'],
  [/\bLIMIT\b/i, 'LIMIT is not allowed: the clause must be a condition only'],
  [/\bOFFSET\b/i, 'OFFSET is not allowed: the clause must be a condition only'],
  [/\bORDER\s+BY\b/i, 'ORDER BY is not allowed: the clause must be a condition only'],
  [/\bGROUP\s+BY\b/i, 'GROUP BY is not allowed: the clause must be a condition only'],
  [/\bHAVING\b/i, 'HAVING is not allowed: the clause must be a condition only'],
  [/\bFOR\s+(?:UPDATE|VIEW|REFERENCE)\b/i, 'FOR UPDATE/VIEW/REFERENCE is not allowed'],
  [/\bWITH\b/i, 'WITH clauses are not allowed'],
  [/\b(?:INSERT|UPDATE|DELETE|UPSERT|MERGE|UNDELETE|DROP)\b/i, 'DML keywords are not allowed: the clause must be a condition only'],
  [/\bFROM\b/i, 'a second FROM is not allowed (only inside an IN (SELECT …) semi-join)'],
  [/\bSELECT\b/i, 'a subquery is allowed only as a semi-join: <field> IN (SELECT <id field> FROM <object> WHERE …)'],
  [/\b(?!(?:IN|INCLUDES|EXCLUDES|NOT|AND|OR)\s*\()[A-Za-z_][A-Za-z0-9_]*\s*\(/i, 'function calls are not allowed in a filter (only date functions such as CALENDAR_YEAR)'],
];

const defaultIndex = new SchemaIndex(SCHEMA_MAP);

/** Validates `clause` as a filter of `object`; see the module comment for the rules. */
export function validateWhereClause(object: string, clause: string, options: { schema?: SchemaIndex } = {}): WhereClauseValidation {
  const schema = options.schema ?? defaultIndex;
  const fail = (reason: string): InvalidWhereClause => ({ ok: false, reason });
  if (typeof clause !== 'string') return fail('the WHERE clause must be a string');
  const target = schema.object(object);
  if (!target || !target.queryable) return fail(`unknown or non-queryable object ${object}`);
  if (clause.length > MAX_WHERE_CLAUSE_LENGTH) {
    return fail(`the WHERE clause is ${clause.length} characters long; at most ${MAX_WHERE_CLAUSE_LENGTH} are accepted`);
  }
  if (clause.trim() === '') return fail('the WHERE clause is empty');

  const lexical = scan(clause);
  if (!lexical.ok) return fail(lexical.reason);

  let query: Query;
  try {
    query = parseQuery(`SELECT Id FROM ${target.name} WHERE ${clause}`, { ignoreParseErrors: false, allowApexBindVariables: true });
  } catch (error) {
    const keyword = KEYWORDS.find(([re]) => re.test(lexical.outside));
    if (keyword) return fail(keyword[1]);
    const detail = String((error as Error).message ?? error).split('\n', 1)[0];
    return fail(`not a valid SOQL condition: ${detail}`);
  }
  const extra = extraClause(query);
  if (extra) return fail(`${extra} is not allowed: the clause must be a condition only`);
  if (!query.where) return fail('the WHERE clause has no condition');

  const checked = checkWhere(schema, target.name, query.where, 0);
  if (checked) return fail(checked);
  const normalized = new Compose({}, { autoCompose: false }).parseWhereOrHavingClause(query.where);
  const valid = Object.freeze({ ok: true, object: target.name, normalized }) as ValidWhereClause;
  issued.add(valid);
  return valid;
}

/** The name of the first clause beyond WHERE the parser found, if any. */
function extraClause(query: Query): string | undefined {
  for (const [key, name] of Object.entries(EXTRA_CLAUSES)) {
    const value = (query as Record<string, unknown>)[key];
    if (value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0)) return name;
  }
  return undefined;
}

type ScanResult = { ok: true; outside: string } | { ok: false; reason: string };

/** The lexical rules (step 2); `outside` is the clause with string literals blanked, for keyword checks. */
function scan(clause: string): ScanResult {
  const fail = (reason: string): ScanResult => ({ ok: false, reason });
  let outside = '';
  let inString = false;
  for (let i = 0; i < clause.length; i++) {
    const c = clause[i]!;
    const code = clause.codePointAt(i)!;
    if (isInvisible(code) || (code < 0x20 && !(c === ' ' || (!inString && (c === '\t' || c === '\n' || c === '\r'))))) {
      return fail(`control or invisible formatting character U+${code.toString(16).toUpperCase().padStart(4, '0')} at position ${i + 1}`);
    }
    if (inString) {
      if (c === '\\') {
        i++;
        if (i >= clause.length) break;
        continue;
      }
      if (c === "'") {
        inString = false;
        outside += "''";
      }
      continue;
    }
    if (c === "'") {
      inString = true;
      continue;
    }
    if (code > 0x7e) {
      return fail(`character "${String.fromCodePoint(code)}" (U+${code.toString(16).toUpperCase()}) at position ${i + 1} is not allowed outside a string literal`);
    }
    if (c === ';') return fail('semicolons are not allowed: the clause must be one condition');
    if ((c === '-' && clause[i + 1] === '-') || (c === '/' && (clause[i + 1] === '*' || clause[i + 1] === '/')) || (c === '*' && clause[i + 1] === '/')) {
      return fail('comments are not allowed');
    }
    if (c === '"') return fail('double quotes are not allowed: SOQL strings use single quotes');
    if (c === '\\') return fail('a backslash is allowed only inside a string literal');
    // `:name` is an Apex bind variable; a colon before digits is a time (T10:30:00Z) or NEXT_N_DAYS:30.
    if (c === ':' && /^\s*[A-Za-z_]/.test(clause.slice(i + 1, i + 40))) return fail('bind variables (:name) are not allowed');
    outside += c;
  }
  if (inString) return fail('unterminated string literal (unbalanced quote)');
  return { ok: true, outside };
}

/** Zero-width and bidirectional formatting characters, BOM, and other Unicode "format" controls. */
function isInvisible(code: number): boolean {
  return (
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x206f) ||
    code === 0xfeff ||
    code === 0x00ad ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0xfff9 && code <= 0xfffb) ||
    (code >= 0xe0000 && code <= 0xe007f)
  );
}

/** Checks every condition of `where` (step 4); returns the reason of the first failure. */
function checkWhere(schema: SchemaIndex, object: string, where: WhereClause, depth: number): string | undefined {
  for (let node: WhereClause | undefined = where; node; node = (node as { right?: WhereClause }).right) {
    const left = node.left as Record<string, unknown> | null;
    if (left && ('field' in left || 'fn' in left)) {
      const reason = checkCondition(schema, object, left, depth);
      if (reason) return reason;
    }
  }
  return undefined;
}

function checkCondition(schema: SchemaIndex, object: string, condition: Record<string, unknown>, depth: number): string | undefined {
  const operator = String(condition['operator'] ?? '').toUpperCase();
  const literalTypes = ([] as unknown[]).concat(condition['literalType'] ?? []).map(String);
  if (literalTypes.includes('APEX_BIND_VARIABLE')) return 'bind variables (:name) are not allowed';

  let field: FieldInfo;
  if ('fn' in condition) {
    const fn = condition['fn'] as { functionName?: string; parameters?: unknown[] };
    const name = String(fn.functionName ?? '').toUpperCase();
    if (!DATE_FUNCTIONS.has(name)) return `function calls are not allowed in a filter: ${fn.functionName} (only date functions such as CALENDAR_YEAR)`;
    const params = fn.parameters ?? [];
    if (params.length !== 1 || typeof params[0] !== 'string') return `${name} takes exactly one field`;
    const resolved = schema.resolvePath(object, params[0]);
    if (!resolved.ok) return resolved.reason;
    if (resolved.field.type !== 'date' && resolved.field.type !== 'datetime') return `${name} needs a date or date-time field, not ${resolved.path}`;
    fn.parameters = [resolved.path];
    if (!literalTypes.every((t) => t === 'INTEGER')) return `${name}(…) compares with whole numbers`;
    return undefined;
  } else {
    const resolved = schema.resolvePath(object, String(condition['field']));
    if (!resolved.ok) return resolved.reason;
    if (!resolved.field.filterable) return `${resolved.path} cannot be used in a filter`;
    condition['field'] = resolved.path;
    field = resolved.field;
  }

  if (literalTypes.includes('SUBQUERY')) {
    if (operator !== 'IN' && operator !== 'NOT IN') return 'a subquery is allowed only with IN or NOT IN';
    if (field.type !== 'id' && field.type !== 'reference') return `a semi-join needs an id or reference field on the left, not ${field.name}`;
    return checkSemiJoin(schema, condition['valueQuery'] as Query, depth);
  }

  if ((operator === 'INCLUDES' || operator === 'EXCLUDES') !== (field.type === 'multipicklist')) {
    return operator === 'INCLUDES' || operator === 'EXCLUDES'
      ? `${operator} applies only to multi-select picklists, not ${field.name}`
      : `${field.name} is a multi-select picklist: use INCLUDES or EXCLUDES`;
  }
  if (operator === 'LIKE' && !TEXT_KINDS.has(field.type)) return `LIKE applies only to text fields, not ${field.name} (${field.type})`;
  for (const literal of literalTypes) {
    const mismatch = literalMismatch(field, literal);
    if (mismatch) return mismatch;
  }
  const values = ([] as unknown[]).concat(condition['value'] ?? []);
  // One literal type for a whole IN list, or one per value.
  for (const [i, raw] of values.entries()) {
    const literal = literalTypes.length === values.length ? literalTypes[i] : literalTypes[0];
    const value = String(raw);
    if ((literal === 'DATE' || literal === 'DATETIME') && !isCalendarDate(value)) return `${value} is not a date that exists`;
  }
  return undefined;
}

/** Whether the `YYYY-MM-DD` that starts `value` is a real calendar day (not 2024-02-30 or 2024-13-45). */
function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function checkSemiJoin(schema: SchemaIndex, sub: Query, depth: number): string | undefined {
  if (depth > 0) return 'semi-joins cannot be nested';
  const extra = extraClause(sub);
  if (extra) return `${extra} is not allowed inside a semi-join`;
  const inner = schema.object(String(sub.sObject ?? ''));
  if (!inner || !inner.queryable) return `unknown or non-queryable object ${sub.sObject} in the semi-join`;
  sub.sObject = inner.name;
  const fields = sub.fields ?? [];
  const only = fields[0] as { type?: string; field?: string } | undefined;
  if (fields.length !== 1 || only?.type !== 'Field' || typeof only.field !== 'string') {
    return 'a semi-join selects exactly one id or reference field';
  }
  const selected = schema.field(inner.name, only.field);
  if (!selected) return `${inner.name} has no field ${only.field}`;
  if (selected.type !== 'id' && selected.type !== 'reference') return `a semi-join selects an id or reference field, not ${selected.name}`;
  only.field = selected.name;
  return sub.where ? checkWhere(schema, inner.name, sub.where, depth + 1) : undefined;
}

/** Why a literal of parser type `literal` cannot be compared with `field`, if it cannot. */
function literalMismatch(field: FieldInfo, literal: string): string | undefined {
  const kind = field.type;
  const ok =
    literal === 'NULL' ||
    (literal === 'STRING' && (TEXT_KINDS.has(kind) || kind === 'address')) ||
    ((literal === 'INTEGER' || literal === 'DECIMAL') && NUMBER_KINDS.has(kind)) ||
    ((literal === 'INTEGER_WITH_CURRENCY_PREFIX' || literal === 'DECIMAL_WITH_CURRENCY_PREFIX') && kind === 'currency') ||
    (literal === 'BOOLEAN' && kind === 'boolean') ||
    // A date (2024-01-31) only matches date fields; Salesforce refuses it against a date-time.
    (literal === 'DATE' && kind === 'date') ||
    ((literal === 'DATE_LITERAL' || literal === 'DATE_N_LITERAL') && (kind === 'date' || kind === 'datetime')) ||
    (literal === 'DATETIME' && kind === 'datetime');
  return ok ? undefined : `${field.name} (${kind}) cannot be compared with a ${literal.toLowerCase().replace(/_/g, ' ')} value`;
}
