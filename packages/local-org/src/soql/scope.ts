/**
 * Name resolution for one FROM object: field paths (`Account.Owner.Name`) become SQL expressions
 * over LEFT JOINs that are planned once per relationship path, and every literal becomes a
 * numbered parameter of the statement. Identifiers come only from the schema (quoted with
 * `ident`); nothing the user typed is ever spliced into SQL text.
 */
import type { Schema } from '../schema/schema.js';
import type { FieldDef, SObjectDef } from '../schema/types.js';
import { ident } from '../storage/ddl.js';
import { soqlErrors } from './soql-errors.js';

/** SOQL allows at most five parent hops in a field path. */
export const MAX_PARENT_DEPTH = 5;

/** How a value compares: decides casts, case-insensitivity and literal checks. */
export type ValueKind = 'id' | 'text' | 'multi' | 'number' | 'boolean' | 'date' | 'datetime';

/** The SQL cast of a parameter compared with a value of `kind`. */
export function sqlCast(kind: ValueKind): string {
  switch (kind) {
    case 'number':
      return 'numeric';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'timestamptz';
    default:
      return 'text';
  }
}

/** The comparison kind of a field. */
export function kindOf(f: FieldDef): ValueKind {
  switch (f.type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'multipicklist':
      return 'multi';
    default:
      return 'text';
  }
}

/** A value that conditions, ORDER BY and GROUP BY can use. */
export interface Operand {
  /** SQL expression. */
  expr: string;
  kind: ValueKind;
  /** Name for messages and for aggregate-result keys (`Name` for `Account.Name`). */
  name: string;
  /** The text as the user wrote it (to place the error caret). */
  text: string;
  /** Salesforce's SOAP type name, for "must be of type …" messages. */
  typeName: string;
  /** The field behind the operand, when there is one. */
  field?: FieldDef;
}

/** A planned LEFT JOIN for one parent relationship path. */
export interface Join {
  /** Lower-case path key (`account.owner`). */
  key: string;
  /** Exact relationship name, the output key (`Owner`). */
  relationshipName: string;
  lookup: FieldDef;
  /** One target normally; several for a polymorphic lookup (`Task.What`), matched by id. */
  targets: { object: SObjectDef; alias: string }[];
  /** Expression of the parent's id (null when the lookup is empty). */
  idExpr: string;
  parent?: Join;
  /** SQL of the JOIN clauses. */
  sql: string;
}

/** A resolved field path. */
export interface ResolvedField extends Operand {
  field: FieldDef;
  /** Exact API name of the field. */
  apiName: string;
  /** The join the field sits on; undefined for the FROM object's own fields. */
  join?: Join;
}

/** Statement-wide state: parameters and alias numbering, shared by nested semi-join scopes. */
export class Statement {
  readonly params: unknown[] = [];
  #aliases = 0;

  /** Binds `value` and returns its placeholder, with a cast when given. */
  param(value: unknown, cast?: string): string {
    this.params.push(value);
    return `$${this.params.length}${cast ? `::${cast}` : ''}`;
  }

  /** A fresh table alias. */
  alias(): string {
    return `t${this.#aliases++}`;
  }
}

/** What every scope needs from the caller. */
export interface ScopeEnv {
  schema: Schema;
  soql: string;
  includeDeleted: boolean;
}

const TYPE_NAMES: Partial<Record<FieldDef['type'], string>> = {
  int: 'integer',
  double: 'double',
  currency: 'double',
  percent: 'double',
  boolean: 'boolean',
  date: 'date',
  datetime: 'dateTime',
  id: 'id',
  reference: 'id',
};

