/**
 * `startLocalOrg()`: a running local Salesforce org on 127.0.0.1 for tests, scripts and `pnpm dev`.
 *
 * @example
 * const org = await startLocalOrg({ seed: 'demo' });
 * const conn = new jsforce.Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken });
 * await conn.query('SELECT Id, Name FROM Account');
 * await org.stop();
 */
import type { FastifyServerOptions } from 'fastify';
import { TokenStore } from './auth/index.js';
import type { OAuthClient, OrgUser } from './auth/types.js';
import { RecordStore } from './data/record-store.js';
import { ORG_ID, USER_ID, USERNAME, hasDemoSeed, seedDemo } from './data/seed.js';
import type { FaultKind, FaultOptions } from './faults/index.js';
import { buildServer } from './http/build-server.js';
import { API_VERSIONS } from './http/versions.js';
import { ApiUsage } from './limits/index.js';
import type { OrgRuntime } from './org-runtime.js';
import { findForceAppDir, loadSchema } from './schema/load-schema.js';
import { loadForceAppObjects } from './schema/metadata-loader.js';
import { QueryCursors } from './soql/index.js';
import { openDatabase } from './storage/database.js';
import { initializeDatabase, truncateDatabase } from './storage/initialize.js';
import type { PublishedEvent, StreamingMessage, StreamingOptions, SubscribeOptions } from './streaming/index.js';

/** Options of `startLocalOrg` (and the flags of `local-org start`). */
export interface LocalOrgOptions {
  /** TCP port; 0 picks a free one. @defaultValue 0 */
  port?: number;
  /** Interface to listen on. Loopback by default: the org has no real security. @defaultValue '127.0.0.1' */
  host?: string;
  /** PGlite data directory (persistent org); unset = in memory. */
  dataDir?: string;
  /** PostgreSQL URL instead of PGlite; the org keeps its tables in `databaseSchema`. */
  databaseUrl?: string;
  /** Schema inside `databaseUrl`. @defaultValue a fresh `local_org_<random>`, dropped on stop */
  databaseSchema?: string;
  /** `demo` loads accounts, products, price book entries, vehicles, leads and a case. @defaultValue none */
  seed?: 'demo' | 'none';
  /** Directory of the Salesforce DX source whose objects the org has. @defaultValue the repo's force-app/main/default */
  forceAppDir?: string;
  /** Extra entities with Change Data Capture on, besides those force-app enables. */
  cdcEntities?: string[];
  /**
   * Streaming (CometD `/cometd/<version>`, change and platform event retention). Tests shorten
   * `connectTimeoutMs` (e.g. 2000) so idle long polls and dead-client cleanup take seconds.
   * @defaultValue Salesforce's: 110 s connect timeout, 72 h retention
   */
  streaming?: StreamingOptions;
  /** API version of `clientContext()` and `apiVersion`. @defaultValue newest served ('65.0') */
  apiVersion?: string;
  /** Known access token to register (tests); a random one is issued otherwise. */
  accessToken?: string;
  /** Access token lifetime in ms; unset = tokens never expire. */
  sessionTtlMs?: number;
  /** Connected apps for the OAuth flows. @defaultValue one client `local-org-client` / `local-org-secret` */
  clients?: OAuthClient[];
  /** Users for the password flow. @defaultValue none */
  users?: OrgUser[];
  /** Fixed latency per API call, ms. @defaultValue 0 */
  latencyMs?: number;
  /** Extra latency per record written, ms. @defaultValue 0 */
  latencyPerRecordMs?: number;
  /** Uniform ± jitter on the latency, ms. @defaultValue 0 */
  jitterMs?: number;
  /** Probability (0..1) that an API call faults. @defaultValue 0 */
  faultRate?: number;
  /** Fault kinds to draw from. @defaultValue ['503', 'REQUEST_LIMIT_EXCEEDED', 'UNABLE_TO_LOCK_ROW', 'reset'] */
  faults?: FaultKind[];
  /** Seed of the fault PRNG (repeatable runs). */
  faultSeed?: number;
  /** Daily API request limit. */
  apiLimit?: number;
  /** Fastify logger settings. @defaultValue false */
  logger?: FastifyServerOptions['logger'];
}

