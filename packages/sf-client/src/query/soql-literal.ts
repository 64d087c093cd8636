/**
 * SOQL literals from JavaScript values, typed by the field they are compared with. Values are
 * ALWAYS escaped here: no caller-supplied string reaches a query unquoted, except date and
 * datetime values, which are only accepted when they match the literal formats exactly.
 */
import { ClientErrorCode } from '../errors/error-codes.js';
import { SalesforceClientError } from '../errors/salesforce-client-error.js';
import type { FieldInfo } from '../schema/schema-map.js';

/** SOQL's escape sequences inside single-quoted strings. */
const STRING_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** `value` as a quoted SOQL string literal. */
export function quoteSoqlString(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (c) => STRING_ESCAPES[c]!)}'`;
}

/** Escapes LIKE's wildcards so `value` matches literally; combine with your own `%`. */
export function escapeLikePattern(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A relative date literal (`TODAY`, `LAST_N_DAYS:30`), made with {@link dateLiteral}. */
export interface DateLiteral {
  readonly kind: 'date-literal';
  readonly text: string;
}

const DATE_LITERALS = new Set([
  'YESTERDAY', 'TODAY', 'TOMORROW', 'LAST_WEEK', 'THIS_WEEK', 'NEXT_WEEK', 'LAST_MONTH', 'THIS_MONTH', 'NEXT_MONTH',
  'LAST_90_DAYS', 'NEXT_90_DAYS', 'THIS_QUARTER', 'LAST_QUARTER', 'NEXT_QUARTER', 'THIS_YEAR', 'LAST_YEAR', 'NEXT_YEAR',
  'THIS_FISCAL_QUARTER', 'LAST_FISCAL_QUARTER', 'NEXT_FISCAL_QUARTER', 'THIS_FISCAL_YEAR', 'LAST_FISCAL_YEAR', 'NEXT_FISCAL_YEAR',
]);
const DATE_N_LITERAL = /^(NEXT|LAST)_N_(DAYS|WEEKS|MONTHS|QUARTERS|YEARS|FISCAL_QUARTERS|FISCAL_YEARS)$|^N_(DAYS|WEEKS|MONTHS|QUARTERS|YEARS|FISCAL_QUARTERS|FISCAL_YEARS)_AGO$/;

/** `dateLiteral('TODAY')`, `dateLiteral('LAST_N_DAYS', 30)`. */
export function dateLiteral(name: string, n?: number): DateLiteral {
  const upper = name.toUpperCase();
  if (n === undefined) {
    if (!DATE_LITERALS.has(upper)) throw invalid(`${name} is not a SOQL date literal`);
    return { kind: 'date-literal', text: upper };
  }
  if (!DATE_N_LITERAL.test(upper) || !Number.isSafeInteger(n) || n < 0) throw invalid(`${name}:${n} is not a SOQL date literal`);
  return { kind: 'date-literal', text: `${upper}:${n}` };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})$/;
const NUMERIC_KINDS = new Set(['int', 'double', 'currency', 'percent']);

/** The literal of `value` compared with `field`; throws `INVALID_SOQL` for a value of the wrong type. */
export function soqlLiteral(value: unknown, field: FieldInfo): string {
  if (value === null || value === undefined) return 'NULL';
  if (isDateLiteral(value)) {
    if (field.type !== 'date' && field.type !== 'datetime') throw invalid(`${field.name} is not a date field; ${value.text} does not apply`);
    return value.text;
  }
  switch (field.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw wrongType(field, value, 'a boolean');
      return value ? 'TRUE' : 'FALSE';
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw wrongType(field, value, 'a finite number');
      return plainNumber(value);
    case 'date':
      if (value instanceof Date) return value.toISOString().slice(0, 10);
      if (typeof value === 'string' && DATE.test(value)) return value;
      throw wrongType(field, value, 'a Date or YYYY-MM-DD');
    case 'datetime':
      if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
      if (typeof value === 'string' && DATETIME.test(value)) return value;
      throw wrongType(field, value, 'a Date or an ISO 8601 date-time');
    default:
      if (typeof value === 'string') return quoteSoqlString(value);
      if (typeof value === 'number' && Number.isFinite(value) && !NUMERIC_KINDS.has(field.type)) return quoteSoqlString(String(value));
      throw wrongType(field, value, 'a string');
  }
}

function isDateLiteral(value: unknown): value is DateLiteral {
  return typeof value === 'object' && value !== null && (value as DateLiteral).kind === 'date-literal';
}

/** Digits only: `1e21` and `1e-7` would not parse as SOQL numbers. */
function plainNumber(n: number): string {
  const text = String(n);
  if (!/e/i.test(text)) return text;
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

function wrongType(field: FieldInfo, value: unknown, expected: string): SalesforceClientError {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
  return invalid(`${field.name} (${field.type}) needs ${expected}, got ${shown}`);
}

function invalid(message: string): SalesforceClientError {
  return new SalesforceClientError(ClientErrorCode.INVALID_SOQL, message);
}
