/**
 * Writes and reads records the way Salesforce does: field validation and coercion, required
 * fields, lookups that must point at live records of the right type, unique and external-id
 * fields, derived fields and roll-ups (`object-rules.ts`), soft delete with cascades, audit fields,
 * auto-numbers, and a change-log entry for every committed change of a CDC-enabled entity.
 *
 * Every write method takes a batch of records of ONE type and returns one result per record in
 * order, so the REST path (1 record), sObject Collections (≤200) and Bulk API (10,000 per internal
 * batch) share this code and its cost: lookups are batched per batch, never per record. A record
 * that fails validation is never written; the caller decides whether one failure rolls back the
 * others (allOrNone, composite graphs) by throwing out of `transaction()`.
 */
import { randomUUID } from 'node:crypto';
import { SalesforceError } from '../errors.js';
import { keyPrefixOf, makeId, to18 } from '../ids.js';
import type { Schema } from '../schema/schema.js';
import type { FieldDef, SObjectDef } from '../schema/types.js';
import type { Database, Sql } from '../storage/database.js';
import { autoNumberSequence, ident } from '../storage/ddl.js';
import { appendChanges, type ChangeType, type RecordChange } from './change-log.js';
import { coerceValue } from './coerce.js';
import { rulesFor, type RuleContext } from './object-rules.js';
import { WriteSlots } from './write-slots.js';

/** A stored row: field API name → value. */
export type Row = Record<string, unknown>;

/** Outcome of one record of a batch. */
export type WriteResult =
  | { ok: true; id: string; created: boolean }
  | { ok: false; error: SalesforceError; id?: string };

/** One open write transaction. */
export interface WriteTx {
  readonly sql: Sql;
  /** Shared by every change event of this transaction. */
  readonly transactionKey: string;
  /** The transaction's clock: every audit timestamp of one transaction is the same. */
  readonly now: string;
  /** Changes recorded so far, flushed to the change log before commit. */
  readonly changes: RecordChange[];
  /**
   * Ids of the records this transaction created and has not deleted: live by construction, so a
   * lookup to one needs no query (the lines of a graph's quotes, a level after the quotes).
   */
  readonly created: Set<string>;
  /**
   * Work run inside the transaction after its body, just before the change log is appended: what
   * must take the event-log lock (platform events published after commit) does it here, so the lock
   * is held only for the transaction's tail.
   */
  readonly beforeCommit: ((sql: Sql) => Promise<void>)[];
  /** Callbacks run once the transaction has committed, never after a rollback (waking subscribers). */
  readonly afterCommit: (() => void)[];
}

/** Who writes: audit fields and OwnerId defaults. */
export interface Actor {
  userId: string;
}

const SYSTEM_FIELDS = new Set([
  'Id',
  'IsDeleted',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
]);

/** Errors that Salesforce reports with the sObject type in them. */
const errs = {
  noSuchColumn: (field: string, type: string) =>
    new SalesforceError('INVALID_FIELD', `No such column '${field}' on sobject of type ${type}`, 400, [field]),
  notWritable: (f: FieldDef) =>
    new SalesforceError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      400,
      [f.name],
    ),
  crossReference: (f: FieldDef) =>
    new SalesforceError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, 400, [f.name]),
  entityDeleted: () => new SalesforceError('ENTITY_IS_DELETED', 'entity is deleted', 400),
  notFound: () => new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404),
  duplicate: (f: FieldDef, id: string) =>
    new SalesforceError(
      'DUPLICATE_VALUE',
      `duplicate value found: ${f.name} duplicates value on record with id: ${id}`,
      400,
      [f.name],
    ),
};

