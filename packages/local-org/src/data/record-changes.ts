/** What a write changed, as the change log and CDC subscribers see it. */
import type { SObjectDef } from '../schema/types.js';
import type { ChangeType, RecordChange } from './change-log.js';
import type { Row } from './store-types.js';

/** Whether a stored value and a written one are the same (numbers and timestamps by value). */
export function sameValue(a: unknown, b: unknown): boolean {
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
export function changeOf(o: SObjectDef, changeType: ChangeType, row: Row, before: Row | null, changed: string[] = []): RecordChange {
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
