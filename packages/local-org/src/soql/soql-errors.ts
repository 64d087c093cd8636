/**
 * SOQL errors shaped like Salesforce's. Salesforce prefixes most query errors with the offending
 * line of the query, a caret under the position and `ERROR at Row:r:Column:c`; when the position
 * cannot be found the bare message is used (clients match on `errorCode`, people read the text).
 */
import { SalesforceError } from '../errors.js';

/** Position of `needle` in `soql` as a whole word outside string literals, or -1. */
export function locate(soql: string, needle: string, from = 0): number {
  if (!needle) return -1;
  // A quoted literal is searched verbatim (it may contain anything).
  if (needle.startsWith("'")) return soql.indexOf(needle, from);
  const lower = soql.toLowerCase();
  const want = needle.toLowerCase();
  const isWord = (c: string | undefined): boolean => c !== undefined && /[\w.]/.test(c);
  let inString = false;
  for (let i = 0; i < soql.length; i++) {
    const c = soql[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === "'") inString = false;
      continue;
    }
    if (c === "'") {
      inString = true;
      continue;
    }
    if (i < from) continue;
    if (lower.startsWith(want, i)) {
      const wordy = /^[\w.]/.test(want);
      if (!wordy || (!isWord(soql[i - 1]) && !isWord(soql[i + want.length]))) return i;
    }
  }
  return -1;
}

/** Salesforce's caret prefix for an error at character `offset` of `soql`. */
export function caret(soql: string, offset: number): string {
  if (offset < 0 || offset > soql.length) return '';
  const before = soql.slice(0, offset);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = soql.indexOf('\n', offset);
  const line = soql.slice(lineStart, lineEnd < 0 ? soql.length : lineEnd);
  const column = offset - lineStart + 1;
  return `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n`;
}

/** `message`, prefixed with the caret block when `needle` occurs in `soql`. */
function at(soql: string, needle: string | number | undefined, message: string): string {
  const offset = typeof needle === 'number' ? needle : needle === undefined ? -1 : locate(soql, needle);
  return offset < 0 ? message : caret(soql, offset) + message;
}

/** Builders for the SOQL error codes, each taking the query text so the caret can be placed. */
export const soqlErrors = {
  /** Syntax and semantic errors Salesforce reports as MALFORMED_QUERY. */
  malformed: (soql: string, message: string, needle?: string | number) =>
    new SalesforceError('MALFORMED_QUERY', at(soql, needle, message), 400),
  /** A parse error at `token` (`<EOF>` at the end of the text). */
  unexpectedToken: (soql: string, token: string, offset?: number) =>
    new SalesforceError('MALFORMED_QUERY', at(soql, offset ?? token, `unexpected token: '${token}'`), 400),
  /** A field that the object does not have. */
  noSuchColumn: (soql: string, path: string, field: string, entity: string) =>
    new SalesforceError(
      'INVALID_FIELD',
      at(
        soql,
        path,
        `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      ),
      400,
    ),
  /** A parent relationship that the object does not have. */
  unknownParentRelationship: (soql: string, path: string, relationship: string) =>
    new SalesforceError(
      'INVALID_FIELD',
      at(
        soql,
        path,
        `Didn't understand relationship '${relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      ),
      400,
    ),
  /** A child relationship (subquery FROM) that the object does not have. */
  unknownChildRelationship: (soql: string, relationship: string) =>
    new SalesforceError(
      'INVALID_TYPE',
      at(
        soql,
        relationship,
        `Didn't understand relationship '${relationship}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      ),
      400,
    ),
  /** A field used where its describe flags forbid it (`filterable`, `sortable`, `groupable`). */
  fieldCannotBe: (soql: string, path: string, field: string, what: 'filtered' | 'sorted' | 'grouped') =>
    new SalesforceError('INVALID_FIELD', at(soql, path, `field '${field}' can not be ${what} in a query call`), 400),
  /** An aggregate applied to a field type it does not support. */
  aggregateNotSupported: (soql: string, path: string, field: string, fn: string) =>
    new SalesforceError('INVALID_FIELD', at(soql, path, `field ${field} does not support aggregate operator ${fn}`), 400),
  /** A literal of the wrong type for the field. */
  filterType: (soql: string, path: string, field: string, type: string, quoted: boolean) =>
    new SalesforceError(
      'INVALID_QUERY_FILTER_OPERATOR',
      at(
        soql,
        path,
        `value of filter criterion for field '${field}' must be of type ${type} and ${quoted ? 'should be enclosed in quotes' : 'should not be enclosed in quotes'}`,
      ),
      400,
    ),
  /** An operator the field type does not support. */
  invalidOperator: (soql: string, path: string, message: string) =>
    new SalesforceError('INVALID_QUERY_FILTER_OPERATOR', at(soql, path, message), 400),
  /** A malformed id literal compared with an id or lookup field. */
  invalidIdLiteral: (soql: string, value: string) =>
    new SalesforceError('INVALID_QUERY_FILTER_OPERATOR', at(soql, `'${value}'`, `invalid ID field: ${value}`), 400),
  /** OFFSET above Salesforce's maximum. */
  offsetTooLarge: () => new SalesforceError('NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000', 400),
};