/** Synthetic `Type` of a polymorphic relationship (`What.Type`): the target object's name. */
const POLY_TYPE_FIELD: FieldDef = {
  name: 'Type',
  label: 'Type',
  type: 'picklist',
  custom: false,
  length: 255,
  precision: 0,
  scale: 0,
  nillable: true,
  createable: false,
  updateable: false,
  filterable: true,
  sortable: true,
  groupable: true,
  defaultedOnCreate: false,
  unique: false,
  externalId: false,
  caseSensitive: false,
  picklistValues: [],
  restrictedPicklist: false,
  referenceTo: [],
  relationshipName: null,
  childRelationshipName: null,
  cascadeDelete: false,
  calculated: false,
};

/** Resolution of names against one FROM object. */
export class QueryScope {
  readonly alias: string;
  readonly #joins = new Map<string, Join>();

  constructor(
    readonly env: ScopeEnv,
    readonly stmt: Statement,
    readonly object: SObjectDef,
    /** The `FROM Account a` alias, when given. */
    readonly sObjectAlias?: string,
  ) {
    this.alias = stmt.alias();
  }

  /** `alias."Column"` of the FROM object. */
  column(name: string): string {
    return `${this.alias}.${ident(name)}`;
  }

  /** Soft-delete filter for `alias` of `object` (empty when deleted rows are wanted or the object has no IsDeleted). */
  liveFilter(object: SObjectDef, alias: string): string | undefined {
    if (this.env.includeDeleted) return undefined;
    if (!object.fields.some((f) => f.name === 'IsDeleted')) return undefined;
    return `${alias}.${ident('IsDeleted')} = false`;
  }

