/**
 * Brings a database to the org's schema: object tables, the store's own tables (id serial,
 * auto-numbers, change log) and the records every org has. Idempotent, so a data directory or a
 * PostgreSQL schema is reused across restarts.
 */
import { CHANGE_LOG_DDL } from '../data/change-log.js';
import { STORE_DDL } from '../data/auto-numbers.js';
import { ensureBaseRecords } from '../data/seed.js';
import type { Schema } from '../schema/schema.js';
import type { Database } from './database.js';
import { autoNumberCarryOverSql, autoNumberSequence, ident, schemaDdl } from './ddl.js';

export async function initializeDatabase(db: Database, schema: Schema): Promise<void> {
  await db.exec(`${STORE_DDL}\n${CHANGE_LOG_DDL}\n${schemaDdl(schema)}\n${autoNumberCarryOverSql(schema)}`);
  await ensureBaseRecords(db);
}

/** Empties every table and restarts numbering: the org as `initializeDatabase` left it. */
export async function truncateDatabase(db: Database, schema: Schema): Promise<void> {
  const tables = [...schema.objects().map((o) => ident(o.name)), '_change_log', '_autonumber'];
  const numbering = schema
    .objects()
    .flatMap((o) => o.fields.filter((f) => f.autoNumberFormat).map((f) => `ALTER SEQUENCE ${autoNumberSequence(o.name, f.name)} RESTART WITH 1;`));
  await db.exec(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY; ALTER SEQUENCE _id_serial RESTART WITH 100000; ${numbering.join(' ')}`);
  await ensureBaseRecords(db);
}
