/**
 * Rebuilds the boolean tree of a WHERE/HAVING clause.
 *
 * soql-parser-js returns conditions as a right-leaning chain (`{left, operator, right}`) whose
 * grouping survives only as `openParen`/`closeParen` counts on the conditions, and a `NOT` as a
 * node with a null (or `{openParen}`) left side. The chain is flattened back into the token
 * sequence the user wrote and parsed again with SOQL's rules: NOT applies to the next condition or
 * parenthesised group, and AND and OR may not be mixed at one level without parentheses
 * (Salesforce answers `unexpected token: 'OR'`).
 */
import type { Condition, HavingClause, ValueQueryCondition, WhereClause } from 'soql-parser-js';
import { soqlErrors } from './soql-errors.js';

/** One comparison as the parser produced it. */
export type Atom = Condition | ValueQueryCondition;

/** The rebuilt tree. */
export type BoolNode =
  | { kind: 'atom'; atom: Atom }
  | { kind: 'not'; child: BoolNode }
  | { kind: 'and' | 'or'; children: BoolNode[] };

type Tok = { t: '(' } | { t: ')' } | { t: 'NOT' } | { t: 'AND' } | { t: 'OR' } | { t: 'atom'; atom: Atom };

interface ChainNode {
  left?: unknown;
  operator?: string;
  right?: ChainNode;
}

function flatten(node: ChainNode | undefined, out: Tok[]): void {
  for (let n = node; n; n = n.right) {
    const left = n.left as (Atom & { openParen?: number; closeParen?: number }) | null | undefined;
    const open = left?.openParen ?? 0;
    for (let i = 0; i < open; i++) out.push({ t: '(' });
    if (n.operator === 'NOT') {
      out.push({ t: 'NOT' });
      continue;
    }
    if (left) {
      out.push({ t: 'atom', atom: left });
      for (let i = 0; i < (left.closeParen ?? 0); i++) out.push({ t: ')' });
    }
    if (n.operator === 'AND' || n.operator === 'OR') out.push({ t: n.operator });
  }
}

/** The tree of `clause`, or undefined for an absent clause. */
export function buildTree(soql: string, clause: WhereClause | HavingClause | undefined): BoolNode | undefined {
  if (!clause) return undefined;
  const toks: Tok[] = [];
  flatten(clause as ChainNode, toks);
  let pos = 0;
  const peek = (): Tok | undefined => toks[pos];

  const unexpected = (tok: Tok | undefined): Error =>
    soqlErrors.unexpectedToken(soql, tok ? (tok.t === 'atom' ? 'condition' : tok.t) : '<EOF>');

  const parseUnary = (): BoolNode => {
    const tok = toks[pos++];
    if (!tok) throw unexpected(tok);
    if (tok.t === 'NOT') return { kind: 'not', child: parseUnary() };
    if (tok.t === '(') {
      const inner = parseExpr();
      const close = toks[pos++];
      if (close?.t !== ')') throw unexpected(close);
      return inner;
    }
    if (tok.t === 'atom') return { kind: 'atom', atom: tok.atom };
    throw unexpected(tok);
  };

  const parseExpr = (): BoolNode => {
    const first = parseUnary();
    let op: 'AND' | 'OR' | undefined;
    const children = [first];
    for (let tok = peek(); tok && (tok.t === 'AND' || tok.t === 'OR'); tok = peek()) {
      if (op && tok.t !== op) {
        // Mixing AND and OR without parentheses is ambiguous, and SOQL refuses it. Point at the
        // operator that breaks the run, as Salesforce does.
        const offset = nthOperatorOffset(soql, toks, pos);
        throw soqlErrors.unexpectedToken(soql, tok.t, offset);
      }
      op = tok.t;
      pos++;
      children.push(parseUnary());
    }
    return op ? { kind: op === 'AND' ? 'and' : 'or', children } : first;
  };

  const tree = parseExpr();
  if (pos !== toks.length) throw unexpected(toks[pos]);
  return tree;
}

/**
 * Best-effort position of the AND/OR at token `index`: the k-th AND/OR keyword after the first
 * WHERE/HAVING. Conditions with nested subqueries may shift it; the message stays right.
 */
function nthOperatorOffset(soql: string, toks: Tok[], index: number): number | undefined {
  const k = toks.slice(0, index).filter((t) => t.t === 'AND' || t.t === 'OR').length;
  const start = /\b(WHERE|HAVING)\b/i.exec(soql);
  if (!start) return undefined;
  const re = /'(?:\\.|[^'\\])*'|\b(AND|OR)\b/gi;
  re.lastIndex = start.index;
  let seen = 0;
  for (let m = re.exec(soql); m; m = re.exec(soql)) {
    if (!m[1]) continue;
    if (seen === k) return m.index;
    seen++;
  }
  return undefined;
}
