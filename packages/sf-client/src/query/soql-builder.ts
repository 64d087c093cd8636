/**
 * A small SOQL builder: identifiers are checked against the schema map (and printed in their exact
 * API case), values always go through `soqlLiteral` (escaped, typed by the field). Anything it
 * cannot prove safe it refuses with `INVALID_SOQL` when the query is printed.
 *
 * @example
 * const q = soql('Opportunity')
 *   .select('Id', 'Name', 'Account.Region__c')
 *   .subquery('OpportunityLineItems', ['Id', 'Quantity', 'UnitPrice', 'PricebookEntryId'])
 *   .where('StageName', 'IN', ['Prospecting', 'Qualification'])
 *   .where(or(cond('Amount', '>', 1000), cond('Amount', '=', null)))
 *   .orderBy('CloseDate', 'DESC')
 *   .limit(100);
 * for await (const o of client.query(q)) …
 */
import { ClientErrorCode } from '../errors/error-codes.js';
import { SalesforceClientError } from '../errors/salesforce-client-error.js';
import { SCHEMA_MAP } from '../generated/schema-map.js';
import type { SObjectName, SObjects } from '../generated/sobjects.js';
import { SchemaIndex } from '../schema/schema-index.js';
import type { FieldInfo } from '../schema/schema-map.js';
import type { SoqlText } from './query-iterable.js';
import { soqlLiteral } from './soql-literal.js';
import { isValidWhereClause, type ValidWhereClause } from './where-clause.js';

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE';
export type SetOperator = 'IN' | 'NOT IN' | 'INCLUDES' | 'EXCLUDES';
export type Operator = ComparisonOperator | SetOperator;

/** A condition of a WHERE clause, printed (and checked) when the query is. */
export type Condition =
  | { kind: 'compare'; field: string; operator: Operator; value: unknown }
  | { kind: 'and' | 'or'; conditions: Condition[] }
  | { kind: 'not'; condition: Condition }
  | { kind: 'clause'; clause: ValidWhereClause };

/** Field names of a known object, or any string for objects outside the generated types. */
export type FieldOf<O extends string> = O extends SObjectName ? Extract<keyof SObjects[O], string> : string;
/** A field or a parent path (`Account.Region__c`). */
export type FieldPath<O extends string> = FieldOf<O> | `${string}.${string}`;

export const cond = (field: string, operator: Operator, value: unknown): Condition => ({ kind: 'compare', field, operator, value });
export const and = (...conditions: Condition[]): Condition => ({ kind: 'and', conditions });
export const or = (...conditions: Condition[]): Condition => ({ kind: 'or', conditions });
export const not = (condition: Condition): Condition => ({ kind: 'not', condition });

const defaultIndex = new SchemaIndex(SCHEMA_MAP);
const TEXT_KINDS = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'id', 'reference']);

/** Starts a query on `object` (checked against `schema`, by default the project's). */
export function soql<O extends string>(object: O, options: { schema?: SchemaIndex } = {}): SoqlQuery<O> {
  return new SoqlQuery<O>(options.schema ?? defaultIndex, object);
}

export class SoqlQuery<O extends string> implements SoqlText {
  readonly #fields: string[] = [];
  readonly #subqueries: SoqlQuery<string>[] = [];
  readonly #conditions: Condition[] = [];
  readonly #order: Array<{ field: string; direction: 'ASC' | 'DESC'; nulls?: 'FIRST' | 'LAST' }> = [];
  #limit: number | undefined;
  #offset: number | undefined;

  /**
   * @param relationship - set for a child subquery: FROM names the relationship, fields are the child's.
   */
  constructor(
    private readonly schema: SchemaIndex,
    readonly object: O,
    private readonly relationship?: string,
  ) {
    if (!schema.object(object)) throw invalid(`unknown object ${object}`);
  }

  select(...fields: FieldPath<O>[]): this {
    this.#fields.push(...fields);
    return this;
  }

  /** A child relationship subquery: `(SELECT … FROM OpportunityLineItems …)`. */
  subquery(relationship: string, fields: string[], build?: (q: SoqlQuery<string>) => void): this {
    const child = this.schema.child(this.object, relationship);
    if (!child) throw invalid(`${this.object} has no child relationship ${relationship}`);
    const sub = new SoqlQuery<string>(this.schema, child.childSObject, child.relationshipName);
    sub.select(...fields);
    build?.(sub);
    this.#subqueries.push(sub);
    return this;
  }

  /** Adds a condition, ANDed with the others. */
  where(condition: Condition): this;
  where(field: FieldPath<O>, operator: Operator, value: unknown): this;
  where(fieldOrCondition: string | Condition, operator?: Operator, value?: unknown): this {
    this.#conditions.push(typeof fieldOrCondition === 'string' ? cond(fieldOrCondition, operator!, value) : fieldOrCondition);
    return this;
  }

