/** API version handling shared by the routes. */
import type { FastifyRequest } from 'fastify';
import { SalesforceError } from '../errors.js';

/** The API versions served, oldest first. Clients pick any of them; the newest is the default. */
export const API_VERSIONS = ['58.0', '59.0', '60.0', '61.0', '62.0', '63.0', '64.0', '65.0'];

/** The `NN.N` of a route's `:version` param (`v64.0`), or NOT_FOUND like Salesforce for an unknown one. */
export function apiVersionOf(req: FastifyRequest): string {
  const raw = (req.params as { version?: string }).version ?? '';
  const m = /^v(\d+\.\d)$/.exec(raw);
  if (!m || !API_VERSIONS.includes(m[1]!)) {
    throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404);
  }
  return m[1]!;
}
