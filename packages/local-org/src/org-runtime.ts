/**
 * Everything one running local org is made of, handed to the HTTP layer. Internal: the public
 * handle is `LocalOrg` (`start-local-org.ts`).
 */
import type { RecordStore } from './data/record-store.js';
import type { Schema } from './schema/schema.js';
import type { QueryCursors } from './soql/index.js';
import type { Database } from './storage/database.js';

export interface OrgRuntime {
  schema: Schema;
  db: Database;
  store: RecordStore;
  cursors: QueryCursors;
  orgId: string;
  userId: string;
  username: string;
  /** `http://127.0.0.1:<port>`, known once the server listens. */
  instanceUrl: string;
  /** API versions served, newest last (`64.0`). */
  apiVersions: readonly string[];
}
