/**
 * Bulk API 2.0 over HTTP: `/services/data/vV/jobs/ingest…` and `/jobs/query…`. Wrapped in
 * fastify-plugin so the `bulk` decorator (the org's lifecycle resets and closes it) reaches the app;
 * the routes and the `text/csv` body parser live in an encapsulated child, so no other route
 * accepts CSV. Register after the limits plugin: the Bulk allocations replace their `GET /limits`
 * entries with live readings.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { OrgRuntime } from '../org-runtime.js';
import type { BulkOptions } from './bulk-options.js';
import { BulkService } from './bulk-service.js';
import { ingestRoutes } from './ingest-routes.js';
import { queryRoutes } from './query-routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The org's Bulk API jobs: `reset()` drops them all, `close()` stops processing. */
    bulk: BulkService;
  }
}

export interface BulkPluginOptions extends BulkOptions {
  /** The org the jobs read and write. */
  org: OrgRuntime;
}

async function bulkPluginImpl(app: FastifyInstance, opts: BulkPluginOptions): Promise<void> {
  const { org, ...options } = opts;
  const bulk = new BulkService(org, options, (err, msg) => app.log.error({ err }, msg));
  await bulk.initialize();
  app.decorate('bulk', bulk);
  if (app.hasDecorator('registerLimit')) {
    for (const name of ['DailyBulkApiBatches', 'DailyBulkV2QueryJobs', 'DailyBulkV2QueryFileStorageMB'] as const) {
      app.registerLimit(name, () => bulk.usage.readings()[name]);
    }
  }
  // Before the database closes (the org closes the app first): let a running batch commit.
  app.addHook('onClose', async () => bulk.close());

  await app.register(
    async (api) => {
      // The raw request stream is the body: uploads are parsed while they arrive (csv-upload.ts).
      api.addContentTypeParser('text/csv', (_req, payload, done) => done(null, payload));
      await api.register(ingestRoutes, { bulk });
      await api.register(queryRoutes, { bulk });
    },
    { prefix: '/services/data/:version/jobs' },
  );
}

/** Registers the Bulk API 2.0 routes and the `bulk` decorator; see {@link BulkPluginOptions}. */
export const bulkPlugin = fp(bulkPluginImpl, { name: 'local-org-bulk', fastify: '5.x' });
