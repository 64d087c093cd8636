/**
 * Resources a real org serves that local-org does not emulate. Each answers one documented error,
 * 501 `NOT_SUPPORTED_BY_LOCAL_ORG`, instead of a misleading one (without these, `/sobjects/T/updated`
 * read as an upsert key, `/sobjects/T/listviews` as a malformed id, `/search` as an unknown resource).
 */
import type { FastifyInstance } from 'fastify';
import { SalesforceError } from '../../errors.js';

/** Paths under `/services/data/vV`, in Fastify's route syntax. */
const UNSUPPORTED = [
  '/search',
  '/search/*',
  '/parameterizedSearch',
  '/parameterizedSearch/*',
  '/recent',
  '/recent/*',
  '/sobjects/:type/updated',
  '/sobjects/:type/updated/*',
  '/sobjects/:type/deleted',
  '/sobjects/:type/deleted/*',
  '/sobjects/:type/listviews',
  '/sobjects/:type/listviews/*',
  '/sobjects/:type/quickActions',
  '/sobjects/:type/quickActions/*',
  '/sobjects/:type/describe/layouts',
  '/sobjects/:type/describe/layouts/*',
  '/sobjects/:type/describe/compactLayouts',
  '/sobjects/:type/describe/approvalLayouts',
  '/analytics/*',
  '/chatter/*',
  '/tooling/*',
  '/actions/*',
  '/process/*',
  '/tabs',
  '/theme',
  '/appMenu',
  '/appMenu/*',
  '/search/scopeOrder',
  '/ui-api/*',
];

/** The error every unemulated resource answers. */
export function notSupported(what: string): SalesforceError {
  return new SalesforceError(
    'NOT_SUPPORTED_BY_LOCAL_ORG',
    `${what} is not supported by local-org (see packages/local-org/README.md, "What is not emulated")`,
    501,
  );
}

/** Registers the unemulated REST resources (under the version prefix). */
export async function unsupportedRoutes(app: FastifyInstance): Promise<void> {
  for (const path of new Set(UNSUPPORTED)) {
    app.all(path, async (req) => {
      throw notSupported(`${req.method} ${req.url.split('?')[0]}`);
    });
  }
}

/** Bulk API 1.0 (`/services/async/V/…`): superseded by Bulk API 2.0, which local-org emulates. */
export async function asyncApiRoutes(app: FastifyInstance): Promise<void> {
  app.all('/services/async/*', async () => {
    throw notSupported('Bulk API 1.0 (/services/async)');
  });
}
