/** `GET /services/data` (the versions list, no session needed) and `GET /services/data/vV` (resources). */
import type { FastifyInstance } from 'fastify';
import { identityUrl } from '../../auth/index.js';
import type { OrgRuntime } from '../../org-runtime.js';
import { apiVersionOf, releaseLabel } from '../versions.js';

/** The resources of one version that local-org serves (Salesforce lists more; see the README). */
const RESOURCES = ['sobjects', 'query', 'queryAll', 'composite', 'limits', 'jobs'];

export async function versionRoutes(app: FastifyInstance, { org }: { org: OrgRuntime }): Promise<void> {
  app.get('/services/data', async () =>
    org.apiVersions.map((v) => ({ label: releaseLabel(v), url: `/services/data/v${v}`, version: v })),
  );
  app.get<{ Params: { version: string } }>('/services/data/:version', async (req) => {
    const v = apiVersionOf(req);
    const resources: Record<string, string> = Object.fromEntries(RESOURCES.map((r) => [r, `/services/data/v${v}/${r}`]));
    // Salesforce lists the caller's identity URL among the resources (jsforce reads it).
    const userId = req.session?.userId ?? org.userId;
    resources['identity'] = identityUrl(org.instanceUrl, org.orgId, userId);
    return resources;
  });
}
