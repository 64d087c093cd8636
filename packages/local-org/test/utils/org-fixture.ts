/** Starts a local org for a test file; clients reach it over real HTTP on 127.0.0.1. */
import jsforce from 'jsforce';
import { startLocalOrg, type LocalOrg, type LocalOrgOptions } from '../../src/index.js';

// jsforce honours http(s)_proxy and ignores NO_PROXY: a proxy would swallow loopback calls.
for (const v of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[v];

/** PostgreSQL used by the "both storages" tests (trust auth on this machine and in CI). */
export const POSTGRES_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function startTestOrg(options: LocalOrgOptions = {}): Promise<LocalOrg> {
  return startLocalOrg({ port: 0, ...options });
}

/** A jsforce connection to `org` with its access token. */
export function connect(org: LocalOrg): jsforce.Connection {
  return new jsforce.Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: org.apiVersion });
}

/** fetch against the org with its token; returns status, headers and parsed JSON body. */
/** What `call` returns. */
export interface CallResult {
  status: number;
  headers: Headers;
  body: unknown;
}

export async function call(
  org: LocalOrg,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<CallResult> {
  const res = await fetch(`${org.instanceUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${org.accessToken}`,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : null };
}