/**
 * Taken first by every write transaction on PostgreSQL (shared ones take it shared, see
 * `TransactionOptions.shared`), so that an org's other write transactions run one at a time there
 * as they do on PGlite (one connection), across processes too. The store's checks read, then write:
 * unique values, upsert matching, auto-numbers, roll-ups. Interleaved on pooled connections, two
 * creates of one VIN both passed the unique check, ten upserts of one external id inserted ten
 * records, and graphs taking the auto-numbers of two objects in opposite orders deadlocked (500
 * UNKNOWN_EXCEPTION). Keyed by schema, so orgs sharing one database do not wait for each other.
 */
const WRITE_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('local-org:writes:' || current_schema()))`;
/** The same lock taken shared: shared write transactions run beside each other, never beside an exclusive one. */
const SHARED_WRITE_LOCK_SQL = `SELECT pg_advisory_xact_lock_shared(hashtext('local-org:writes:' || current_schema()))`;

/**
 * Shared write transactions that may run at once on PostgreSQL (PGlite has one connection, so
 * there everything runs alone). Two keep the database busy while the org's JavaScript prepares
 * the next; more only queue on the two cores of a small machine.
 */
const MAX_SHARED_WRITES = 2;

/** Options of `RecordStore.transaction`. */
export interface TransactionOptions {
  /**
   * Run beside other shared transactions instead of alone. Only for work whose rules hold under
   * concurrency: creates of objects without check-then-write rules (unique values are enforced by
   * the database's own unique indexes, auto-numbers come from sequences) and without change
   * events (the change log's order is commit order). A shared transaction can fail where it would
   * not alone (a unique index meeting a racing insert, a deadlock between roll-ups): the caller
   * must then run the work again as an exclusive transaction, which decides.
   * @defaultValue false
   */
  shared?: boolean;
}

export class RecordStore {
  readonly #listeners = new Set<(changes: RecordChange[], meta: { transactionKey: string }) => void>();
  /** This process's write transactions: exclusive ones alone, shared ones a few at a time. */
  readonly #slots: WriteSlots;
  /** Rows inserted per table since its statistics were last taken, and its size then. */
  readonly #growth = new Map<string, { inserted: number; analyzedAt: number }>();

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
    this.#slots = new WriteSlots(db.kind === 'postgres' ? MAX_SHARED_WRITES : 1);
  }

  /**
   * Runs `fn` in one database transaction. Changes of CDC-enabled entities are appended to the
   * change log inside it; listeners (`onCommit`) hear about them only after the commit.
   */
  async transaction<T>(fn: (tx: WriteTx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    let committed: RecordChange[] = [];
    let afterCommit: (() => void)[] = [];
    const transactionKey = randomUUID().replace(/-/g, '').slice(0, 20);
    const shared = options.shared === true;
    const release = await this.#slots.acquire(shared);
    const now = this.clock().toISOString();
    const result = await this.db.transaction(async (sql) => {
      if (this.db.kind === 'postgres') await sql.query(shared ? SHARED_WRITE_LOCK_SQL : WRITE_LOCK_SQL);
      const tx: WriteTx = { sql, transactionKey, now, changes: [], created: new Set(), beforeCommit: [], afterCommit: [] };
      const value = await fn(tx);
      for (const work of tx.beforeCommit) await work(sql);
      const cdc = tx.changes.filter((c) => this.schema.object(c.entityName)?.cdcEnabled);
      await appendChanges(sql, cdc, {
        transactionKey,
        firstSequence: 1,
        commitTimestamp: Date.parse(now),
        commitUser: this.actor.userId,
      });
      committed = tx.changes;
      afterCommit = tx.afterCommit;
      return value;
    })
      .then(async (value) => {
        await this.#refreshStatistics();
        return value;
      })
      .finally(release);
    if (committed.length > 0) for (const l of this.#listeners) l(committed, { transactionKey });
    for (const callback of afterCommit) callback();
    return result;
  }

  #noteInserted(table: string, rows: number): void {
    const g = this.#growth.get(table) ?? { inserted: 0, analyzedAt: 0 };
    g.inserted += rows;
    this.#growth.set(table, g);
  }

  /**
   * Takes fresh statistics (`ANALYZE`) of the tables that grew by more than a fifth (at least 500
   * rows) since the last time, as PostgreSQL's autovacuum would, but at once and on PGlite too
   * (which has no autovacuum). Without them the planner keeps the estimates of an empty table: a
   * batch's child query scanned all 100,000 line items (17 ms instead of 1.3) and the unique-key
   * check all quotes (6.8 ms instead of 0.1). Runs after the commit, in the write queue. Counts
   * are per process and start at zero, so a restarted org analyzes its tables once more.
   */
  async #refreshStatistics(): Promise<void> {
    for (const [table, g] of this.#growth) {
      if (g.inserted < Math.max(500, g.analyzedAt / 5)) continue;
      g.analyzedAt += g.inserted;
      g.inserted = 0;
      await this.db.query(`ANALYZE ${ident(table)}`);
    }
  }

  /** Hears every committed change (all entities, CDC-enabled or not). Returns an unsubscribe function. */
  onCommit(listener: (changes: RecordChange[], meta: { transactionKey: string }) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
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
        return this.#readBody(o, body, 'create');
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
    const ctx = this.#ruleContext(tx);
    await this.#validateReferences(tx, o, rows, results);
    await rulesFor(o.name).beforeCreate?.(ctx, live(rows, results), (i, e) => (results[i] = failure(e)));
    this.#checkRequired(o, rows, results);
    await this.#checkUnique(tx.sql, o, rows, results);

    const todo = live(rows, results);
    if (todo.length === 0) return results.map((r) => r ?? failure(new Error('unreachable')));
    const ids = await this.#newIds(tx.sql, o, todo.length);
    for (const [n, { row }] of todo.entries()) {
      row['Id'] = ids[n];
      row['IsDeleted'] = false;
      row['CreatedDate'] = row['LastModifiedDate'] = row['SystemModstamp'] = tx.now;
      row['CreatedById'] = row['LastModifiedById'] = this.actor.userId;
    }
    await this.#assignAutoNumbers(tx.sql, o, todo.map((t) => t.row));
    await rulesFor(o.name).computeFields?.(ctx, todo);
    await insertRows(tx.sql, o, todo.map((t) => t.row));
    this.#noteInserted(o.name, todo.length);
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
        const id = this.#idOf(o, idValue);
        const { Id: _a, id: _b, ...fields } = item;
        const patch = this.#readBody(o, fields, 'update');
        patch['Id'] = id;
        return patch;
      } catch (e) {
        results[i] = failure(e);
        return undefined;
      }
    });
    const existing = await this.#loadRows(tx.sql, o, liveIds(patches, results), true);
    for (const [i, patch] of patches.entries()) {
      if (!patch || results[i]) continue;
      const before = existing.get(patch['Id'] as string);
      if (!before) results[i] = failure(errs.notFound());
      else if (before['IsDeleted']) results[i] = failure(errs.entityDeleted());
    }
    const ctx = this.#ruleContext(tx);
    await this.#validateReferences(tx, o, patches, results);
    // Merge: required-field and rule checks see the record as it will be.
    const merged: (Row | undefined)[] = patches.map((p, i) =>
      p && !results[i] ? { ...existing.get(p['Id'] as string), ...p } : undefined,
    );
    await rulesFor(o.name).beforeUpdate?.(ctx, live(merged, results), existing, (i, e) => (results[i] = failure(e)));
    this.#checkRequired(o, merged, results, patches);
    await this.#checkUnique(tx.sql, o, patches, results);
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
   * none is inserted, several → 300 MULTIPLE_CHOICES like Salesforce.
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
    const keys = bodies.map((b) => b[f.name] ?? b[externalIdField]);
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
      if (key === undefined || key === null || key === '') {
        results[i] = failure(
          new SalesforceError('MISSING_ARGUMENT', `${f.name} not specified`, 400, [f.name]),
        );
        continue;
      }
      const norm = f.caseSensitive || f.name === 'Id' ? String(key) : String(key).toLowerCase();
      const found = matches.get(norm) ?? [];
      if (found.length > 1) {
        results[i] = failure(
          new SalesforceError(
            'MULTIPLE_CHOICES',
            `${f.name}: more than one record found for external id field: [${found.join(', ')}]`,
            300,
            [f.name],
          ),
        );
      } else if (found.length === 1) {
        updates.push({ i, body: { ...body, Id: found[0] } });
      } else {
        creates.push({ i, body });
      }
    }
    const created = await this.create(tx, o.name, creates.map((c) => c.body));
    created.forEach((r, k) => (results[creates[k]!.i] = r));
    const updated = await this.update(tx, o.name, updates.map((u) => u.body));
    updated.forEach((r, k) => (results[updates[k]!.i] = r));
    return results;
  }

  // ---------------------------------------------------------------------------------------------
  // delete

  /** Soft-deletes records (recycle bin: `IsDeleted = true`), cascading to master-detail children. */
  async remove(tx: WriteTx, type: string, ids: string[]): Promise<WriteResult[]> {
    const o = this.objectOrThrow(type);
    const results: (WriteResult | undefined)[] = new Array(ids.length);
    const normalized = ids.map((raw, i) => {
      try {
        return this.#idOf(o, raw);
      } catch (e) {
        results[i] = failure(e);
        return undefined;
      }
    });
    const existing = await this.#loadRows(tx.sql, o, normalized.filter((x): x is string => !!x), true);
    const doomed: Row[] = [];
    for (const [i, id] of normalized.entries()) {
      if (!id || results[i]) continue;
      const row = existing.get(id);
      if (!row) results[i] = failure(errs.notFound());
      else if (row['IsDeleted']) results[i] = failure(errs.entityDeleted());
      else {
        results[i] = { ok: true, id, created: false };
        doomed.push(row);
      }
    }
    const blocked = await this.#restrictedParents(tx.sql, o, doomed.map((r) => r['Id'] as string));
    for (const [i, id] of normalized.entries()) {
      const child = id ? blocked.get(id) : undefined;
      if (!child || !results[i]?.ok) continue;
      results[i] = failure(
        new SalesforceError(
          'DELETE_FAILED',
          `Your attempt to delete ${o.label} could not be completed because it is associated with the following ${child}.`,
          400,
        ),
      );
    }
    await this.#softDelete(tx, o, doomed.filter((r) => !blocked.has(r['Id'] as string)));
    return results as WriteResult[];
  }

  /** Parents that still have live children through a lookup whose delete constraint is Restrict. */
  async #restrictedParents(sql: Sql, o: SObjectDef, ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (ids.length === 0) return out;
    for (const rel of this.schema.childRelationships(o.name)) {
      if (!this.schema.field(rel.childSObject, rel.field)?.restrictedDelete) continue;
      const child = this.schema.object(rel.childSObject);
      if (!child) continue;
      const r = await sql.query<{ p: string }>(
        `SELECT DISTINCT ${ident(rel.field)} AS p FROM ${ident(child.name)} WHERE ${ident(rel.field)} = ANY($1) AND NOT "IsDeleted"`,
        [ids],
      );
      for (const x of r.rows) out.set(x.p, child.labelPlural);
    }
    return out;
  }

  async #softDelete(tx: WriteTx, o: SObjectDef, rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    const ids = rows.map((r) => r['Id'] as string);
    for (const id of ids) tx.created.delete(id);
    await tx.sql.query(
      `UPDATE ${ident(o.name)} SET "IsDeleted" = true, "LastModifiedDate" = $2, "SystemModstamp" = $2, "LastModifiedById" = $3 WHERE "Id" = ANY($1)`,
      [ids, tx.now, this.actor.userId],
    );
    for (const row of rows) tx.changes.push(changeOf(o, 'DELETE', row, null));
    await this.#cascade(tx, o, ids, async (child, childRows) => this.#softDelete(tx, child, childRows));
    await rulesFor(o.name).afterWrite?.(this.#ruleContext(tx), rows, 'delete');
  }

  /** Permanently deletes records (Bulk API hardDelete): no recycle bin, children cascade. */
  async hardDelete(tx: WriteTx, type: string, ids: string[]): Promise<WriteResult[]> {
    const o = this.objectOrThrow(type);
    const results = await this.remove(tx, type, ids);
    const gone = results.flatMap((r) => (r.ok ? [r.id] : []));
    await this.#purge(tx.sql, o, gone);
    return results;
  }

  async #purge(sql: Sql, o: SObjectDef, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    for (const rel of this.schema.childRelationships(o.name)) {
      if (!rel.cascadeDelete) continue;
      const child = this.schema.object(rel.childSObject);
      if (!child) continue;
      const r = await sql.query<{ Id: string }>(
        `SELECT "Id" FROM ${ident(child.name)} WHERE ${ident(rel.field)} = ANY($1)`,
        [ids],
      );
      await this.#purge(sql, child, r.rows.map((x) => x.Id));
    }
    await sql.query(`DELETE FROM ${ident(o.name)} WHERE "Id" = ANY($1)`, [ids]);
  }

  /** Applies `action` to live children of deleted parents; other lookups to them are cleared. */
  async #cascade(
    tx: WriteTx,
    o: SObjectDef,
    parentIds: string[],
    action: (child: SObjectDef, rows: Row[]) => Promise<void>,
  ): Promise<void> {
    for (const rel of this.schema.childRelationships(o.name)) {
      const child = this.schema.object(rel.childSObject);
      if (!child) continue;
      if (rel.cascadeDelete) {
        const r = await tx.sql.query<Row>(
          `SELECT * FROM ${ident(child.name)} WHERE ${ident(rel.field)} = ANY($1) AND NOT "IsDeleted"`,
          [parentIds],
        );
        if (r.rows.length > 0) await action(child, r.rows);
      } else {
        const f = this.schema.field(child.name, rel.field);
        if (f?.nillable && f.updateable) {
          await tx.sql.query(
            `UPDATE ${ident(child.name)} SET ${ident(rel.field)} = NULL WHERE ${ident(rel.field)} = ANY($1)`,
            [parentIds],
          );
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // reads

  /** One live record by id with all fields, or undefined. */
  async retrieve(type: string, id: string, sql: Sql = this.db): Promise<Row | undefined> {
    const o = this.objectOrThrow(type);
    const rows = await this.#loadRows(sql, o, [this.#idOf(o, id)], false);
    return rows.values().next().value;
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  #ruleContext(tx: WriteTx): RuleContext {
    return { tx, schema: this.schema, store: this };
  }

  /** Body → row: known fields only, writable only, values coerced. */
  #readBody(o: SObjectDef, body: Row, op: 'create' | 'update'): Row {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new SalesforceError('JSON_PARSER_ERROR', `Expected an object for sObject ${o.name}`, 400);
    }
    const row: Row = {};
    for (const [key, value] of Object.entries(body)) {
      if (key === 'attributes') continue;
      const f = this.schema.field(o.name, key);
      if (!f) throw errs.noSuchColumn(key, o.name);
      if (op === 'create' ? !f.createable : !f.updateable) throw errs.notWritable(f);
      row[f.name] = coerceValue(f, value);
    }
    return row;
  }

  #idOf(o: SObjectDef, raw: string): string {
    let id: string;
    try {
      id = to18(raw);
    } catch {
      throw new SalesforceError('MALFORMED_ID', `${o.label} ID: id value of incorrect type: ${raw}`, 400, ['Id']);
    }
    if (keyPrefixOf(id) !== o.keyPrefix) {
      throw new SalesforceError('MALFORMED_ID', `${o.label} ID: id value of incorrect type: ${raw}`, 400, ['Id']);
    }
    return id;
  }

  async #loadRows(sql: Sql, o: SObjectDef, ids: string[], includeDeleted: boolean): Promise<Map<string, Row>> {
    const out = new Map<string, Row>();
    if (ids.length === 0) return out;
    const r = await sql.query<Row>(
      `SELECT * FROM ${ident(o.name)} WHERE "Id" = ANY($1)${includeDeleted ? '' : ' AND NOT "IsDeleted"'}`,
      [ids],
    );
    for (const row of r.rows) out.set(row['Id'] as string, row);
    return out;
  }

  /** Loads every referenced record (one query per target object) and checks type and liveness. */
  async #validateReferences(tx: WriteTx, o: SObjectDef, rows: (Row | undefined)[], results: (WriteResult | undefined)[]) {
    const refFields = o.fields.filter((f) => f.type === 'reference');
    const wanted = new Map<string, Set<string>>();
    for (const [i, row] of rows.entries()) {
      if (!row || results[i]) continue;
      for (const f of refFields) {
        const id = row[f.name];
        if (typeof id !== 'string') continue;
        const target = this.schema.objectByKeyPrefix(keyPrefixOf(id));
        if (!target || (f.referenceTo.length > 0 && !f.referenceTo.some((t) => t.toLowerCase() === target.name.toLowerCase()))) {
          results[i] = failure(errs.crossReference(f));
          break;
        }
        if (tx.created.has(id)) continue;
        const set = wanted.get(target.name) ?? new Set<string>();
        set.add(id);
        wanted.set(target.name, set);
      }
    }
    const found = new Set<string>();
    for (const [target, ids] of wanted) {
      const r = await tx.sql.query<{ Id: string }>(
        `SELECT "Id" FROM ${ident(target)} WHERE "Id" = ANY($1) AND NOT "IsDeleted"`,
        [[...ids]],
      );
      for (const x of r.rows) found.add(x.Id);
    }
    const live = (id: string) => found.has(id) || tx.created.has(id);
    for (const [i, row] of rows.entries()) {
      if (!row || results[i]) continue;
      const bad = refFields.find((f) => typeof row[f.name] === 'string' && !live(row[f.name] as string));
      if (bad) results[i] = failure(errs.crossReference(bad));
    }
  }

  /**
   * REQUIRED_FIELD_MISSING for every required createable field that is null. On update only the
   * fields the patch touches are checked (clearing a required field is an error; an old record
   * without a value is not).
   */
  #checkRequired(o: SObjectDef, rows: (Row | undefined)[], results: (WriteResult | undefined)[], patches?: (Row | undefined)[]) {
    const required = o.fields.filter((f) => !f.nillable && f.type !== 'boolean' && !SYSTEM_FIELDS.has(f.name) && (patches ? f.updateable : f.createable) && !f.defaultedOnCreate);
    for (const [i, row] of rows.entries()) {
      if (!row || results[i]) continue;
      const patch = patches?.[i];
      const missing = required
        .filter((f) => (patch ? f.name in patch : true) && (row[f.name] === null || row[f.name] === undefined))
        .map((f) => f.name);
      if (missing.length > 0) results[i] = failure(errorsRequired(missing));
    }
  }

  /** DUPLICATE_VALUE against stored rows and within the batch itself. */
  async #checkUnique(sql: Sql, o: SObjectDef, rows: (Row | undefined)[], results: (WriteResult | undefined)[]) {
    for (const f of o.fields.filter((x) => (x.unique || (x.externalId && x.unique)) && x.name !== 'Id')) {
      const norm = (v: unknown) => (f.caseSensitive ? String(v) : String(v).toLowerCase());
      const seen = new Map<string, string>();
      const values: string[] = [];
      for (const [i, row] of rows.entries()) {
        if (!row || results[i] || row[f.name] == null) continue;
        const key = norm(row[f.name]);
        const self = (row['Id'] as string | undefined) ?? `#${i}`;
        if (seen.has(key) && seen.get(key) !== self) {
          results[i] = failure(errs.duplicate(f, seen.get(key)!.startsWith('#') ? '' : seen.get(key)!));
          continue;
        }
        seen.set(key, self);
        values.push(key);
      }
      if (values.length === 0) continue;
      const cmp = f.caseSensitive ? ident(f.name) : `lower(${ident(f.name)})`;
      const r = await sql.query<{ Id: string; k: string }>(
        `SELECT "Id", ${cmp} AS k FROM ${ident(o.name)} WHERE ${cmp} = ANY($1) AND NOT "IsDeleted"`,
        [values],
      );
      const taken = new Map(r.rows.map((x) => [x.k, x.Id]));
      for (const [i, row] of rows.entries()) {
        if (!row || results[i] || row[f.name] == null) continue;
        const owner = taken.get(norm(row[f.name]));
        if (owner && owner !== row['Id']) results[i] = failure(errs.duplicate(f, owner));
      }
    }
  }

  async #newIds(sql: Sql, o: SObjectDef, n: number): Promise<string[]> {
    const r = await sql.query<{ n: number }>(`SELECT nextval('_id_serial') AS n FROM generate_series(1, $1)`, [n]);
    return r.rows.map((x) => makeId(o.keyPrefix, Number(x.n)));
  }

  /**
   * Auto-numbers from the field's own sequence (`autoNumberSequence`): numbers taken by a
   * transaction that rolls back are not given again (Salesforce leaves such gaps too), and two
   * transactions numbering the same field never wait for each other.
   */
  async #assignAutoNumbers(sql: Sql, o: SObjectDef, rows: Row[]): Promise<void> {
    for (const f of o.fields.filter((x) => x.autoNumberFormat)) {
      const r = await sql.query<{ n: number }>(
        `SELECT nextval('${autoNumberSequence(o.name, f.name)}') AS n FROM generate_series(1, $1)`,
        [rows.length],
      );
      const format = datedAutoNumberFormat(f.autoNumberFormat!, new Date());
      rows.forEach((row, k) => (row[f.name] = numberedAutoNumber(format, Number(r.rows[k]?.n))));
    }
  }
}

