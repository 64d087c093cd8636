/** API version handling shared by the routes. */
import type { FastifyRequest } from 'fastify';
import { SalesforceError } from '../errors.js';

/** Oldest and newest API versions served: Salesforce still serves v31.0 (Summer '14) and later. */
const OLDEST = 31;
const NEWEST = 65;

/**
 * The API versions served, oldest first (`31.0` … `65.0`), as `GET /services/data` lists them on
 * a real org. Clients pick any of them (jsforce defaults to 50.0); the newest is the default.
 */
export const API_VERSIONS: readonly string[] = Array.from({ length: NEWEST - OLDEST + 1 }, (_, i) => `${OLDEST + i}.0`);

const SEASONS = ['Winter', 'Spring', 'Summer'] as const;

/**
 * The release name Salesforce labels a version with: three releases a year, v32.0 being
 * Winter '15 (Winter releases ship in the autumn of the year before their name).
 */
export function releaseLabel(version: string): string {
  const n = Number.parseInt(version, 10) - 32;
  const season = SEASONS[((n % 3) + 3) % 3]!;
  const year = 15 + Math.floor(n / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

/** The `NN.N` of a route's `:version` param (`v64.0`), or NOT_FOUND like Salesforce for an unknown one. */
export function apiVersionOf(req: FastifyRequest): string {
  const raw = (req.params as { version?: string }).version ?? '';
  const m = /^v(\d+\.\d)$/.exec(raw);
  if (!m || !API_VERSIONS.includes(m[1]!)) {
    throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404);
  }
  return m[1]!;
}
