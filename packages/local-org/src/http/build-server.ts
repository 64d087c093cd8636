/**
 * The org's HTTP server: Fastify with, in order, OAuth and the session guard, the API-usage
 * counter, latency and fault injection, then the REST routes under `/services/data/vV`.
 * Built apart from `listen()` so tests can `inject()` (see `start-local-org.ts` for the process).
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { authPlugin, type TokenStore } from '../auth/index.js';
import type { OAuthClient, OrgUser } from '../auth/types.js';
import { bulkPlugin } from '../bulk/index.js';
import { faultsPlugin, type FaultOptions } from '../faults/index.js';
import { limitsPlugin, type ApiUsage } from '../limits/index.js';
import type { OrgRuntime } from '../org-runtime.js';
import { streamingPlugin, type StreamingOptions } from '../streaming/index.js';
import { installErrorHandlers } from './error-handler.js';
import { installRequestFormat } from './request-format.js';
import { compositeRoutes } from './routes/composite.js';
import { queryRoutes } from './routes/query.js';
import { sobjectRoutes } from './routes/sobjects.js';
import { asyncApiRoutes, unsupportedRoutes } from './routes/unsupported.js';
import { versionRoutes } from './routes/versions.js';

/** What `buildServer` needs besides the org itself. */
export interface ServerOptions {
  tokens: TokenStore;
  usage: ApiUsage;
  clients: OAuthClient[];
  users: OrgUser[];
  faults: FaultOptions;
  /** Fastify logger settings. @defaultValue false */
  logger?: FastifyServerOptions['logger'];
  /** Largest JSON body accepted, in bytes (Salesforce refuses REST bodies above about 50 MB). @defaultValue 50 MiB */
  bodyLimit?: number;
  /** CometD endpoint and event retention settings (`/cometd/<version>`). @defaultValue Salesforce's */
  streaming?: StreamingOptions;
}

export async function buildServer(org: OrgRuntime, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 50 * 1024 * 1024,
    forceCloseConnections: true,
  });
  installErrorHandlers(app);
  installRequestFormat(app);

  await app.register(authPlugin, {
    orgId: org.orgId,
    userId: org.userId,
    username: org.username,
    instanceUrl: () => org.instanceUrl,
    tokens: options.tokens,
    clients: options.clients,
    users: options.users,
  });
  // CometD long polls are not REST API requests: Salesforce meters streaming separately
  // (DailyStreamingApiEvents), so only the REST and async APIs count against DailyApiRequests.
  await app.register(limitsPlugin, { usage: options.usage, countedPrefixes: ['/services/data/v', '/services/async/'] });
  await app.register(faultsPlugin, options.faults);
  await app.register(streamingPlugin, { org, ...options.streaming });

  await app.register(versionRoutes, { org });
  await app.register(
    async (api) => {
      await api.register(sobjectRoutes, { org });
      await api.register(queryRoutes, { org });
      await api.register(compositeRoutes, { org });
      await api.register(unsupportedRoutes);
    },
    { prefix: '/services/data/:version' },
  );
  await app.register(bulkPlugin, { org });
  await app.register(asyncApiRoutes);
  return app;
}
