/** Renders the committed `api-docs.yaml` from a built app (used by the script and its staleness test). */
import { buildApp } from './app.js';
import { toYaml, withHerokuExtensions, type HerokuAuthorization } from './openapi.js';

export async function renderApiDocs(auth: HerokuAuthorization = {}): Promise<string> {
  // Only the route schemas are needed: no Redis connection, so no key is left anywhere.
  const app = await buildApp({ logger: false, offline: true });
  try {
    await app.ready();
    return toYaml(withHerokuExtensions(app.swagger() as Parameters<typeof withHerokuExtensions>[0], auth));
  } finally {
    await app.close();
  }
}
