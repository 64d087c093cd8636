/**
 * `SalesforceClient`: the one way the apps talk to Salesforce. Every connection factory
 * (`fromAppLinkRequest`, `fromJwtBearer`, …, see `connections/`) yields this same API:
 * typed queries over every page, the unit of work, sObject collections, Bulk API 2.0, API usage.
 *
 * @example
 * const client = await fromJwtBearer({ loginUrl, clientId, username, privateKey });
 * for await (const o of client.query<Opportunity>("SELECT Id, Name FROM Opportunity")) …
 * const results = await client.commitUnits(units, { keyField: 'Batch_Key__c' });
 */
import { inspect } from 'node:util';
import { REDACTED } from '../auth/secret.js';
import type { ConnectionKind, Renew, SessionInfo } from '../auth/session.js';
import { BulkApi } from '../bulk/bulk-api.js';
import { SCHEMA_MAP } from '../generated/schema-map.js';
import { ApiUsageTracker, type ApiUsageListener, type ApiUsageSnapshot } from '../http/api-usage.js';
import { sharedLimiter, type ConcurrencyLimiter } from '../http/limiter.js';
import { silentLogger, type ClientLogger } from '../http/logger.js';
import { resolveRetryOptions, withRetry, type ResolvedRetryOptions } from '../http/retry.js';
import { Transport, type RequestSpec, type ResponseData } from '../http/transport.js';
import { QueryIterable, type QueryOptions, type SoqlText } from '../query/query-iterable.js';
import { queryMany } from '../query/query-many.js';
import { soql as startQuery, type SoqlQuery } from '../query/soql-builder.js';
import { SchemaIndex } from '../schema/schema-index.js';
import {
  createRecords,
  deleteRecords,
  updateRecords,
  upsertRecords,
  type CollectionOptions,
  type RecordInput,
  type SaveResult,
} from '../write/collections.js';
import type { CommitUnitsOptions, Unit, UnitResult } from '../write/unit.js';
import { commitUnits } from '../write/unit-of-work.js';
import type { ClientCore, RequestBehaviour } from './client-core.js';
import { DEFAULT_API_VERSION, type ClientOptions } from './client-options.js';
import type { SerializedContext } from './serialized-context.js';

/** Counters of what the client did, for logs and benchmarks. */
export interface ClientStats {
  /** HTTP requests sent to the org (retries included). */
  requests: number;
  /** Requests that were retries. */
  retries: number;
  /** Sessions renewed after an expiry. */
  renewals: number;
}

/** How a connection factory hands a session to the client. Internal to the package. */
export interface ClientInit {
  kind: ConnectionKind;
  session: SessionInfo;
  renew?: Renew;
  options?: ClientOptions;
}

export class SalesforceClient implements ClientCore {
  readonly connection: ConnectionKind;
  readonly schema: SchemaIndex;
  readonly logger: ClientLogger;
  readonly retryOptions: ResolvedRetryOptions;
  readonly limiter: ConcurrencyLimiter;
  /** Bulk API 2.0: `ingest()` and `query()`. */
  readonly bulk: BulkApi;
  readonly #transport: Transport;
  readonly #usage = new ApiUsageTracker();
  #retries = 0;

