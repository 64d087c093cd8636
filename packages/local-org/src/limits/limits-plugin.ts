/**
 * API limits of the local org: every API call is counted against the daily allocation, every API
 * response carries `Sforce-Limit-Info: api-usage=N/M`, calls past the allocation get 403
 * `REQUEST_LIMIT_EXCEEDED`, and `GET /services/data/vXX.X/limits` reports the allocations.
 * Wrapped in fastify-plugin so the hooks cover the API routes of the app that registers it and the
 * `apiUsage`/`registerLimit` decorators reach that app.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ApiUsage } from './api-usage.js';
import { API_PATH_PREFIXES, isUnderPrefix } from './api-paths.js';
import { endpointKey } from './endpoint-key.js';
import { defaultOrgLimits } from './org-limits.js';
import type { OrgLimit } from './org-limits.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The daily API allocation and its use (also behind `stats()`). */
    apiUsage: ApiUsage;
    /**
     * Adds or replaces an entry of `GET /limits` with a live reading, e.g. the Bulk API's
     * `DailyBulkApiBatches`. `read` is called on every `GET /limits`.
     */
    registerLimit: (name: string, read: () => OrgLimit) => void;
  }
}

export interface LimitsPluginOptions {
  /**
   * The usage counter to count into; pass one to share it with the rest of the org (stats).
   * @defaultValue a new `ApiUsage` with `apiLimit`
   */
  usage?: ApiUsage;
  /**
   * Daily allocation of the counter the plugin creates when `usage` is not given.
   * @defaultValue 5_000_000 (see `ApiUsageOptions.apiLimit`)
   */
  apiLimit?: number;
  /**
   * URL prefixes whose requests count as API calls and carry `Sforce-Limit-Info`.
   * @defaultValue API_PATH_PREFIXES (`/services/data/v`, `/services/async/`, `/cometd/`)
   */
  countedPrefixes?: readonly string[];
}

/** The header Salesforce adds to API responses (jsforce reads it into `conn.limitInfo`). */
export const LIMIT_INFO_HEADER = 'Sforce-Limit-Info';

/** Salesforce's answer once the daily allocation is used up. */
export function totalRequestsExceededBody(): Array<{ message: string; errorCode: string }> {
  return [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }];
}

async function limitsPluginImpl(app: FastifyInstance, opts: LimitsPluginOptions): Promise<void> {
  const usage = opts.usage ?? new ApiUsage(opts.apiLimit === undefined ? {} : { apiLimit: opts.apiLimit });
  const prefixes = opts.countedPrefixes ?? API_PATH_PREFIXES;
  const live = new Map<string, () => OrgLimit>();

  app.decorate('apiUsage', usage);
  app.decorate('registerLimit', (name: string, read: () => OrgLimit) => {
    live.set(name, read);
  });

  app.addHook('onRequest', async (request, reply) => {
    if (!isUnderPrefix(request.url, prefixes)) return undefined;
    if (usage.tryCount(endpointKey(request.method, request.url))) return undefined;
    request.log.info({ used: usage.used, max: usage.max }, 'local-org: daily API request limit exceeded');
    return reply.code(403).send(totalRequestsExceededBody());
  });

  // onSend also runs for error replies (401, 403, 404, thrown errors), so every API response has it.
  app.addHook('onSend', async (request, reply) => {
    if (isUnderPrefix(request.url, prefixes)) reply.header(LIMIT_INFO_HEADER, `api-usage=${usage.used}/${usage.max}`);
  });

  const readLimits = async () => {
    const limits: Record<string, OrgLimit> = {
      ...defaultOrgLimits(),
      DailyApiRequests: { Max: usage.max, Remaining: usage.remaining },
    };
    for (const [name, read] of live) limits[name] = read();
    return Object.fromEntries(Object.entries(limits).sort(([a], [b]) => a.localeCompare(b)));
  };
  // Salesforce documents the resource as `/vXX.X/limits/`; jsforce calls it without the slash.
  app.get('/services/data/v:version/limits', { schema: limitsSchema }, readLimits);
  app.get('/services/data/v:version/limits/', { schema: limitsSchema }, readLimits);
}

const limitsSchema = {
  params: { type: 'object', properties: { version: { type: 'string' } }, required: ['version'] },
  response: {
    200: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: { Max: { type: 'integer' }, Remaining: { type: 'integer' } },
        required: ['Max', 'Remaining'],
      },
    },
  },
} as const;

/** Registers API counting, the limit header and `GET /limits`; see {@link LimitsPluginOptions}. */
export const limitsPlugin = fp(limitsPluginImpl, { name: 'local-org-limits', fastify: '5.x' });
