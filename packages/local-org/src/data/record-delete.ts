/**
 * Deletes as Salesforce does them: soft delete into the recycle bin (`IsDeleted`), master-detail
 * children deleted with their parent, other lookups to the deleted record cleared, a lookup whose
 * delete constraint is Restrict blocking the delete, and hard delete (Bulk API) purging the rows.
 */
import { SalesforceError } from '../errors.js';
import type { SObjectDef } from '../schema/types.js';
import type { Sql } from '../storage/database.js';
import { ident } from '../storage/ddl.js';
import { failure } from './batch-results.js';
import { rulesFor } from './object-rules.js';
import { changeOf } from './record-changes.js';
import { loadRows } from './record-rows.js';
import { idOf } from './record-validation.js';
import { storeErrors as errs } from './store-errors.js';
import type { Row, StoreContext, WriteResult, WriteTx } from './store-types.js';

/** Soft-deletes the records `ids` of `o`; one result per id, in order. */
export async function removeRecords(ctx: StoreContext, tx: WriteTx, o: SObjectDef, ids: string[]): Promise<WriteResult[]> {
  const results: (WriteResult | undefined)[] = new Array(ids.length);
  const normalized = ids.map((raw, i) => {
    try {
      return idOf(o, raw);
    } catch (e) {
      results[i] = failure(e);
      return undefined;
    }
  });
  const existing = await loadRows(tx.sql, o, normalized.filter((x): x is string => !!x), true);
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
  const blocked = await restrictedParents(ctx, tx.sql, o, doomed.map((r) => r['Id'] as string));
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
  await softDelete(ctx, tx, o, doomed.filter((r) => !blocked.has(r['Id'] as string)));
  return results as WriteResult[];
}

/** Removes the rows of `ids` and of their master-detail children for good (no recycle bin). */
export async function purgeRecords(ctx: StoreContext, sql: Sql, o: SObjectDef, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  for (const rel of ctx.schema.childRelationships(o.name)) {
    if (!rel.cascadeDelete) continue;
    const child = ctx.schema.object(rel.childSObject);
    if (!child) continue;
    const r = await sql.query<{ Id: string }>(
      `SELECT "Id" FROM ${ident(child.name)} WHERE ${ident(rel.field)} = ANY($1)`,
      [ids],
    );
    await purgeRecords(ctx, sql, child, r.rows.map((x) => x.Id));
  }
  await sql.query(`DELETE FROM ${ident(o.name)} WHERE "Id" = ANY($1)`, [ids]);
}

/** Parents that still have live children through a lookup whose delete constraint is Restrict. */
async function restrictedParents(ctx: StoreContext, sql: Sql, o: SObjectDef, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  for (const rel of ctx.schema.childRelationships(o.name)) {
    if (!ctx.schema.field(rel.childSObject, rel.field)?.restrictedDelete) continue;
    const child = ctx.schema.object(rel.childSObject);
    if (!child) continue;
    const r = await sql.query<{ p: string }>(
      `SELECT DISTINCT ${ident(rel.field)} AS p FROM ${ident(child.name)} WHERE ${ident(rel.field)} = ANY($1) AND NOT "IsDeleted"`,
      [ids],
    );
    for (const x of r.rows) out.set(x.p, child.labelPlural);
  }
  return out;
}

async function softDelete(ctx: StoreContext, tx: WriteTx, o: SObjectDef, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const ids = rows.map((r) => r['Id'] as string);
  for (const id of ids) tx.created.delete(id);
  await tx.sql.query(
    `UPDATE ${ident(o.name)} SET "IsDeleted" = true, "LastModifiedDate" = $2, "SystemModstamp" = $2, "LastModifiedById" = $3 WHERE "Id" = ANY($1)`,
    [ids, tx.now, ctx.actor.userId],
  );
  for (const row of rows) tx.changes.push(changeOf(o, 'DELETE', row, null));
  await cascade(ctx, tx, o, ids, async (child, childRows) => softDelete(ctx, tx, child, childRows));
  await rulesFor(o.name).afterWrite?.({ tx, schema: ctx.schema }, rows, 'delete');
}

/** Applies `action` to live children of deleted parents; other lookups to them are cleared. */
async function cascade(
  ctx: StoreContext,
  tx: WriteTx,
  o: SObjectDef,
  parentIds: string[],
  action: (child: SObjectDef, rows: Row[]) => Promise<void>,
): Promise<void> {
  for (const rel of ctx.schema.childRelationships(o.name)) {
    const child = ctx.schema.object(rel.childSObject);
    if (!child) continue;
    if (rel.cascadeDelete) {
      const r = await tx.sql.query<Row>(
        `SELECT * FROM ${ident(child.name)} WHERE ${ident(rel.field)} = ANY($1) AND NOT "IsDeleted"`,
        [parentIds],
      );
      if (r.rows.length > 0) await action(child, r.rows);
    } else {
      const f = ctx.schema.field(child.name, rel.field);
      if (f?.nillable && f.updateable) {
        await tx.sql.query(
          `UPDATE ${ident(child.name)} SET ${ident(rel.field)} = NULL WHERE ${ident(rel.field)} = ANY($1)`,
          [parentIds],
        );
      }
    }
  }
}
