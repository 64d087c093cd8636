/**
 * Where a caller-supplied org URL may point before a token is sent to it. An AppLink context (and
 * a job's serialized copy of it) names the org's URL next to the token; a forged context could
 * name any host and receive the bearer token (SSRF and token leak). Accepted: https on a Salesforce
 * domain — production and My Domain (`*.my.salesforce.com`, `*.salesforce.com`), Lightning and
 * Visualforce hosts (`*.force.com`), sandboxes (`*.sandbox.my.salesforce.com`) and scratch orgs
 * (`*.scratch.my.salesforce.com`), all under those two — or an origin (scheme, host and port) the
 * application lists explicitly (a local org in development).
 */
import { ClientErrorCode } from '../errors/error-codes.js';
import { SalesforceAuthError } from '../errors/salesforce-auth-error.js';

/** Domains whose https hosts are Salesforce orgs. */
export const SALESFORCE_DOMAINS: readonly string[] = ['salesforce.com', 'force.com'];

/** Why `url` is not an org URL a token may be sent to, or null when it is. */
export function orgUrlRefusal(url: string, allowedOrigins: readonly string[] = []): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${JSON.stringify(url)} is not a URL`;
  }
  if (parsed.username || parsed.password) return 'an org URL carries no credentials';
  if (allowedOrigins.some((o) => sameOrigin(o, parsed))) return null;
  if (parsed.protocol !== 'https:') return `${parsed.origin} is not https and not an allowed origin`;
  const host = parsed.hostname.toLowerCase();
  if (SALESFORCE_DOMAINS.some((d) => host.endsWith(`.${d}`))) return null;
  return `${parsed.origin} is not a Salesforce domain (*.salesforce.com, *.force.com) nor an allowed origin`;
}

/** Throws `ORG_URL_NOT_ALLOWED` (a {@link SalesforceAuthError}) unless {@link orgUrlRefusal} accepts `url`. */
export function assertAllowedOrgUrl(url: string, allowedOrigins: readonly string[] = []): void {
  const reason = orgUrlRefusal(url, allowedOrigins);
  if (reason) throw new SalesforceAuthError(ClientErrorCode.ORG_URL_NOT_ALLOWED, `org URL refused: ${reason}`);
}

function sameOrigin(allowed: string, url: URL): boolean {
  try {
    return new URL(allowed).origin === url.origin;
  } catch {
    return false;
  }
}