/** A running local org. */
export interface LocalOrg {
  /** `http://127.0.0.1:<port>` */
  instanceUrl: string;
  /** A valid access token (Bearer) for the integration user. */
  accessToken: string;
  orgId: string;
  userId: string;
  username: string;
  /** API version clients should use (`65.0`). */
  apiVersion: string;
  /** A ready `x-client-context` header value (base64 JSON) for Heroku AppLink requests. */
  clientContext(extra?: { requestId?: string; namespace?: string }): string;
  /** API usage, faults and latency counters, live streaming subscribers. */
  stats(): Record<string, unknown>;
  /**
   * Issues a new access token for the integration user, as connected app `clientId` receives it at
   * the end of Salesforce's web-server flow (whose browser step the org does not emulate; none of
   * the token endpoint's grants returns a refresh token). With `withRefreshToken`, also a refresh
   * token that `POST /services/oauth2/token` (`grant_type=refresh_token`) redeems for that client,
   * so clients' refresh paths (jsforce's `refreshToken` connections) can be tested.
   */
  issueToken(options?: {
    /** A configured connected app. @defaultValue the first of `clients` */
    clientId?: string;
    /** Also issue a refresh token. @defaultValue false */
    withRefreshToken?: boolean;
  }): { accessToken: string; refreshToken?: string };
  /** Changes latency and fault settings while running. */
  setFaults(options: Partial<FaultOptions>): void;
  /**
   * Subscribes in-process to a streaming channel — `/data/ChangeEvents`, `/data/<Entity>ChangeEvent`
   * (`/data/Vehicle__ChangeEvent`) or `/event/<Name>__e` — with the semantics of a CometD
   * subscriber: `onEvent` receives each message (`{channel, data: {schema, payload, event:
   * {replayId}}}`) once, in replay-id order. Resolves when the subscription is in place (what
   * commits afterwards is delivered) to the function that ends it; rejects with a
   * `SalesforceError` whose message is Salesforce's Bayeux error for an unknown channel or an
   * invalid replay id.
   * @example
   * const stop = await org.subscribe('/data/Vehicle__ChangeEvent', (m) => seen.push(m.data.payload), { replayId: -2 });
   */
  subscribe(channel: string, onEvent: (message: StreamingMessage) => void, options?: SubscribeOptions): Promise<() => void>;
  /**
   * Publishes a platform event (`Car_Telemetry_Alert__e`) as `POST /sobjects/<Name>__e` would;
   * rejects with the same `SalesforceError` (unknown field, missing required field).
   */
  publish(eventName: string, fields: Record<string, unknown>): Promise<PublishedEvent>;
  /**
   * Empties the org (and re-seeds when started with a seed); tokens stay valid. Change and
   * platform event logs are emptied too and replay ids restart at 1; live subscriptions stay and
   * receive the new events from the first.
   */
  reset(): Promise<void>;
  /** Stops the server and closes the database. */
  stop(): Promise<void>;
  /** Internals for tests in this package and for the Bulk/CDC layers. */
  readonly runtime: OrgRuntime;
}

