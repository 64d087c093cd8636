/**
 * Writes and reads records the way Salesforce does: field validation and coercion, required
 * fields, lookups that must point at live records of the right type, unique and external-id
 * fields (`record-validation.ts`), derived fields and roll-ups (`object-rules.ts`), soft delete
 * with cascades (`record-delete.ts`), audit fields, auto-numbers (`auto-numbers.ts`), and a
 * change-log entry for every committed change of a CDC-enabled entity (`write-transactions.ts`).
 *
 * Every write method takes a batch of records of ONE type and returns one result per record in
 * order, so the REST path (1 record), sObject Collections (≤200) and Bulk API (10,000 per internal
 * batch) share this code and its cost: lookups are batched per batch, never per record. A record
 * that fails validation is never written; the caller decides whether one failure rolls back the
 * others (allOrNone, composite graphs) by throwing out of `transaction()`.
 */
import { SalesforceError } from '../errors.js';
import { to18 } from '../ids.js';
import type { Schema } from '../schema/schema.js';
import type { SObjectDef } from '../schema/types.js';
import type { Database, Sql } from '../storage/database.js';
import { ident } from '../storage/ddl.js';
import { assignAutoNumbers, newIds } from './auto-numbers.js';
import { failure, live, liveIds } from './batch-results.js';
import { rulesFor, type RuleContext } from './object-rules.js';
import { changeOf, sameValue } from './record-changes.js';
import { purgeRecords, removeRecords } from './record-delete.js';
import { insertRows, loadRows } from './record-rows.js';
import { checkRequired, checkUnique, defaultOf, idOf, readBody, validateReferences } from './record-validation.js';
import { MultipleMatchesError, storeErrors as errs } from './store-errors.js';
import { SYSTEM_FIELDS, type Actor, type Row, type WriteResult, type WriteTx } from './store-types.js';
import { WriteTransactions, type CommitListener, type TransactionOptions } from './write-transactions.js';

// The store's types have their own module (no cycle through the store); re-exported for callers.
export type { Actor, Row, WriteResult, WriteTx } from './store-types.js';
export type { TransactionOptions } from './write-transactions.js';

export class RecordStore {
  readonly #transactions: WriteTransactions;

  /**
   * @param schema - The org's data model.
   * @param db - Its storage.
   * @param actor - The user every write is attributed to (the org's integration user).
   * @param clock - Time source. @defaultValue `() => new Date()`
   */
  constructor(
    readonly schema: Schema,
    readonly db: Database,
    readonly actor: Actor,
    readonly clock: () => Date = () => new Date(),
  ) {
    this.#transactions = new WriteTransactions(schema, db, actor, clock);
  }

