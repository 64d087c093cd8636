/** A record store on a fresh in-memory PGlite with the standard objects only (no force-app). */
import { RecordStore } from '../../src/data/record-store.js';
import { USER_ID } from '../../src/data/seed.js';
import { Schema } from '../../src/schema/schema.js';
import { standardObjects } from '../../src/schema/standard-objects.js';
import { openDatabase, type DatabaseOptions } from '../../src/storage/database.js';
import { initializeDatabase, truncateDatabase } from '../../src/storage/initialize.js';

export async function openStore(database: DatabaseOptions = {}) {
  const schema = new Schema(standardObjects());
  const db = await openDatabase(database);
  await initializeDatabase(db, schema);
  const store = new RecordStore(schema, db, { userId: USER_ID });
  return {
    schema,
    db,
    store,
    reset: () => truncateDatabase(db, schema),
    close: () => db.close(),
  };
}
