/** A lookup whose delete constraint is Restrict blocks deleting its parent while children live. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RecordStore } from '../src/data/record-store.js';
import { USER_ID } from '../src/data/seed.js';
import { reference, sobject, text } from '../src/schema/field-builders.js';
import { Schema } from '../src/schema/schema.js';
import { standardObjects } from '../src/schema/standard-objects.js';
import { openDatabase, type Database } from '../src/storage/database.js';
import { initializeDatabase } from '../src/storage/initialize.js';

let db: Database;
let store: RecordStore;

beforeAll(async () => {
  const contract = sobject({ name: 'Contract__c', label: 'Contract', labelPlural: 'Contracts', keyPrefix: 'a0C' }, true, [
    text('Name', 80, { required: true }),
    reference('Account__c', 'Account', {
      relationshipName: 'Account__r',
      childRelationshipName: 'Contracts__r',
      restrictedDelete: true,
    }),
  ]);
  contract.custom = true;
  const schema = new Schema([...standardObjects(), contract]);
  db = await openDatabase();
  await initializeDatabase(db, schema);
  store = new RecordStore(schema, db, { userId: USER_ID });
});
afterAll(() => db.close());

it('refuses to delete a parent that restricted children still point at, and allows it once they are gone', async () => {
  const [acct] = await store.transaction((tx) => store.create(tx, 'Account', [{ Name: 'Held' }]));
  const accountId = acct?.ok ? acct.id : '';
  const [c] = await store.transaction((tx) => store.create(tx, 'Contract__c', [{ Name: 'C1', Account__c: accountId }]));
  const [blocked] = await store.transaction((tx) => store.remove(tx, 'Account', [accountId]));
  expect(blocked).toMatchObject({ ok: false, error: { errorCode: 'DELETE_FAILED' } });
  expect(blocked?.ok === false && blocked.error.message).toContain('Contracts');
  expect(await store.retrieve('Account', accountId)).toBeDefined();

  await store.transaction((tx) => store.remove(tx, 'Contract__c', [c?.ok ? c.id : '']));
  const [done] = await store.transaction((tx) => store.remove(tx, 'Account', [accountId]));
  expect(done).toMatchObject({ ok: true });
  expect(await store.retrieve('Account', accountId)).toBeUndefined();
});
