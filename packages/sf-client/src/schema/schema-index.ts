/**
 * Case-insensitive lookups over a {@link SchemaMap}, as Salesforce resolves names (`account.name`
 * and `Account.Name` are the same field), and resolution of relationship paths
 * (`Opportunity.Account.Region__c`).
 */
import type { ChildInfo, FieldInfo, ObjectInfo, SchemaMap } from './schema-map.js';

/** Outcome of resolving a dotted field path from an object. */
export type PathResolution =
  | {
      ok: true;
      /** The path with every segment in its exact API case. */
      path: string;
      /** The field the path ends on. */
      field: FieldInfo;
      /** The object owning that field. */
      object: ObjectInfo;
    }
  | { ok: false; reason: string };

/** Salesforce allows at most five levels of parent relationships in a path. */
export const MAX_PARENT_DEPTH = 5;

export class SchemaIndex {
  readonly #objects = new Map<string, ObjectInfo>();
  readonly #fields = new Map<string, Map<string, FieldInfo>>();
  readonly #parents = new Map<string, Map<string, FieldInfo>>();
  readonly #children = new Map<string, Map<string, ChildInfo>>();

  constructor(readonly map: SchemaMap) {
    for (const o of Object.values(map)) {
      const key = o.name.toLowerCase();
      this.#objects.set(key, o);
      const fields = new Map<string, FieldInfo>();
      const parents = new Map<string, FieldInfo>();
      for (const f of Object.values(o.fields)) {
        fields.set(f.name.toLowerCase(), f);
        if (f.type === 'reference' && f.relationshipName) parents.set(f.relationshipName.toLowerCase(), f);
      }
      this.#fields.set(key, fields);
      this.#parents.set(key, parents);
      this.#children.set(key, new Map(Object.values(o.children).map((c) => [c.relationshipName.toLowerCase(), c])));
    }
  }

  /** The object named `name` (any case). */
  object(name: string): ObjectInfo | undefined {
    return this.#objects.get(name.toLowerCase());
  }

  /** Field `name` (any case) of `object`. */
  field(object: string, name: string): FieldInfo | undefined {
    return this.#fields.get(object.toLowerCase())?.get(name.toLowerCase());
  }

  /** The reference field behind parent relationship `name` of `object` (`Account` → `AccountId`). */
  parent(object: string, name: string): FieldInfo | undefined {
    return this.#parents.get(object.toLowerCase())?.get(name.toLowerCase());
  }

  /** Child relationship `name` (any case) of `object`. */
  child(object: string, name: string): ChildInfo | undefined {
    return this.#children.get(object.toLowerCase())?.get(name.toLowerCase());
  }

  /**
   * Resolves `path` (`Name`, `Account.Region__c`, `Opportunity.Account.Owner.Name`) from `object`.
   * Polymorphic relationships (`What.Name`) resolve only to fields every target has. The reason of
   * a failure names the segment that is wrong.
   */
  resolvePath(object: string, path: string): PathResolution {
    const start = this.object(object);
    if (!start) return { ok: false, reason: `unknown object ${object}` };
    const segments = path.split('.');
    if (segments.some((s) => s === '')) return { ok: false, reason: `malformed field path "${path}"` };
    if (segments.length - 1 > MAX_PARENT_DEPTH) {
      return { ok: false, reason: `"${path}" has more than ${MAX_PARENT_DEPTH} relationship levels` };
    }
    let current: ObjectInfo[] = [start];
    const exact: string[] = [];
    for (const [k, segment] of segments.entries()) {
      const last = k === segments.length - 1;
      if (last) {
        const found = current.map((o) => this.field(o.name, segment));
        const field = found[0];
        if (!field || found.some((f) => !f)) {
          return { ok: false, reason: `${describePath(current, exact)} has no field ${segment}` };
        }
        exact.push(field.name);
        return { ok: true, path: exact.join('.'), field, object: this.object(current[0]!.name)! };
      }
      const relations = current.map((o) => this.parent(o.name, segment));
      const relation = relations[0];
      if (!relation || relations.some((r) => !r)) {
        return { ok: false, reason: `${describePath(current, exact)} has no parent relationship ${segment}` };
      }
      const targets = (relation.referenceTo ?? []).map((t) => this.object(t)).filter((o): o is ObjectInfo => o !== undefined);
      if (targets.length === 0) return { ok: false, reason: `relationship ${segment} points at no known object` };
      exact.push(relation.relationshipName ?? segment);
      current = targets;
    }
    /* c8 ignore next */
    return { ok: false, reason: `malformed field path "${path}"` };
  }
}

function describePath(objects: ObjectInfo[], exact: string[]): string {
  const names = objects.map((o) => o.name).join('|');
  return exact.length === 0 ? names : `${names} (via ${exact.join('.')})`;
}
