/**
 * SOQL literal text → the JavaScript value bound as a SQL parameter.
 */
import { soqlErrors } from './soql-errors.js';

const ESCAPES: Record<string, string> = {
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

/**
 * The value of a quoted SOQL string literal (`'O\'Brien'` → `O'Brien`).
 *
 * In a LIKE pattern `\%` and `\_` stay escaped and a literal backslash is written `\\`, so the
 * result is a PostgreSQL LIKE pattern with the same meaning (PostgreSQL's LIKE escape is `\`).
 * Any other backslash sequence is refused, as Salesforce does.
 */
export function unquoteString(soql: string, raw: string, like = false): string {
  const body = raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2 ? raw.slice(1, -1) : raw;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = body[++i] ?? '';
    if (next === '%' || next === '_') {
      out += like ? `\\${next}` : next;
    } else if (next === '\\' && like) {
      out += '\\\\';
    } else if (next in ESCAPES) {
      out += ESCAPES[next];
    } else {
      throw soqlErrors.malformed(soql, `Invalid string literal '${body}'. Illegal character sequence '\\${next}' in string literal.`, raw);
    }
  }
  return out;
}

/** Numeric text of a number literal, without a currency prefix (`USD5.5` → `5.5`). */
export function numberText(raw: string): string {
  return raw.replace(/^[A-Za-z]{3}(?=[-+\d.])/, '');
}

const DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i;

/** ISO instant of a SOQL datetime literal (`2024-01-31T10:00:00+05:30`), or undefined. */
export function parseDateTime(raw: string): string | undefined {
  const m = DATETIME.exec(raw);
  if (!m) return undefined;
  const [, day, time, fraction = '', zone = 'Z'] = m;
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const d = new Date(`${day}T${time}${fraction}${offset}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** True for a valid `YYYY-MM-DD` calendar date. */
export function isDate(raw: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return false;
  const d = new Date(`${raw}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(raw);
}
