/**
 * A second Bulk API over a test org's database, with its own options (small limits, an injected
 * clock) and its `BulkService` in reach. Only the Bulk API and `GET /limits` are served, without
 * the session guard. Start it right after the org, before any job exists: its start empties the
 * Bulk API tables the two share.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { BulkOptions } from '../../src/bulk/index.js';
import { bulkPlugin } from '../../src/bulk/index.js';
import { installErrorHandlers } from '../../src/http/error-handler.js';
import { limitsPlugin } from '../../src/limits/index.js';
import type { LocalOrg } from '../../src/index.js';

export interface BulkApp {
  app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `/services/data/vV/jobs/<kind><rest>` on this app, absolute. */
  jobs(kind: 'ingest' | 'query', rest?: string): string;
  close(): Promise<void>;
}

export async function startBulkApp(org: LocalOrg, options: BulkOptions = {}): Promise<BulkApp> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  installErrorHandlers(app);
  await app.register(limitsPlugin, {});
  await app.register(bulkPlugin, { org: org.runtime, ...options });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    app,
    url,
    jobs: (kind, rest = '') => `${url}/services/data/v${org.apiVersion}/jobs/${kind}${rest}`,
    close: () => app.close(),
  };
}
