/**
 * `SF_ALLOWED_ORIGINS`, read by job-api and job-worker alike: origins besides Salesforce's https
 * domains that an org URL of a request or job may name (see sf-client's org URL policy). Local
 * development lists the local org; production lists nothing.
 */
import { z } from 'zod';

/** The local org's default origins (`local-org start`, port 6565). */
export const LOCAL_ORG_ORIGINS = 'http://127.0.0.1:6565,http://localhost:6565';

/** A comma-separated list of origins (`scheme://host[:port]`), normalized; empty for none. */
export const originListSchema = z.string().transform((text, ctx) => {
  const origins: string[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    let url: URL | undefined;
    try {
      url = new URL(item);
    } catch {
      url = undefined;
    }
    if (!url || url.origin === 'null' || url.origin !== item.replace(/\/+$/, '')) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(item)} is not an origin (scheme://host[:port], no path)` });
      return z.NEVER;
    }
    origins.push(url.origin);
  }
  return origins;
});

/** The default of `SF_ALLOWED_ORIGINS`: the local org, except in production. */
export function defaultAllowedOrigins(env: Record<string, string | undefined>): string {
  return env['NODE_ENV'] === 'production' ? '' : LOCAL_ORG_ORIGINS;
}
