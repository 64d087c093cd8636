/**
 * What the composite resources share: the subrequest and result shapes, and `@{ref.path}`
 * references to earlier subrequests' answers.
 */
import { SalesforceError } from '../errors.js';
import type { RestResponse } from './sobject-operations.js';

export interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
}

export interface SubResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

/** A reference to an earlier subrequest's answer: `@{referenceId.path}`. */
export const REF = /@\{([A-Za-z0-9_]+)\.([^}]+)\}/g;

/**
 * The reference ids `value` points at (`@{ref.path}` in any string inside it). Walks the value
 * instead of scanning its JSON text: this runs for every node of every graph.
 */
export function referencedIds(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes('@{')) for (const m of value.matchAll(REF)) out.push(m[1]!);
  } else if (Array.isArray(value)) {
    for (const v of value) referencedIds(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) referencedIds(v, out);
  }
  return out;
}

/** The composite answer of a subrequest that succeeded. */
export function okResult(referenceId: string, r: RestResponse): SubResult {
  return { body: r.body, httpHeaders: r.headers ?? {}, httpStatusCode: r.status, referenceId };
}

/** Value at `path` (`id`, `records[0].Id`, `Account.Name`) of an earlier node's response body. */
function lookup(body: unknown, path: string): unknown {
  let cur: unknown = body;
  for (const part of path.split('.').flatMap((p) => p.split(/\[(\d+)\]/).filter(Boolean))) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const obj = cur as Record<string, unknown>;
    const key = Object.keys(obj).find((k) => k.toLowerCase() === part.toLowerCase());
    cur = key === undefined ? undefined : obj[key];
  }
  return cur;
}

/** Replaces `@{ref.path}` in strings (a whole-string reference keeps the value's JSON type). */
export function resolve(value: unknown, results: Map<string, unknown>): unknown {
  if (typeof value === 'string') {
    if (!value.includes('@{')) return value;
    const whole = /^@\{([A-Za-z0-9_]+)\.([^}]+)\}$/.exec(value);
    const get = (ref: string, path: string) => {
      if (!results.has(ref)) {
        throw new SalesforceError(
          'INVALID_REFERENCE',
          `Invalid reference specified. No value for ${ref}.${path} found in ${ref}. Provided referenceId ids are [${[...results.keys()].join(', ')}]`,
          400,
        );
      }
      const v = lookup(results.get(ref), path);
      if (v === undefined) {
        throw new SalesforceError(
          'INVALID_REFERENCE',
          `Invalid reference specified. No value for ${ref}.${path} found in ${ref}.`,
          400,
        );
      }
      return v;
    };
    if (whole) return get(whole[1]!, whole[2]!);
    return value.replace(REF, (_m, ref: string, path: string) => String(get(ref, path)));
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, results));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const v = resolve((value as Record<string, unknown>)[key], results);
      // A key named __proto__ stays a plain property (assignment would set the prototype).
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
    }
    return out;
  }
  return value;
}
