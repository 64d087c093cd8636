/**
 * Turns a JSON value from a request into the value stored for one field, or throws the error
 * Salesforce gives for it. Pure: no I/O. Decimal values are rounded half-up on their decimal
 * representation (as Salesforce does when it stores a value with more digits than the scale).
 */
import { SalesforceError } from '../errors.js';
import { to18 } from '../ids.js';
import type { FieldDef } from '../schema/types.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Stored value of `value` for field `f` (null for null/empty). */
export function coerceValue(f: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return f.type === 'boolean' ? false : null;
  switch (f.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw wrongType(f, value);
    case 'int': {
      const n = toNumber(f, value);
      if (!Number.isInteger(n)) throw wrongType(f, value);
      return n;
    }
    case 'double':
    case 'currency':
    case 'percent':
      return toDecimal(f, value);
    case 'date':
      return toDate(f, value);
    case 'datetime':
      return toDateTime(f, value);
    case 'id':
    case 'reference':
      return toId(f, value);
    default:
      return toText(f, value);
  }
}

function wrongType(f: FieldDef, value: unknown): SalesforceError {
  return new SalesforceError(
    'INVALID_TYPE_ON_FIELD_IN_RECORD',
    `${f.label}: value not of required type: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
    400,
    [f.name],
  );
}

function toNumber(f: FieldDef, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && NUMERIC.test(value.trim())) return Number(value);
  throw wrongType(f, value);
}

/** Rounds half-up at `scale` digits and checks the integer digits against precision - scale. */
function toDecimal(f: FieldDef, value: unknown): number {
  const n = toNumber(f, value);
  const rounded = f.scale >= 0 ? roundHalfUp(n, f.scale) : n;
  const maxInteger = f.precision > 0 ? f.precision - f.scale : 18;
  if (Math.abs(Math.trunc(rounded)).toString().length > maxInteger && Math.trunc(rounded) !== 0) {
    throw new SalesforceError(
      'NUMBER_OUTSIDE_VALID_RANGE',
      `${f.label}: value outside of valid range on numeric field: ${String(value)}`,
      400,
      [f.name],
    );
  }
  return rounded;
}

/** Half-up rounding on the shortest decimal representation (so 1.005 → 1.01, not 1.00). */
export function roundHalfUp(n: number, scale: number): number {
  if (Number.isInteger(n)) return n;
  const [mantissa, exp] = n.toExponential().split('e') as [string, string];
  const shifted = Number(`${mantissa}e${Number(exp) + scale}`);
  const r = Math.sign(shifted) * Math.round(Math.abs(shifted));
  return Number(`${r}e${-scale}`) + 0;
}

function toDate(f: FieldDef, value: unknown): string {
  if (typeof value === 'string') {
    // Salesforce accepts a datetime for a date field and keeps its date part.
    const text = DATETIME.test(value) ? value.slice(0, 10) : value;
    const m = DATE.exec(text);
    if (m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) return text;
  }
  throw wrongType(f, value);
}

function toDateTime(f: FieldDef, value: unknown): string {
  if (typeof value === 'string') {
    const m = DATETIME.exec(value);
    if (m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
      const zone = m[8] ?? 'Z';
      const normalisedZone = zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
      const iso = `${value.slice(0, 16)}:${m[6] ?? '00'}.${(m[7] ?? '0').padEnd(3, '0').slice(0, 3)}${normalisedZone}`;
      const d = new Date(iso);
      if (!Number.isNaN(d.getTime())) return d.toISOString();
    }
    if (DATE.test(value)) return `${value}T00:00:00.000Z`;
  }
  throw wrongType(f, value);
}

function isRealDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function toId(f: FieldDef, value: unknown): string | null {
  if (value === '') return null;
  if (typeof value !== 'string') throw malformedId(f, value);
  try {
    return to18(value);
  } catch {
    throw malformedId(f, value);
  }
}

function malformedId(f: FieldDef, value: unknown): SalesforceError {
  return new SalesforceError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${String(value)}`, 400, [f.name]);
}

function toText(f: FieldDef, value: unknown): string | null {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else throw wrongType(f, value);
  if (text === '') return null;
  if (f.length > 0 && text.length > f.length) {
    throw new SalesforceError(
      'STRING_TOO_LONG',
      `${f.label}: data value too large: ${text.length > 40 ? `${text.slice(0, 40)}...` : text} (max length=${f.length})`,
      400,
      [f.name],
    );
  }
  if (f.type === 'email' && !EMAIL.test(text)) {
    throw new SalesforceError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${text}`, 400, [f.name]);
  }
  if ((f.type === 'picklist' || f.type === 'multipicklist') && f.restrictedPicklist) {
    const allowed = new Set(f.picklistValues.filter((p) => p.active).map((p) => p.value));
    const chosen = f.type === 'multipicklist' ? text.split(';') : [text];
    const bad = chosen.find((v) => !allowed.has(v));
    if (bad !== undefined) {
      throw new SalesforceError(
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        `${f.label}: bad value for restricted picklist field: ${bad}`,
        400,
        [f.name],
      );
    }
  }
  return text;
}
