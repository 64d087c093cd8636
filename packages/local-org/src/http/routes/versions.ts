/** `GET /services/data` (the versions list, no session needed) and `GET /services/data/vV` (resources). */
import type { FastifyInstance } from 'fastify';
import type { OrgRuntime } from '../../org-runtime.js';

const RESOURCES = ['sobjects', 'query', 'queryAll', 'composite', 'limits', 'jobs'];

export async function versionRoutes(app: FastifyInstance, { org }: { org: OrgRuntime }): Promise<void> {
  app.get('/services/data', async () =>
    org.apiVersions.map((v) => ({ label: `Version ${v}`, url: `/services/data/v${v}`, version: v })),
  );
  app.get<{ Params: { version: string } }>('/services/data/:version', async (req) => {
    const v = req.params.version.slice(1);
    return Object.fromEntries(RESOURCES.map((r) => [r, `/services/data/v${v}/${r}`]));
  });
}