  /** Adds a caller-supplied clause that `validateWhereClause` accepted for this object. */
  whereClause(clause: ValidWhereClause): this {
    // The type already refuses strings; this refuses look-alikes made with a cast or read from JSON.
    if (!isValidWhereClause(clause)) throw invalid('a WHERE clause must come from validateWhereClause');
    this.#conditions.push({ kind: 'clause', clause });
    return this;
  }

  orderBy(field: FieldPath<O>, direction: 'ASC' | 'DESC' = 'ASC', nulls?: 'FIRST' | 'LAST'): this {
    this.#order.push({ field, direction, ...(nulls ? { nulls } : {}) });
    return this;
  }

  limit(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw invalid(`LIMIT must be a non-negative integer, got ${n}`);
    this.#limit = n;
    return this;
  }

  offset(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0 || n > 2000) throw invalid(`OFFSET must be an integer within 0..2000, got ${n}`);
    this.#offset = n;
    return this;
  }

  toSoql(): string {
    const fields = this.#fields.length === 0 ? ['Id'] : this.#fields;
    const selected = [...new Set(fields.map((f) => this.#path(f).path))];
    const parts = [`SELECT ${[...selected, ...this.#subqueries.map((s) => `(${s.toSoql()})`)].join(', ')}`];
    parts.push(`FROM ${this.relationship ?? this.schema.object(this.object)!.name}`);
    if (this.#conditions.length > 0) parts.push(`WHERE ${this.#conditions.map((c) => this.#condition(c, this.#conditions.length === 1)).join(' AND ')}`);
    if (this.#order.length > 0) {
      parts.push(
        `ORDER BY ${this.#order
          .map((o) => {
            const { path, field } = this.#path(o.field);
            if (!field.sortable) throw invalid(`${path} cannot be sorted on`);
            return `${path} ${o.direction}${o.nulls ? ` NULLS ${o.nulls}` : ''}`;
          })
          .join(', ')}`,
      );
    }
    if (this.#limit !== undefined) parts.push(`LIMIT ${this.#limit}`);
    if (this.#offset !== undefined) parts.push(`OFFSET ${this.#offset}`);
    return parts.join(' ');
  }

  toString(): string {
    return this.toSoql();
  }

  #path(path: string): { path: string; field: FieldInfo } {
    const resolved = this.schema.resolvePath(this.object, path);
    if (!resolved.ok) throw invalid(resolved.reason);
    return resolved;
  }

  #condition(c: Condition, top = false): string {
    switch (c.kind) {
      case 'and':
      case 'or': {
        if (c.conditions.length === 0) throw invalid(`an empty ${c.kind.toUpperCase()} group`);
        const text = c.conditions.map((x) => this.#condition(x)).join(` ${c.kind.toUpperCase()} `);
        return c.conditions.length === 1 || top ? text : `(${text})`;
      }
      case 'not':
        return `(NOT ${this.#condition(c.condition)})`;
      case 'clause':
        if (!isValidWhereClause(c.clause)) throw invalid('a WHERE clause must come from validateWhereClause');
        if (c.clause.object.toLowerCase() !== this.object.toLowerCase()) {
          throw invalid(`a WHERE clause validated for ${c.clause.object} cannot filter ${this.object}`);
        }
        return `(${c.clause.normalized})`;
      case 'compare':
        return this.#compare(c.field, c.operator, c.value);
    }
  }

  #compare(fieldPath: string, operator: Operator, value: unknown): string {
    const { path, field } = this.#path(fieldPath);
    if (!field.filterable) throw invalid(`${path} cannot be filtered on`);
    const op = String(operator).toUpperCase() as Operator;
    switch (op) {
      case 'IN':
      case 'NOT IN':
      case 'INCLUDES':
      case 'EXCLUDES': {
        if (!Array.isArray(value) || value.length === 0) throw invalid(`${op} needs a non-empty array for ${path}`);
        if ((op === 'INCLUDES' || op === 'EXCLUDES') !== (field.type === 'multipicklist')) {
          throw invalid(`${op} ${op === 'INCLUDES' || op === 'EXCLUDES' ? 'applies only to' : 'does not apply to'} multi-select picklists (${path})`);
        }
        return `${path} ${op} (${value.map((v) => soqlLiteral(v, field)).join(', ')})`;
      }
      case 'LIKE':
        if (!TEXT_KINDS.has(field.type) || typeof value !== 'string') throw invalid(`LIKE needs a text field and a string pattern (${path})`);
        return `${path} LIKE ${soqlLiteral(value, field)}`;
      case '=':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=':
        if (Array.isArray(value)) throw invalid(`${op} takes one value; use IN for a list (${path})`);
        if (value === null && op !== '=' && op !== '!=') throw invalid(`${op} NULL is not valid SOQL (${path})`);
        return `${path} ${op} ${soqlLiteral(value, field)}`;
      default:
        throw invalid(`unknown operator ${String(operator)}`);
    }
  }
}

function invalid(message: string): SalesforceClientError {
  return new SalesforceClientError(ClientErrorCode.INVALID_SOQL, message);
}
