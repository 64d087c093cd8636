/**
 * Parsing with soql-parser-js, with its (chevrotain) syntax errors turned into Salesforce's
 * `MALFORMED_QUERY … unexpected token: 'X'` shape.
 */
import soqlParser from 'soql-parser-js';
import type { Query } from 'soql-parser-js';
import { soqlErrors } from './soql-errors.js';

const { parseQuery } = soqlParser;

interface Token {
  text: string;
  offset: number;
}

const TOKEN = /'(?:\\.|[^'\\])*'?|[A-Za-z_][\w.]*(?::\d+)?|\d[\w.:+-]*|\S/g;
const KEYWORDS = new Set(['select', 'from', 'where', 'and', 'or', 'not', 'as', 'order', 'group', 'by', 'limit', 'offset', 'having', 'with', 'for', 'using', 'in', 'like']);

function tokenize(soql: string): Token[] {
  return [...soql.matchAll(TOKEN)].map((m) => ({ text: m[0], offset: m.index }));
}

/** Where chevrotain stopped, from its message: the token text it found (empty at the end of input). */
function foundToken(message: string): string | undefined {
  const m = /found --> '([\s\S]*?)' <--/.exec(message) ?? /but found:? '([\s\S]*?)'\s*$/.exec(message);
  return m?.[1];
}

/** Maps a parser exception to MALFORMED_QUERY with the token and position Salesforce would report. */
function syntaxError(soql: string, err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  const lexOffset = /at offset: (\d+)/.exec(message);
  if (lexOffset) {
    const offset = Number(lexOffset[1]);
    return soqlErrors.unexpectedToken(soql, soql[offset] ?? '<EOF>', offset);
  }
  const found = foundToken(message);
  if (found === undefined) return soqlErrors.malformed(soql, message);
  if (found === '') return soqlErrors.unexpectedToken(soql, '<EOF>', soql.trimEnd().length);
  const tokens = tokenize(soql);
  const i = tokens.findIndex((t) => t.text === found);
  const hit = tokens[i];
  if (!hit) return soqlErrors.unexpectedToken(soql, found);
  if (found === ':') return soqlErrors.malformed(soql, 'Bind variables only allowed in Apex code', hit.offset);
  // `SELECT Id FORM Account`: the grammar reads `FORM` as an alias of `Id` and fails on `Account`;
  // Salesforce (whose plain fields take no alias) points at the misspelt keyword instead.
  const prev = tokens[i - 1];
  const prevPrev = tokens[i - 2];
  if (
    /Expecting token of type --> FROM <--/.test(message) &&
    prev &&
    prevPrev &&
    /^[A-Za-z_]\w*$/.test(prev.text) &&
    !KEYWORDS.has(prev.text.toLowerCase()) &&
    (/^[A-Za-z_][\w.]*$/.test(prevPrev.text) || prevPrev.text === ')')
  ) {
    return soqlErrors.unexpectedToken(soql, prev.text, prev.offset);
  }
  return soqlErrors.unexpectedToken(soql, found, hit.offset);
}

/** Parses `soql`; throws `MALFORMED_QUERY` on a syntax error. */
export function parseSoql(soql: string): Query {
  if (!soql.trim()) throw soqlErrors.malformed(soql, "unexpected token: '<EOF>'");
  try {
    // `ignoreParseErrors: false` must be explicit: any other value makes the library build a new
    // (slow, ~25 ms) chevrotain parser on every call instead of reusing its cached one.
    return parseQuery(soql, { allowApexBindVariables: false, allowPartialQuery: false, ignoreParseErrors: false });
  } catch (err) {
    throw syntaxError(soql, err);
  }
}