export async function startLocalOrg(options: LocalOrgOptions = {}): Promise<LocalOrg> {
  // `cdcEntities` adds to force-app's selection (loadSchema's own option replaces it).
  const forceAppDir = options.forceAppDir ?? findForceAppDir();
  const cdcEntities = options.cdcEntities && [...loadForceAppObjects(forceAppDir).cdcEntities, ...options.cdcEntities];
  const schema = loadSchema({ forceAppDir, ...(cdcEntities ? { cdcEntities } : {}) });
  const db = await openDatabase({
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.databaseSchema ? { schema: options.databaseSchema } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  try {
    await initializeDatabase(db, schema);
    const store = new RecordStore(schema, db, { userId: USER_ID });
    const seed = options.seed === 'demo';
    if (seed && !(await hasDemoSeed(db))) await seedDemo(store);

    const apiVersion = options.apiVersion ?? API_VERSIONS[API_VERSIONS.length - 1]!;
    const runtime: OrgRuntime = {
      schema,
      db,
      store,
      cursors: new QueryCursors(),
      orgId: ORG_ID,
      userId: USER_ID,
      username: USERNAME,
      instanceUrl: '',
      apiVersions: API_VERSIONS,
    };
    const tokens = new TokenStore(options.sessionTtlMs ? { sessionTtlMs: options.sessionTtlMs } : {});
    const usage = new ApiUsage(options.apiLimit ? { apiLimit: options.apiLimit } : {});
    const faults: FaultOptions = {
      latencyMs: options.latencyMs ?? 0,
      latencyPerRecordMs: options.latencyPerRecordMs ?? 0,
      jitterMs: options.jitterMs ?? 0,
      faultRate: options.faultRate ?? 0,
      faults: options.faults ?? ['503', 'REQUEST_LIMIT_EXCEEDED', 'UNABLE_TO_LOCK_ROW', 'reset'],
      ...(options.faultSeed !== undefined ? { seed: options.faultSeed } : {}),
    };
    const clients = options.clients ?? [{ clientId: 'local-org-client', clientSecret: 'local-org-secret' }];
    const app = await buildServer(runtime, {
      tokens,
      usage,
      faults,
      clients,
      users: options.users ?? [],
      logger: options.logger ?? false,
      ...(options.streaming ? { streaming: options.streaming } : {}),
    });
    const host = options.host ?? '127.0.0.1';
    await app.listen({ host, port: options.port ?? 0 });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    runtime.instanceUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

    const subject = { userId: USER_ID, username: USERNAME, orgId: ORG_ID, clientId: 'local-org' };
    const accessToken = options.accessToken ?? tokens.issue(subject, 'fixed').accessToken;
    if (options.accessToken) tokens.issueFixed(options.accessToken, subject);

    return {
      instanceUrl: runtime.instanceUrl,
      accessToken,
      orgId: ORG_ID,
      userId: USER_ID,
      username: USERNAME,
      apiVersion,
      runtime,
      clientContext: (extra = {}) =>
        Buffer.from(
          JSON.stringify({
            accessToken,
            apiVersion,
            requestId: extra.requestId ?? `local-${Date.now()}`,
            namespace: extra.namespace ?? '',
            orgId: ORG_ID,
            orgDomainUrl: runtime.instanceUrl,
            userContext: { userId: USER_ID, username: USERNAME },
          }),
        ).toString('base64'),
      issueToken: ({ clientId = clients[0]?.clientId, withRefreshToken = false } = {}) => {
        if (clientId === undefined || !clients.some((c) => c.clientId === clientId)) {
          throw new Error(`issueToken: no connected app '${clientId ?? ''}' is configured`);
        }
        const issued = tokens.issue({ ...subject, clientId }, 'fixed', { withRefreshToken });
        return issued.refreshToken === undefined
          ? { accessToken: issued.accessToken }
          : { accessToken: issued.accessToken, refreshToken: issued.refreshToken };
      },
      stats: () => ({ api: usage.snapshot(), faults: app.faults.stats(), streaming: app.streaming.stats() }),
      setFaults: (o) => app.faults.setOptions(o),
      subscribe: (channel, onEvent, subscribeOptions) => app.streaming.subscribe(channel, onEvent, subscribeOptions),
      publish: (eventName, fields) => app.streaming.publish(eventName, fields),
      async reset() {
        await app.bulk.reset();
        runtime.cursors.clear();
        await truncateDatabase(db, schema);
        await app.streaming.reset();
        if (seed) await seedDemo(store);
        usage.reset();
        app.faults.reset();
      },
      async stop() {
        await app.close();
        await db.close();
      },
    };
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}
