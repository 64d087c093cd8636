import type { ChildRelationship, FieldDef, SObjectDef } from './types.js';

/**
 * The org's data model with case-insensitive lookups, as Salesforce resolves names
 * (`account.name` and `Account.Name` are the same field in SOQL and in JSON bodies).
 */
export class Schema {
  readonly #objects = new Map<string, SObjectDef>();
  readonly #fields = new Map<string, Map<string, FieldDef>>();
  readonly #parents = new Map<string, Map<string, FieldDef>>();
  readonly #children = new Map<string, ChildRelationship[]>();
  readonly #byPrefix = new Map<string, SObjectDef>();

  constructor(objects: Iterable<SObjectDef>) {
    for (const o of objects) {
      const key = o.name.toLowerCase();
      if (this.#objects.has(key)) throw new Error(`duplicate sObject ${o.name}`);
      if (this.#byPrefix.has(o.keyPrefix)) {
        throw new Error(`key prefix ${o.keyPrefix} of ${o.name} is already used by ${this.#byPrefix.get(o.keyPrefix)?.name}`);
      }
      this.#objects.set(key, o);
      this.#byPrefix.set(o.keyPrefix, o);
      const fields = new Map<string, FieldDef>();
      const parents = new Map<string, FieldDef>();
      for (const f of o.fields) {
        fields.set(f.name.toLowerCase(), f);
        if (f.type === 'reference' && f.relationshipName) parents.set(f.relationshipName.toLowerCase(), f);
      }
      this.#fields.set(key, fields);
      this.#parents.set(key, parents);
    }
    for (const o of this.#objects.values()) {
      for (const f of o.fields) {
        if (f.type !== 'reference' || !f.relationshipName) continue;
        for (const target of f.referenceTo) {
          const parent = this.#objects.get(target.toLowerCase());
          if (!parent) continue;
          const childName = f.childRelationshipName;
          if (!childName) continue;
          const list = this.#children.get(parent.name.toLowerCase()) ?? [];
          list.push({ childSObject: o.name, field: f.name, relationshipName: childName, cascadeDelete: f.cascadeDelete });
          this.#children.set(parent.name.toLowerCase(), list);
        }
      }
    }
  }

  /** All objects, in definition order. */
  objects(): SObjectDef[] {
    return [...this.#objects.values()];
  }

  /** The object named `name` (any case), or undefined. */
  object(name: string): SObjectDef | undefined {
    return this.#objects.get(name.toLowerCase());
  }

  /** The object whose ids start with `prefix`. */
  objectByKeyPrefix(prefix: string): SObjectDef | undefined {
    return this.#byPrefix.get(prefix);
  }

  /** Field `name` (any case) of `object`, or undefined. */
  field(object: string, name: string): FieldDef | undefined {
    return this.#fields.get(object.toLowerCase())?.get(name.toLowerCase());
  }

  /** The lookup field behind parent relationship `relationshipName` (`Account` → `AccountId`). */
  parentRelationship(object: string, relationshipName: string): FieldDef | undefined {
    return this.#parents.get(object.toLowerCase())?.get(relationshipName.toLowerCase());
  }

  /** Child relationships of `object` (`OpportunityLineItems` on Opportunity). */
  childRelationships(object: string): ChildRelationship[] {
    return this.#children.get(object.toLowerCase()) ?? [];
  }

  /** One child relationship by name (any case). */
  childRelationship(object: string, relationshipName: string): ChildRelationship | undefined {
    const wanted = relationshipName.toLowerCase();
    return this.childRelationships(object).find((c) => c.relationshipName.toLowerCase() === wanted);
  }
}