  /** Use a connection factory (`fromJwtBearer`, `fromAppLinkRequest`, …) rather than this. */
  constructor(init: ClientInit) {
    const options = init.options ?? {};
    this.connection = init.kind;
    this.logger = options.logger ?? silentLogger;
    this.retryOptions = resolveRetryOptions(options.retry);
    this.schema = new SchemaIndex(options.schema ?? SCHEMA_MAP);
    const session = { ...init.session, apiVersion: options.apiVersion ?? (init.session.apiVersion || DEFAULT_API_VERSION) };
    this.limiter = options.limiter ?? sharedLimiter(session.instanceUrl, options.maxConcurrentRequests ?? 10);
    this.#transport = new Transport({
      kind: init.kind,
      session,
      renew: init.renew
        ? async () => {
            const next = await init.renew!();
            // The API version stays the one this client was built with.
            return { ...next, apiVersion: session.apiVersion };
          }
        : undefined,
      limiter: this.limiter,
      usage: this.#usage,
      timeoutMs: options.requestTimeoutMs ?? 120_000,
      fetch: options.fetch ?? globalThis.fetch,
      logger: this.logger,
    });
    this.bulk = new BulkApi(this);
  }

  get instanceUrl(): string {
    return this.#transport.session.instanceUrl;
  }

  get apiVersion(): string {
    return this.#transport.session.apiVersion;
  }

  get orgId(): string {
    return this.#transport.session.orgId;
  }

  get userId(): string {
    return this.#transport.session.userId;
  }

  get username(): string {
    return this.#transport.session.username;
  }

  /** Namespace of the calling package (AppLink), '' when none. */
  get namespace(): string {
    return this.#transport.session.namespace ?? '';
  }

  /** Id of the Salesforce request this client serves (AppLink), when known. */
  get requestId(): string | undefined {
    return this.#transport.session.requestId;
  }

  /** True when an expired session can be renewed transparently (JWT, client credentials, refresh token, sf CLI). */
  get canRenewSession(): boolean {
    return this.#transport.canRenew;
  }

  /** API usage from the last `Sforce-Limit-Info` header, and the calls this client made. */
  get apiUsage(): ApiUsageSnapshot {
    return this.#usage.snapshot();
  }

  get stats(): ClientStats {
    return { requests: this.#usage.snapshot().calls, retries: this.#retries, renewals: this.#transport.renewals };
  }

  /**
   * Calls `listener` once when the org's API usage reaches `threshold` (0..1 of the daily
   * allocation). Returns a function that unregisters it.
   */
  onApiUsage(threshold: number, listener: ApiUsageListener): () => void {
    return this.#usage.onThreshold(threshold, listener);
  }

  dataPath(path: string): string {
    return `/services/data/v${this.apiVersion}${path}`;
  }

  send<T>(spec: RequestSpec): Promise<ResponseData<T>> {
    return this.#transport.send<T>(spec);
  }

  /** Any REST call, with the client's retries. Use `idempotent: false` for writes that must not be repeated. */
  request<T>(spec: RequestSpec, behaviour: RequestBehaviour = { idempotent: spec.method === 'GET' }): Promise<ResponseData<T>> {
    const options = behaviour.maxAttempts ? { ...this.retryOptions, maxAttempts: behaviour.maxAttempts } : this.retryOptions;
    return withRetry(() => this.#transport.send<T>(spec), options, {
      retryUnknownOutcome: behaviour.idempotent,
      onRetry: ({ retry, delayMs, error, retryability }) => {
        this.countRetry();
        const e = error as { errorCode?: string; code?: string };
        this.logger.warn(
          { method: spec.method, path: spec.path.split('?', 1)[0], retry, delayMs, retryability, error: e.errorCode ?? e.code },
          'salesforce: retrying request',
        );
      },
    });
  }

  countRetry(): void {
    this.#retries += 1;
  }

  /** A SOQL builder for `object`, checked against this client's schema. */
  soql<O extends string>(object: O): SoqlQuery<O> {
    return startQuery(object, { schema: this.schema });
  }

  /** Every record of `soql`, across pages. */
  query<T = Record<string, unknown>>(soql: string | SoqlText, options: QueryOptions = {}): QueryIterable<T> {
    return new QueryIterable<T>(this, typeof soql === 'string' ? soql : soql.toSoql(), false, options);
  }

  /** Like `query`, including deleted and archived records. */
  queryAll<T = Record<string, unknown>>(soql: string | SoqlText, options: QueryOptions = {}): QueryIterable<T> {
    return new QueryIterable<T>(this, typeof soql === 'string' ? soql : soql.toSoql(), true, options);
  }

  /**
   * Several queries in one API call per five (`/composite` subrequests), each followed to its last
   * page; resolves to each query's records in order. See query-many.ts.
   */
  queryMany<T = Record<string, unknown>>(soqls: readonly (string | SoqlText)[]): Promise<T[][]> {
    return queryMany<T>(this, soqls.map((q) => (typeof q === 'string' ? q : q.toSoql())));
  }

  /** Commits units (records that succeed or fail together) as composite graphs; see `CommitUnitsOptions`. */
  commitUnits(units: readonly Unit[], options: CommitUnitsOptions = {}): Promise<UnitResult[]> {
    return commitUnits(this, units, options);
  }

  /** Inserts independent records, 200 per call. A lost answer is not resent (`OUTCOME_UNKNOWN`). */
  create(type: string, records: RecordInput[], options?: CollectionOptions): Promise<SaveResult[]> {
    return createRecords(this, type, records, options);
  }

  /** Updates records by `Id`, 200 per call. */
  update(type: string, records: RecordInput[], options?: CollectionOptions): Promise<SaveResult[]> {
    return updateRecords(this, type, records, options);
  }

  /** Inserts or updates records by an external id field, 200 per call; safe to retry. */
  upsert(type: string, externalIdField: string, records: RecordInput[], options?: CollectionOptions): Promise<SaveResult[]> {
    return upsertRecords(this, type, externalIdField, records, options);
  }

  /** Deletes records by id, 200 per call. */
  delete(ids: string[], options?: CollectionOptions): Promise<SaveResult[]> {
    return deleteRecords(this, ids, options);
  }

  /** `GET /limits`: the org's allocations and what remains of each. */
  async limits(): Promise<Record<string, { Max: number; Remaining: number }>> {
    return (await this.request<Record<string, { Max: number; Remaining: number }>>({ method: 'GET', path: this.dataPath('/limits') })).body;
  }

  /** The session as JSON for a job payload (holds the access token: a credential). */
  serialize(): SerializedContext {
    const s = this.#transport.session;
    return {
      instanceUrl: s.instanceUrl,
      accessToken: s.accessToken.reveal(),
      apiVersion: s.apiVersion,
      orgId: s.orgId,
      userId: s.userId,
      username: s.username,
      ...(s.namespace ? { namespace: s.namespace } : {}),
      ...(s.requestId ? { requestId: s.requestId } : {}),
    };
  }

  /** What logging the client shows: no token. */
  toJSON(): Record<string, unknown> {
    const s = this.#transport.session;
    return {
      connection: this.connection,
      instanceUrl: s.instanceUrl,
      apiVersion: s.apiVersion,
      orgId: s.orgId,
      userId: s.userId,
      username: s.username,
      accessToken: REDACTED,
    };
  }

  [inspect.custom](): string {
    return `SalesforceClient ${inspect(this.toJSON())}`;
  }
}

