/**
 * One HTTP exchange with the org over Node's `fetch`, chosen over jsforce's HTTP layer because the
 * client must own what jsforce decides on its own: jsforce retries PUT/DELETE and 5xx blindly (no
 * jitter, no notion of "outcome unknown"), hides whether a failed request was ever sent, and does
 * its own token refresh. Here:
 * - every call goes through the org's shared concurrency limiter and is counted;
 * - `Sforce-Limit-Info` of every response feeds the API usage tracker;
 * - error arrays become `SalesforceApiError` (with `errorCode`, `fields`, `Retry-After`);
 * - failures without a response become `SalesforceNetworkError` with `sent` telling whether the
 *   request may have reached the org;
 * - a 401 `INVALID_SESSION_ID` triggers ONE renewal of the session when the connection can renew
 *   (shared by concurrent callers) and one resend — safe for writes too, since Salesforce rejects
 *   an invalid session before doing anything; otherwise a `SalesforceAuthError`.
 * Retries are NOT done here: the client wraps `send` in `withRetry` with the right idempotency.
 */
import { SalesforceApiError, type ApiErrorDetail } from '../errors/salesforce-api-error.js';
import { SalesforceAuthError, SalesforceAuthErrorMessage } from '../errors/salesforce-auth-error.js';
import { ClientErrorCode } from '../errors/error-codes.js';
import { SalesforceClientError } from '../errors/salesforce-client-error.js';
import { SalesforceNetworkError } from '../errors/salesforce-network-error.js';
import type { ConnectionKind, Renew, SessionInfo } from '../auth/session.js';
import type { ApiUsageTracker } from './api-usage.js';
import type { ConcurrencyLimiter } from './limiter.js';
import type { ClientLogger } from './logger.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One request to the org. */
export interface RequestSpec {
  method: HttpMethod;
  /** Path on the instance (`/services/data/v64.0/query?q=…`) or a full URL. */
  path: string;
  /** JSON body. */
  json?: unknown;
  /**
   * A raw body (e.g. CSV), as a factory so that the body can be produced again for a resend.
   * Streams need `duplex: 'half'`, which is set automatically.
   */
  body?: () => NonNullable<RequestInit['body']>;
  /** Content type of `body`. */
  contentType?: string;
  headers?: Record<string, string>;
  /**
   * How to read the response.
   * @defaultValue 'json'
   */
  responseType?: 'json' | 'text';
}

export interface ResponseData<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TransportOptions {
  kind: ConnectionKind;
  session: SessionInfo;
  renew: Renew | undefined;
  limiter: ConcurrencyLimiter;
  usage: ApiUsageTracker;
  /** Per-request timeout in ms (headers and body). */
  timeoutMs: number;
  fetch: typeof fetch;
  logger: ClientLogger;
  /** Called after a session renewal. */
  onRenew?: (session: SessionInfo) => void;
}

/** Error codes of a connection that never reached the server: nothing can have been applied. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

export class Transport {
  #session: SessionInfo;
  #renewing: Promise<SessionInfo> | undefined;
  #renewals = 0;

  constructor(private readonly options: TransportOptions) {
    this.#session = options.session;
  }

  get session(): SessionInfo {
    return this.#session;
  }

  /** Sessions obtained again after an expiry. */
  get renewals(): number {
    return this.#renewals;
  }

  get canRenew(): boolean {
    return this.options.renew !== undefined;
  }

  /** Sends `spec` once (plus one resend after a session renewal). */
  async send<T = unknown>(spec: RequestSpec): Promise<ResponseData<T>> {
    const used = this.#session;
    try {
      return await this.#exchange<T>(spec, used);
    } catch (error) {
      if (!(error instanceof SalesforceApiError) || error.status !== 401) throw error;
      if (!this.options.renew) {
        throw new SalesforceAuthError(ClientErrorCode.SESSION_EXPIRED, SalesforceAuthErrorMessage.cannotRenew(this.options.kind), {
          cause: error,
        });
      }
      const renewed = await this.renewSession(used);
      try {
        return await this.#exchange<T>(spec, renewed);
      } catch (again) {
        if (again instanceof SalesforceApiError && again.status === 401) {
          throw new SalesforceAuthError(ClientErrorCode.SESSION_EXPIRED, SalesforceAuthErrorMessage.stillInvalid(this.options.kind), {
            cause: again,
          });
        }
        throw again;
      }
    }
  }

  /**
   * A new session, unless another caller already replaced `stale` (then that one): concurrent
   * requests that all hit the expiry share one renewal.
   */
  async renewSession(stale: SessionInfo = this.#session): Promise<SessionInfo> {
    const renew = this.options.renew;
    if (!renew) throw new SalesforceAuthError(ClientErrorCode.SESSION_EXPIRED, SalesforceAuthErrorMessage.cannotRenew(this.options.kind));
    if (this.#session !== stale) return this.#session;
    this.#renewing ??= (async () => {
      try {
        const next = await renew();
        this.#session = next;
        this.#renewals += 1;
        this.options.logger.info({ connection: this.options.kind, orgId: next.orgId }, 'salesforce: session renewed');
        this.options.onRenew?.(next);
        return next;
      } finally {
        this.#renewing = undefined;
      }
    })();
    return this.#renewing;
  }

  async #exchange<T>(spec: RequestSpec, session: SessionInfo): Promise<ResponseData<T>> {
    const url = /^https?:\/\//i.test(spec.path) ? spec.path : `${session.instanceUrl.replace(/\/+$/, '')}${spec.path}`;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${session.accessToken.reveal()}`,
      Accept: spec.responseType === 'text' ? 'text/csv, application/json' : 'application/json',
      ...spec.headers,
    };
    let body: RequestInit['body'] | undefined;
    if (spec.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(spec.json);
    } else if (spec.body) {
      body = spec.body();
      if (spec.contentType) headers['Content-Type'] = spec.contentType;
    }
    const streamed = body !== undefined && body !== null && typeof body === 'object' && Symbol.asyncIterator in body;
    const pathOnly = url.replace(/^https?:\/\/[^/]+/i, '').split('?', 1)[0];
    return this.options.limiter.run(async () => {
      this.options.usage.countCall();
      const started = performance.now();
      let response: Response;
      let text: string;
      try {
        response = await this.options.fetch(url, {
          method: spec.method,
          headers,
          ...(body === undefined ? {} : { body }),
          ...(streamed ? { duplex: 'half' } : {}),
          redirect: 'manual',
          signal: AbortSignal.timeout(this.options.timeoutMs),
        } as RequestInit);
        text = await response.text();
      } catch (error) {
        throw networkError(error, spec.method, pathOnly ?? '');
      }
      this.options.usage.observe(response.headers.get('sforce-limit-info'));
      this.options.logger.debug(
        { method: spec.method, path: pathOnly, status: response.status, ms: Math.round(performance.now() - started) },
        'salesforce: request',
      );
      if (response.status >= 400) throw apiError(response, text, `${spec.method} ${pathOnly ?? ''}`);
      if (response.status >= 300) {
        throw new SalesforceClientError(ClientErrorCode.UNEXPECTED_RESPONSE, `unexpected redirect (${response.status}) from ${pathOnly}`);
      }
      return { status: response.status, headers: response.headers, body: readBody<T>(text, spec, response, pathOnly ?? '') };
    });
  }
}

