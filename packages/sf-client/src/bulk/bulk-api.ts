/** `client.bulk`: Bulk API 2.0 helpers bound to a client. */
import type { ClientCore } from '../client/client-core.js';
import { ingest, type IngestOptions, type IngestResult } from './bulk-ingest.js';
import type { SoqlText } from '../query/query-iterable.js';
import { bulkQuery, type BulkQueryOptions } from './bulk-query.js';

export class BulkApi {
  constructor(private readonly core: ClientCore) {}

  /** Inserts, updates, upserts or deletes records through one ingest job; see {@link IngestOptions}. */
  ingest(options: IngestOptions): Promise<IngestResult> {
    return ingest(this.core, options);
  }

  /** Every record of a bulk query, page after page (values are CSV strings, empty → null). */
  query(soql: string | SoqlText, options: BulkQueryOptions = {}): AsyncIterable<Record<string, string | null>> {
    return bulkQuery(this.core, typeof soql === 'string' ? soql : soql.toSoql(), options);
  }
}