  /**
   * Runs `fn` in one database transaction. Changes of CDC-enabled entities are appended to the
   * change log inside it; listeners (`onCommit`) hear about them only after the commit.
   */
  async transaction<T>(fn: (tx: WriteTx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.#transactions.run(fn, options);
  }

  /** Hears every committed change (all entities, CDC-enabled or not). Returns an unsubscribe function. */
  onCommit(listener: CommitListener): () => void {
    return this.#transactions.onCommit(listener);
  }

  /** The object `type` or Salesforce's NOT_FOUND for an unknown sObject in a REST path. */
  objectOrThrow(type: string): SObjectDef {
    const o = this.schema.object(type);
    if (!o) {
      throw new SalesforceError('NOT_FOUND', `The requested resource does not exist`, 404);
    }
    return o;
  }

  // ---------------------------------------------------------------------------------------------
  // create

  /** Inserts `bodies` (JSON field maps) of `type`. */
  async create(tx: WriteTx, type: string, bodies: Row[]): Promise<WriteResult[]> {
    const o = this.objectOrThrow(type);
    if (!o.createable) {
      const e = new SalesforceError('INVALID_TYPE', `entity type ${o.name} does not support insert`, 400);
      return bodies.map(() => ({ ok: false, error: e }));
    }
    const results: (WriteResult | undefined)[] = new Array(bodies.length);
    const rows: (Row | undefined)[] = bodies.map((body, i) => {
      try {
        return readBody(this.schema, o, body, 'create');
      } catch (e) {
        results[i] = failure(e);
        return undefined;
      }
    });
    for (const [i, row] of rows.entries()) {
      if (!row) continue;
      for (const f of o.fields) {
        if (row[f.name] !== undefined || SYSTEM_FIELDS.has(f.name)) continue;
        const d = defaultOf(f);
        if (d !== undefined) row[f.name] = d;
      }
      if (o.fields.some((f) => f.name === 'OwnerId') && row['OwnerId'] == null) row['OwnerId'] = this.actor.userId;
      rows[i] = row;
    }
    const ctx = ruleContext(this.schema, tx);
    await validateReferences(this.schema, tx, o, rows, results);
    await rulesFor(o.name).beforeCreate?.(ctx, live(rows, results), (i, e) => (results[i] = failure(e)));
    checkRequired(o, rows, results);
    await checkUnique(tx.sql, o, rows, results);

    const todo = live(rows, results);
    if (todo.length === 0) return results.map((r) => r ?? failure(new Error('unreachable')));
    const ids = await newIds(tx.sql, o, todo.length);
    // A custom object's Text name left out on create takes the record's Id, as Salesforce does.
    const nameField = o.custom ? o.fields.find((f) => f.name === 'Name') : undefined;
    const nameFromId = nameField !== undefined && nameField.defaultedOnCreate && nameField.autoNumberFormat === undefined;
    for (const [n, { row }] of todo.entries()) {
      row['Id'] = ids[n];
      row['IsDeleted'] = false;
      row['CreatedDate'] = row['LastModifiedDate'] = row['SystemModstamp'] = tx.now;
      row['CreatedById'] = row['LastModifiedById'] = this.actor.userId;
      if (nameFromId && row['Name'] == null) row['Name'] = row['Id'];
    }
    await assignAutoNumbers(tx.sql, o, todo.map((t) => t.row));
    await rulesFor(o.name).computeFields?.(ctx, todo);
    await insertRows(tx.sql, o, todo.map((t) => t.row));
    this.#transactions.noteInserted(o.name, todo.length);
    await rulesFor(o.name).afterWrite?.(ctx, todo.map((t) => t.row), 'create');
    for (const { i, row } of todo) {
      tx.created.add(row['Id'] as string);
      results[i] = { ok: true, id: row['Id'] as string, created: true };
      tx.changes.push(changeOf(o, 'CREATE', row, null));
    }
    return results as WriteResult[];
  }

  // ---------------------------------------------------------------------------------------------
  // update

  /** Updates records: each item is `{Id, ...fields}`. */
  async update(tx: WriteTx, type: string, items: Row[]): Promise<WriteResult[]> {
    const o = this.objectOrThrow(type);
    const results: (WriteResult | undefined)[] = new Array(items.length);
    const patches: (Row | undefined)[] = items.map((item, i) => {
      try {
        const idValue = item['Id'] ?? item['id'];
        if (typeof idValue !== 'string') {
          throw new SalesforceError('MISSING_ARGUMENT', 'Id not specified in an update call', 400);
        }
        const id = idOf(o, idValue);
        const { Id: _a, id: _b, ...fields } = item;
        const patch = readBody(this.schema, o, fields, 'update');
        patch['Id'] = id;
        return patch;
      } catch (e) {
        results[i] = failure(e);
        return undefined;
      }
    });
    const existing = await loadRows(tx.sql, o, liveIds(patches, results), true);
    for (const [i, patch] of patches.entries()) {
      if (!patch || results[i]) continue;
      const before = existing.get(patch['Id'] as string);
      if (!before) results[i] = failure(errs.notFound());
      else if (before['IsDeleted']) results[i] = failure(errs.entityDeleted());
    }
    const ctx = ruleContext(this.schema, tx);
    await validateReferences(this.schema, tx, o, patches, results);
    // Merge: required-field and rule checks see the record as it will be.
    const merged: (Row | undefined)[] = patches.map((p, i) =>
      p && !results[i] ? { ...existing.get(p['Id'] as string), ...p } : undefined,
    );
    await rulesFor(o.name).beforeUpdate?.(ctx, live(merged, results), existing, (i, e) => (results[i] = failure(e)));
    checkRequired(o, merged, results, patches);
    await checkUnique(tx.sql, o, patches, results);
    const todo = live(merged, results);
    for (const { row } of todo) {
      row['LastModifiedDate'] = row['SystemModstamp'] = tx.now;
      row['LastModifiedById'] = this.actor.userId;
    }
    await rulesFor(o.name).computeFields?.(ctx, todo);
    for (const { i, row } of todo) {
      const before = existing.get(row['Id'] as string) ?? {};
      const changed = o.fields
        .map((f) => f.name)
        .filter((name) => name in row && !SYSTEM_FIELDS.has(name) && !sameValue(before[name], row[name]));
      const set = [...changed, 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp'];
      await tx.sql.query(
        `UPDATE ${ident(o.name)} SET ${set.map((n, k) => `${ident(n)} = $${k + 2}`).join(', ')} WHERE "Id" = $1`,
        [row['Id'], ...set.map((n) => row[n])],
      );
      results[i] = { ok: true, id: row['Id'] as string, created: false };
      if (changed.length > 0) tx.changes.push(changeOf(o, 'UPDATE', row, before, changed));
    }
    await rulesFor(o.name).afterWrite?.(ctx, [...todo.map((t) => t.row), ...todo.map((t) => existing.get(t.row['Id'] as string) ?? {})], 'update');
    return results as WriteResult[];
  }

  // ---------------------------------------------------------------------------------------------
  // upsert

  /**
   * Upserts by external id: a record whose `externalIdField` value matches one row is updated,
   * none is inserted, several → 300 MULTIPLE_CHOICES like Salesforce. On `Id`, a record without
   * a value is inserted.
   */
  async upsert(tx: WriteTx, type: string, externalIdField: string, bodies: Row[]): Promise<WriteResult[]> {
    const o = this.objectOrThrow(type);
    const f = this.schema.field(o.name, externalIdField);
    if (!f || !(f.externalId || f.name === 'Id')) {
      const e = new SalesforceError(
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${externalIdField}`,
        404,
      );
      return bodies.map(() => ({ ok: false, error: e }));
    }
    const results: WriteResult[] = new Array(bodies.length);
    const keys = bodies.map((b) => {
      const key = b[f.name] ?? b[externalIdField];
      // Ids match in their 18-character form, whichever form the caller sent.
      if (f.name !== 'Id' || typeof key !== 'string' || key === '') return key;
      try {
        return to18(key);
      } catch {
        return key;
      }
    });
    const matches = new Map<string, string[]>();
    const lookup = keys.filter((k): k is string | number => typeof k === 'string' || typeof k === 'number').map(String);
    if (lookup.length > 0) {
      const cmp = f.caseSensitive || f.name === 'Id' ? ident(f.name) : `lower(${ident(f.name)})`;
      const r = await tx.sql.query<{ Id: string; k: string }>(
        `SELECT "Id", ${cmp} AS k FROM ${ident(o.name)} WHERE ${cmp} = ANY($1) AND NOT "IsDeleted"`,
        [f.caseSensitive || f.name === 'Id' ? lookup : lookup.map((k) => k.toLowerCase())],
      );
      for (const row of r.rows) matches.set(row.k, [...(matches.get(row.k) ?? []), row.Id]);
    }
    const creates: { i: number; body: Row }[] = [];
    const updates: { i: number; body: Row }[] = [];
    for (const [i, body] of bodies.entries()) {
      const key = keys[i];
      if ((key === undefined || key === null || key === '') && f.name === 'Id') {
        // Upsert on Id without a value inserts (REST `POST /sobjects/T/Id`, Bulk externalIdFieldName Id).
        const { Id: _Id, id: _id, ...rest } = body;
        creates.push({ i, body: rest });
        continue;
      }
      if (key === undefined || key === null || key === '') {
        results[i] = failure(
          new SalesforceError('MISSING_ARGUMENT', `${f.name} not specified`, 400, [f.name]),
        );
        continue;
      }
      const norm = f.caseSensitive || f.name === 'Id' ? String(key) : String(key).toLowerCase();
      const found = matches.get(norm) ?? [];
      if (found.length > 1) {
        results[i] = failure(new MultipleMatchesError(f.name, found));
      } else if (found.length === 1) {
        updates.push({ i, body: { ...body, Id: found[0] } });
      } else {
        creates.push({ i, body });
      }
    }
    const created = await this.create(tx, o.name, creates.map((c) => c.body));
    created.forEach((r, k) => (results[creates[k]!.i] = r.ok ? r : { ...r, created: true }));
    const updated = await this.update(tx, o.name, updates.map((u) => u.body));
    updated.forEach((r, k) => (results[updates[k]!.i] = r.ok ? r : { ...r, created: false }));
    return results;
  }

  // ---------------------------------------------------------------------------------------------
  // delete

  /** Soft-deletes records (recycle bin: `IsDeleted = true`), cascading to master-detail children. */
  async remove(tx: WriteTx, type: string, ids: string[]): Promise<WriteResult[]> {
    return removeRecords(this, tx, this.objectOrThrow(type), ids);
  }

  /** Permanently deletes records (Bulk API hardDelete): no recycle bin, children cascade. */
  async hardDelete(tx: WriteTx, type: string, ids: string[]): Promise<WriteResult[]> {
    const o = this.objectOrThrow(type);
    const results = await this.remove(tx, type, ids);
    const gone = results.flatMap((r) => (r.ok ? [r.id] : []));
    await purgeRecords(this, tx.sql, o, gone);
    return results;
  }

  // ---------------------------------------------------------------------------------------------
  // reads

  /** One live record by id with all fields, or undefined. */
  async retrieve(type: string, id: string, sql: Sql = this.db): Promise<Row | undefined> {
    const o = this.objectOrThrow(type);
    const rows = await loadRows(sql, o, [idOf(o, id)], false);
    return rows.values().next().value;
  }
}

function ruleContext(schema: Schema, tx: WriteTx): RuleContext {
  return { tx, schema };
}
