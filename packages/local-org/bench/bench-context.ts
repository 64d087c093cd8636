/** What every section of the local-org benchmark gets. */
import type { LocalOrg } from '../src/index.js';
import type { BenchData } from './bench-data.js';
import type { RestClient } from './rest-client.js';
import type { SqlProfile } from './sql-profile.js';

export interface Context {
  org: LocalOrg;
  client: RestClient;
  data: BenchData;
  /** Set with `BENCH_SQL_PROFILE=1`: every SQL statement counted and timed per section. */
  sql: SqlProfile | undefined;
}