function readBody<T>(text: string, spec: RequestSpec, response: Response, path: string): T {
  if (spec.responseType === 'text') return text as T;
  if (text === '') return null as T;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new SalesforceClientError(
      ClientErrorCode.UNEXPECTED_RESPONSE,
      `${spec.method} ${path}: HTTP ${response.status} answered with a body that is not JSON (${response.headers.get('content-type') ?? 'no content type'})`,
      { cause: error },
    );
  }
}

/** Salesforce's error array (or an OAuth-style/other body) as a `SalesforceApiError`. */
function apiError(response: Response, text: string, request: string): SalesforceApiError {
  let details: ApiErrorDetail[] = [];
  try {
    const parsed: unknown = JSON.parse(text);
    const list = Array.isArray(parsed) ? parsed : [parsed];
    details = list
      .filter((e): e is Record<string, unknown> => e !== null && typeof e === 'object')
      .map((e) => ({
        errorCode: String(e['errorCode'] ?? e['error'] ?? e['statusCode'] ?? `HTTP_${response.status}`),
        message: String(e['message'] ?? e['error_description'] ?? ''),
        ...(Array.isArray(e['fields']) ? { fields: (e['fields'] as unknown[]).map(String) } : {}),
      }));
  } catch {
    details = [];
  }
  // A host that is not Salesforce (or a proxy) answers something else: say so, readably, never just `[]`.
  const unreadable = `${request} answered HTTP ${response.status} without a Salesforce error (${response.headers.get('content-type') ?? 'no content type'}: ${JSON.stringify(text.slice(0, 120))})`;
  const found = details[0];
  const first = found ? { ...found, message: found.message || unreadable } : { errorCode: `HTTP_${response.status}`, message: unreadable };
  const retryAfter = Number(response.headers.get('retry-after'));
  return new SalesforceApiError(
    first.errorCode,
    first.message,
    response.status,
    first.fields ?? [],
    details,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
  );
}

/** A fetch failure as a `SalesforceNetworkError`, telling whether the request may have been sent. */
export function networkError(error: unknown, method: string, path: string): SalesforceNetworkError {
  const code = errorCodeOf(error);
  const sent = !NOT_SENT_CODES.has(code);
  const what = code === 'ETIMEDOUT' ? 'timed out' : `failed (${code})`;
  return new SalesforceNetworkError(`${method} ${path} ${what}${sent ? '' : ' before the request was sent'}`, code, sent, {
    cause: error,
  });
}

/** The most specific code in an error's cause chain (`ECONNRESET`, `UND_ERR_SOCKET`, …). */
function errorCodeOf(error: unknown): string {
  let current: unknown = error;
  let found: string | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { name?: string; code?: unknown; cause?: unknown };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'ETIMEDOUT';
    if (typeof e.code === 'string') found = e.code;
    current = e.cause;
  }
  return found ?? 'ECONNRESET';
}
