/**
 * Keeping tokens out of logs. Two layers:
 * - {@link REDACT_PATHS}: the one list of paths to redact, for every logger of the project (give
 *   pino and Fastify's logger {@link LOG_REDACTION}), covering where the apps put tokens:
 *   serialized contexts and job payloads (`@ecars/job-queue` carries the context as `org`), request
 *   headers (`authorization`, `x-client-context`) and OAuth settings.
 * - {@link redact}: a copy of any value with those paths AND every key that names a credential
 *   replaced by `[redacted]`, for loggers without path redaction and as a safety net.
 */
import { REDACTED, Secret } from './secret.js';

/** pino redaction paths (fast-redact syntax: dots, `*` for one level, `["quoted"]` keys). */
export const REDACT_PATHS: readonly string[] = [
  'accessToken',
  '*.accessToken',
  '*.*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'clientSecret',
  '*.clientSecret',
  'privateKey',
  '*.privateKey',
  'assertion',
  '*.assertion',
  'password',
  '*.password',
  'authorization',
  'headers.authorization',
  'headers["x-client-context"]',
  '*.headers.authorization',
  '*.headers["x-client-context"]',
  'job.data.context.accessToken',
  // A BullMQ job as the worker logs it: `@ecars/job-queue` payloads carry the context as `org`.
  'job.data.org.accessToken',
];

/**
 * The `redact` option of pino and of Fastify's `logger`: {@link REDACT_PATHS}, each value replaced
 * by `[redacted]`. Every app's logger takes this one.
 */
export const LOG_REDACTION: { readonly paths: string[]; readonly censor: string } = Object.freeze({ paths: [...REDACT_PATHS], censor: REDACTED });

/** Key names that hold credentials wherever they appear (compared without case, `-` or `_`). */
const SECRET_KEYS = new Set([
  'accesstoken',
  'refreshtoken',
  'clientsecret',
  'privatekey',
  'assertion',
  'password',
  'authorization',
  'xclientcontext',
  'sessionid',
]);

const normalizeKey = (key: string) => key.toLowerCase().replace(/[-_]/g, '');

/**
 * A deep copy of `value` with the values at `paths` and under credential-named keys replaced by
 * `[redacted]`. Cycles are cut (`[circular]`), `Secret`s print redacted, objects with `toJSON`
 * (the client, dates) are serialized first.
 */
export function redact(value: unknown, paths: readonly string[] = REDACT_PATHS): unknown {
  const parsed = paths.map(parsePath);
  return copy(value, [], parsed, new WeakSet());
}

function copy(value: unknown, at: string[], paths: string[][], seen: WeakSet<object>): unknown {
  if (value instanceof Secret) return REDACTED;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function' && !Array.isArray(value)) {
    const json = withJson.toJSON();
    if (json !== value) return copy(json, at, paths, seen);
  }
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v, i) => copy(v, [...at, String(i)], paths, seen));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const path = [...at, key];
      const secret = SECRET_KEYS.has(normalizeKey(key)) || paths.some((p) => matches(p, path));
      out[key] = secret && v !== undefined && v !== null ? REDACTED : copy(v, path, paths, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function matches(pattern: string[], path: string[]): boolean {
  return pattern.length === path.length && pattern.every((p, i) => p === '*' || p === path[i]);
}

/** `a.b["c-d"].*` → `['a', 'b', 'c-d', '*']` */
function parsePath(path: string): string[] {
  const out: string[] = [];
  const re = /([^.[\]]+)|\["([^"]+)"\]/g;
  for (const m of path.matchAll(re)) out.push((m[1] ?? m[2])!);
  return out;
}
