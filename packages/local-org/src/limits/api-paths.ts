/**
 * The URL prefixes of the org's APIs: REST (`/services/data/vXX.X/…`), the Bulk API 1.0
 * (`/services/async/…`) and Streaming (`/cometd/…`). These are what needs a session and what counts
 * against the daily API allocation; `/services/oauth2/…` (logging in) and the unauthenticated
 * version list `GET /services/data/` are neither.
 */
export const API_PATH_PREFIXES: readonly string[] = ['/services/data/v', '/services/async/', '/cometd/'];

/** True when `url` (path, with or without query) is under one of `prefixes`. */
export function isUnderPrefix(url: string, prefixes: readonly string[] = API_PATH_PREFIXES): boolean {
  return prefixes.some((prefix) => url.startsWith(prefix));
}