  /** FROM clause with all planned joins. */
  fromSql(): string {
    return [`${ident(this.object.name)} ${this.alias}`, ...[...this.#joins.values()].map((j) => j.sql)].join(' ');
  }

  /** The joins planned so far, in creation order (parents before children). */
  joins(): Join[] {
    return [...this.#joins.values()];
  }

  /**
   * Splits a written path into relationship segments and the field, dropping a leading
   * `FROM` alias or object name (`a.Name`, `Account.Name` on Account).
   */
  segments(text: string, relationships?: string[], field?: string): { rels: string[]; field: string } {
    let parts = relationships ? [...relationships, field ?? ''] : text.split('.');
    const first = parts[0]?.toLowerCase();
    if (parts.length > 1 && first !== undefined) {
      const isAlias = this.sObjectAlias !== undefined && first === this.sObjectAlias.toLowerCase();
      const isSelf = first === this.object.name.toLowerCase() && !this.env.schema.parentRelationship(this.object.name, first);
      if (isAlias || isSelf) parts = parts.slice(1);
    }
    return { rels: parts.slice(0, -1), field: parts[parts.length - 1] ?? '' };
  }

  /** Plans (or reuses) the joins of `rels` and returns the last one. */
  joinPath(rels: string[], text: string): Join | undefined {
    if (rels.length > MAX_PARENT_DEPTH) {
      throw soqlErrors.malformed(this.env.soql, `SOQL statements cannot query more than ${MAX_PARENT_DEPTH} levels of relationships: ${text}`, text);
    }
    let current: Join | undefined;
    for (const rel of rels) {
      if (current && current.targets.length > 1) {
        // Only fields of the polymorphic parent itself are reachable (documented in index.ts).
        throw soqlErrors.unknownParentRelationship(this.env.soql, text, rel);
      }
      const owner = current ? (current.targets[0]?.object as SObjectDef) : this.object;
      const ownerAlias = current ? (current.targets[0]?.alias as string) : this.alias;
      const lookup = this.env.schema.parentRelationship(owner.name, rel);
      if (!lookup) throw soqlErrors.unknownParentRelationship(this.env.soql, text, rel);
      const key = `${current ? `${current.key}.` : ''}${lookup.relationshipName?.toLowerCase()}`;
      const existing = this.#joins.get(key);
      if (existing) {
        current = existing;
        continue;
      }
      const targets = lookup.referenceTo
        .map((name) => this.env.schema.object(name))
        .filter((o): o is SObjectDef => o !== undefined)
        .map((object) => ({ object, alias: this.stmt.alias() }));
      if (targets.length === 0) throw soqlErrors.unknownParentRelationship(this.env.soql, text, rel);
      const on = `${ownerAlias}.${ident(lookup.name)}`;
      const sql = targets
        .map(({ object, alias }) => {
          const live = this.liveFilter(object, alias);
          return `LEFT JOIN ${ident(object.name)} ${alias} ON ${alias}.${ident('Id')} = ${on}${live ? ` AND ${live}` : ''}`;
        })
        .join(' ');
      const idExpr = coalesce(targets.map(({ alias }) => `${alias}.${ident('Id')}`));
      current = { key, relationshipName: lookup.relationshipName ?? rel, lookup, targets, idExpr, sql, ...(current ? { parent: current } : {}) };
      this.#joins.set(key, current);
    }
    return current;
  }

  /**
   * Resolves a field path as written (`Name`, `account.name`, `Opportunity.Account.Region__c`).
   * `use` enforces the describe flags Salesforce checks (`filterable`, `sortable`, `groupable`).
   */
  field(text: string, use: 'select' | 'filter' | 'sort' | 'group', relationships?: string[], fieldName?: string): ResolvedField {
    const { rels, field: name } = this.segments(text, relationships, fieldName);
    const join = this.joinPath(rels, text);
    let resolved: ResolvedField;
    if (!join) {
      const f = this.env.schema.field(this.object.name, name);
      if (!f) throw soqlErrors.noSuchColumn(this.env.soql, text, name, this.object.name);
      resolved = this.#operand(f, this.column(f.name), text);
    } else {
      const hits = join.targets
        .map(({ object, alias }) => ({ f: this.env.schema.field(object.name, name), alias }))
        .filter((h): h is { f: FieldDef; alias: string } => h.f !== undefined);
      const first = hits[0];
      if (join.targets.length > 1 && name.toLowerCase() === 'type') {
        // On a polymorphic relationship `Type` is the parent's object name, not a field of it.
        resolved = { ...this.#operand(POLY_TYPE_FIELD, this.#polyType(join), text), join };
      } else if (!first) {
        // A polymorphic parent is Salesforce's `Name` pseudo-entity.
        const entity = join.targets.length > 1 ? 'Name' : (join.targets[0]?.object.name ?? join.relationshipName);
        throw soqlErrors.noSuchColumn(this.env.soql, text, name, entity);
      } else {
        resolved = { ...this.#operand(first.f, coalesce(hits.map((h) => `${h.alias}.${ident(h.f.name)}`)), text), join };
      }
    }
    const f = resolved.field;
    if (use === 'filter' && !f.filterable) throw soqlErrors.fieldCannotBe(this.env.soql, text, f.name, 'filtered');
    if (use === 'sort' && !f.sortable) throw soqlErrors.fieldCannotBe(this.env.soql, text, f.name, 'sorted');
    if (use === 'group' && !f.groupable) throw soqlErrors.fieldCannotBe(this.env.soql, text, f.name, 'grouped');
    return resolved;
  }

  #operand(f: FieldDef, expr: string, text: string): ResolvedField {
    return { expr, kind: kindOf(f), name: f.name, apiName: f.name, text, typeName: TYPE_NAMES[f.type] ?? 'string', field: f };
  }

  /** `CASE WHEN a."Id" IS NOT NULL THEN 'Account' …`, with the object names bound as parameters. */
  #polyType(join: Join): string {
    const whens = join.targets.map(({ object, alias }) => `WHEN ${alias}.${ident('Id')} IS NOT NULL THEN ${this.stmt.param(object.name, 'text')}`);
    return `(CASE ${whens.join(' ')} END)`;
  }
}

function coalesce(exprs: string[]): string {
  return exprs.length === 1 ? (exprs[0] as string) : `COALESCE(${exprs.join(', ')})`;
}
