/**
 * Who is calling: the org and user of an AppLink request, read from `x-client-context` with the
 * `@heroku/applink` SDK (so this API accepts exactly what Salesforce sends). Every `/api` route
 * needs it; without a usable one the caller gets 401 with a code that says what is wrong.
 */
import applink from '@heroku/applink';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { orgContextSchema, type OrgContext } from '@ecars/job-queue';
import { orgUrlRefusal } from '@ecars/sf-client';
import { ApiError } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The calling org's context; null until `requireOrgContext` ran. */
    org: OrgContext | null;
  }
  interface FastifyInstance {
    requireOrgContext: (request: FastifyRequest) => Promise<void>;
  }
}

interface RawContext {
  accessToken?: unknown;
  apiVersion?: unknown;
  orgId?: unknown;
  orgDomainUrl?: unknown;
  requestId?: unknown;
  namespace?: unknown;
  userContext?: { userId?: unknown; username?: unknown };
}

/** Options of the client-context plugin. */
export interface ClientContextOptions {
  /**
   * Origins besides Salesforce's https domains the context's org URL may name (a local org in
   * development). A context naming any other URL is refused with 401 before anything is queued, so
   * its token is never sent there.
   * @defaultValue [] (Salesforce domains only)
   */
  allowedOrigins?: readonly string[];
}

/** Reads and checks the header; throws the catalogue's 401s. */
export function readClientContext(header: string | string[] | undefined, allowedOrigins: readonly string[] = []): OrgContext {
  if (header === undefined || header === '' || Array.isArray(header)) throw new ApiError('CLIENT_CONTEXT_MISSING');
  let raw: RawContext;
  try {
    raw = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as RawContext;
    if (raw === null || typeof raw !== 'object') throw new Error('not an object');
  } catch {
    throw new ApiError('CLIENT_CONTEXT_MALFORMED');
  }
  const missing = [
    ['accessToken', raw.accessToken],
    ['apiVersion', raw.apiVersion],
    ['orgId', raw.orgId],
    ['orgDomainUrl', raw.orgDomainUrl],
    ['userContext.userId', raw.userContext?.userId],
    ['userContext.username', raw.userContext?.username],
  ]
    .filter(([, v]) => typeof v !== 'string' || v === '')
    .map(([k]) => k as string);
  if (missing.length > 0) throw new ApiError('CLIENT_CONTEXT_INCOMPLETE', missing.join(', '));

  // The SDK is the reference parser: what it accepts is what Salesforce sends.
  const { context } = applink.init().salesforce.parseRequest({ 'x-client-context': header }, {}, undefined);
  const org = context.org;
  if (!org) throw new ApiError('CLIENT_CONTEXT_INCOMPLETE', 'org');
  const refusal = orgUrlRefusal(org.domainUrl, allowedOrigins);
  if (refusal) throw new ApiError('CLIENT_CONTEXT_ORG_URL_NOT_ALLOWED', refusal);
  const parsed = orgContextSchema.safeParse({
    instanceUrl: org.domainUrl,
    accessToken: org.dataApi.accessToken,
    apiVersion: org.apiVersion,
    orgId: org.id,
    userId: org.user.id,
    username: org.user.username,
    ...(org.namespace ? { namespace: org.namespace } : {}),
    ...(typeof raw.requestId === 'string' ? { requestId: raw.requestId } : {}),
  });
  if (!parsed.success) {
    throw new ApiError('CLIENT_CONTEXT_INCOMPLETE', parsed.error.issues.map((i) => i.path.join('.')).join(', '));
  }
  return parsed.data;
}

export default fp<ClientContextOptions>(
  async (app, opts) => {
    const allowed = opts.allowedOrigins ?? [];
    app.decorateRequest('org', null);
    app.decorate('requireOrgContext', async (request: FastifyRequest) => {
      request.org = readClientContext(request.headers['x-client-context'], allowed);
    });
  },
  { name: 'client-context' },
);
