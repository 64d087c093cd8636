/** Options every connection factory accepts. */
import type { ClientLogger } from '../http/logger.js';
import type { ConcurrencyLimiter } from '../http/limiter.js';
import type { RetryOptions } from '../http/retry.js';
import type { SchemaMap } from '../schema/schema-map.js';

/** API version used when the connection does not say (OAuth flows, local orgs). */
export const DEFAULT_API_VERSION = '64.0';

export interface ClientOptions {
  /**
   * API version of REST calls, without `v`.
   * @defaultValue the connection's (AppLink context, serialized context, `sf` CLI), else `DEFAULT_API_VERSION` ('64.0')
   */
  apiVersion?: string;
  /**
   * Most requests in flight at once to this org from this process, shared by every client of the
   * same instance URL (the first client of an org sets it). Salesforce allows about 25 concurrent
   * long-running requests per org; keep headroom for other integrations.
   * @defaultValue 10
   */
  maxConcurrentRequests?: number;
  /**
   * A limiter to use instead of the shared per-org one.
   * @defaultValue the process-wide limiter of the instance URL
   */
  limiter?: ConcurrencyLimiter;
  /**
   * Retries of transient failures.
   * @defaultValue 5 attempts, 200 ms base, 10 s cap, full jitter
   */
  retry?: RetryOptions;
  /**
   * Time one HTTP request may take, in ms. A write that times out has an unknown outcome.
   * @defaultValue 120_000
   */
  requestTimeoutMs?: number;
  /**
   * Where the client logs retries, renewals and (at debug) every request; pino-compatible.
   * @defaultValue a silent logger
   */
  logger?: ClientLogger;
  /**
   * The data model identifiers are checked against (SOQL builder, unit of work key fields).
   * @defaultValue the generated `SCHEMA_MAP` of this project
   */
  schema?: SchemaMap;
  /**
   * Origins (scheme, host, port) besides Salesforce's https domains that an AppLink or serialized
   * context may name as its org URL; any other URL is refused (`ORG_URL_NOT_ALLOWED`) before a
   * request carries the token. List a local org here in development, nothing in production.
   * @defaultValue [] (Salesforce domains only)
   */
  allowedOrigins?: readonly string[];
  /**
   * The fetch implementation (tests, proxies).
   * @defaultValue globalThis.fetch
   */
  fetch?: typeof fetch;
}
