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

/**
 * The first version of the resources that came after v31.0, from their reference pages ("This
 * resource is available in API version N and later"): on older versions they do not exist.
 */
export const INTRODUCED_IN = {
  /** sObject Collections. */
  collections: 42,
  /** Composite graph. */
  compositeGraph: 50,
} as const;

/**
 * The version of a route's `:version` param (`v64.0`), or NOT_FOUND like Salesforce for an unknown
 * one and, with `since`, for a version older than the resource.
 */
export function apiVersionOf(req: FastifyRequest, since = 0): string {
  const version = servedVersionOf(req);
  if (Number.parseFloat(version) < since) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404);
  return version;
}

function servedVersionOf(req: FastifyRequest): string {
  const raw = (req.params as { version?: string }).version ?? '';
  const m = /^v(\d+\.\d)$/.exec(raw);
  if (!m || !API_VERSIONS.includes(m[1]!)) {
    throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404);
  }
  return m[1]!;
}