/** `VO-{00000}` + 42 → `VO-00042`; `{YYYY}`/`{MM}`/`{DD}` are filled from today's date. */
export function formatAutoNumber(format: string, n: number, now = new Date()): string {
  return numberedAutoNumber(datedAutoNumberFormat(format, now), n);
}

/** The format with its date parts filled in (once per batch, not per record). */
function datedAutoNumberFormat(format: string, now: Date): string {
  return format
    .replace('{YYYY}', String(now.getUTCFullYear()))
    .replace('{YY}', String(now.getUTCFullYear()).slice(2))
    .replace('{MM}', String(now.getUTCMonth() + 1).padStart(2, '0'))
    .replace('{DD}', String(now.getUTCDate()).padStart(2, '0'));
}

function numberedAutoNumber(datedFormat: string, n: number): string {
  return datedFormat.replace(/\{(0+)\}/, (_m, zeros: string) => String(n).padStart(zeros.length, '0'));
}

/**
 * Tables the store itself needs besides the objects' own. `_autonumber` held the last number of
 * each auto-number field before they had sequences; it is only read, once, to continue from it.
 */
export const STORE_DDL = `
CREATE SEQUENCE IF NOT EXISTS _id_serial START 100000;
CREATE TABLE IF NOT EXISTS _autonumber (object text NOT NULL, field text NOT NULL, last bigint NOT NULL, PRIMARY KEY (object, field));
`;

function errorsRequired(fields: string[]): SalesforceError {
  return new SalesforceError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${fields.join(', ')}]`, 400, fields);
}

function failure(e: unknown): WriteResult {
  if (e instanceof SalesforceError) return { ok: false, error: e };
  throw e;
}

function live(rows: (Row | undefined)[], results: (WriteResult | undefined)[]): { i: number; row: Row }[] {
  return rows.flatMap((row, i) => (row && !results[i] ? [{ i, row }] : []));
}

function liveIds(rows: (Row | undefined)[], results: (WriteResult | undefined)[]): string[] {
  return live(rows, results).map(({ row }) => row['Id'] as string);
}

function defaultOf(f: FieldDef): unknown {
  if (f.defaultValue !== undefined && f.defaultValue !== null) return coerceValue(f, f.defaultValue);
  if (f.type === 'picklist') {
    const d = f.picklistValues.find((p) => p.defaultValue);
    if (d) return d.value;
  }
  if (f.type === 'boolean') return false;
  return undefined;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null && b == null) return true;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b) && a != null && b != null;
  if (typeof a === 'string' && typeof b === 'string' && /^\d{4}-\d\d-\d\dT/.test(a) && /^\d{4}-\d\d-\d\dT/.test(b)) {
    return Date.parse(a.replace(/\+0000$/, 'Z')) === Date.parse(b.replace(/\+0000$/, 'Z'));
  }
  return false;
}

/**
 * The change event of one record as Salesforce sends it to CometD subscribers: a CREATE carries
 * every non-empty field (system fields included) and an empty `changedFields`; an UPDATE carries
 * only the changed fields plus `LastModifiedDate` (and `LastModifiedById` when another user saved
 * it before), all listed in `changedFields`, the cleared ones also in `nulledFields`; a DELETE
 * carries no field. `SystemModstamp` and `IsDeleted` never appear.
 */
function changeOf(o: SObjectDef, changeType: ChangeType, row: Row, before: Row | null, changed: string[] = []): RecordChange {
  let fields: string[] = [];
  let changedFields: string[] = [];
  if (changeType === 'CREATE') {
    fields = o.fields
      .map((f) => f.name)
      .filter((n) => n !== 'Id' && n !== 'IsDeleted' && n !== 'SystemModstamp' && row[n] !== null && row[n] !== undefined);
  } else if (changeType === 'UPDATE') {
    const modifiedBy = before?.['LastModifiedById'] !== row['LastModifiedById'] ? ['LastModifiedById'] : [];
    changedFields = fields = [...changed, 'LastModifiedDate', ...modifiedBy];
  }
  const values: Record<string, unknown> = {};
  for (const n of fields) values[n] = row[n] ?? null;
  return {
    entityName: o.name,
    changeType,
    recordId: row['Id'] as string,
    changedFields,
    nulledFields: changeType === 'UPDATE' ? changed.filter((n) => row[n] === null || row[n] === undefined) : [],
    values,
  };
}

/**
 * Inserts rows with one statement and one parameter: the rows as a JSON array, turned into the
 * table's row type by `json_populate_recordset` (the database's own input functions convert
 * numbers, dates and timestamps, exactly as for bound parameters). Binding every value instead
 * (a Quote batch is ~20 columns × 166 rows) cost 15–35% more in serialization and parsing, and
 * had to be chunked under PostgreSQL's 65,535 bind parameters. Only the columns some row has a
 * value for are listed; the others take their defaults (NULL; booleans false).
 */
async function insertRows(sql: Sql, o: SObjectDef, rows: Row[]): Promise<void> {
  const cols = o.fields.map((f) => f.name).filter((c) => rows.some((row) => row[c] !== undefined && row[c] !== null));
  const list = cols.map(ident).join(',');
  // Rows go as they are: keys that are not columns are ignored, absent ones are NULL.
  await sql.query(`INSERT INTO ${ident(o.name)} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${ident(o.name)}, $1::json)`, [
    JSON.stringify(rows),
  ]);
}
