/**
 * One Apex file parsed with `@apexdevtools/apex-parser` into the facts the checks need: syntax
 * errors, the type's name and annotations, its methods (annotations, whether they assert), and
 * its inline SOQL with the objects and field paths it names.
 */
import {
  ApexErrorListener,
  ApexParserFactory,
  CatchClauseContext,
  ClassDeclarationContext,
  FieldNameContext,
  FromNameListContext,
  MethodDeclarationContext,
  type ModifierContext,
  QueryContext,
  SoqlLiteralContext,
  SubQueryContext,
  TriggerUnitContext,
  WhereClauseContext,
  type ApexParseTree as ParseTree,
  type ApexParserRuleContext as ParserRuleContext,
} from '@apexdevtools/apex-parser';

/** A syntax error reported by the lexer or parser. */
export interface ApexSyntaxProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** A method of a class. */
export interface ApexMethod {
  readonly name: string;
  readonly line: number;
  /** Annotation names, lower case, without `@` (`istest`, `auraenabled`, `invocablemethod`). */
  readonly annotations: readonly string[];
  /** Declared with the legacy `testMethod` modifier. */
  readonly testMethodModifier: boolean;
  /**
   * Assertion calls (`Assert.*`, `System.assert*`) outside `catch` clauses: an assertion that
   * runs only when something throws proves nothing when nothing does.
   */
  readonly assertions: number;
}

/** One SOQL query (or subquery) with what it names. */
export interface ApexSoql {
  readonly line: number;
  /** Object (top-level query) or child relationship name (subquery) after FROM. */
  readonly from: string;
  /** Field paths as written (`Account.Name`), with their lines. */
  readonly fields: readonly { readonly path: string; readonly line: number }[];
  /** Parent-to-child subqueries in the SELECT list. */
  readonly subqueries: readonly ApexSoql[];
  /** Semi-join / anti-join queries in WHERE (`Id IN (SELECT ... FROM Other)`). */
  readonly nested: readonly ApexSoql[];
}

/** A parsed `.cls` or `.trigger`. */
export interface ApexUnit {
  readonly kind: 'class' | 'trigger';
  /** Name of the top-level class or the trigger ('' when the file does not parse). */
  readonly name: string;
  /** Annotations of the top-level class, lower case (`istest`). */
  readonly annotations: readonly string[];
  readonly methods: readonly ApexMethod[];
  /** Top-level queries in source order. */
  readonly soql: readonly ApexSoql[];
  readonly syntaxErrors: readonly ApexSyntaxProblem[];
}

const ASSERTION = /^(?:system\.assert(?:equals|notequals)?|assert\.[a-z]+)\($/i;

class CollectingErrorListener extends ApexErrorListener {
  readonly problems: ApexSyntaxProblem[] = [];
  apexSyntaxError(line: number, column: number, message: string): void {
    // ANTLR lists every acceptable token after "expecting"; the first words say enough.
    const short = message.length > 160 ? `${message.slice(0, 157)}...` : message;
    this.problems.push({ line, column: column + 1, message: short });
  }
}

/** Parses Apex source; `kind` picks the grammar entry point. */
export function parseApex(source: string, kind: 'class' | 'trigger'): ApexUnit {
  const errors = new CollectingErrorListener();
  const { parser } = ApexParserFactory.createLexerAndParser(source, errors);
  const tree: ParserRuleContext = kind === 'class' ? parser.compilationUnit() : parser.triggerUnit();
  if (errors.problems.length > 0) {
    return { kind, name: '', annotations: [], methods: [], soql: [], syntaxErrors: errors.problems };
  }

  let name = '';
  let annotations: string[] = [];
  const methods: ApexMethod[] = [];
  const soql: ApexSoql[] = [];
  visit(tree, (node) => {
    if (node instanceof TriggerUnitContext && name === '') {
      name = node.id(0).getText();
    } else if (node instanceof ClassDeclarationContext && name === '') {
      name = node.id().getText();
      annotations = modifiersOf(node).annotations;
    } else if (node instanceof MethodDeclarationContext) {
      const modifiers = modifiersOf(node);
      methods.push({
        name: node.id().getText(),
        line: node.start.line,
        annotations: modifiers.annotations,
        testMethodModifier: modifiers.keywords.includes('testmethod'),
        assertions: countAssertions(node),
      });
    } else if (node instanceof SoqlLiteralContext) {
      soql.push(describeQuery(node.query()));
      return false;
    }
    return true;
  });
  return { kind, name, annotations, methods, soql, syntaxErrors: [] };
}

/** Depth-first walk; `enter` returns false to skip a node's children. */
function visit(node: ParseTree, enter: (node: ParseTree) => boolean): void {
  if (!enter(node)) return;
  const children = (node as ParserRuleContext).children;
  if (children) for (const child of children) visit(child, enter);
}

/**
 * Modifiers of a declaration. They sit on the enclosing `classBodyDeclaration` (members) or
 * `typeDeclaration` (top-level types), one or two levels up.
 */
function modifiersOf(node: ParserRuleContext): { annotations: string[]; keywords: string[] } {
  const annotations: string[] = [];
  const keywords: string[] = [];
  let holder: ParserRuleContext | undefined = node.parentCtx;
  for (let depth = 0; holder && depth < 2; depth++, holder = holder.parentCtx) {
    const list = (holder as { modifier_list?: () => ModifierContext[] }).modifier_list;
    if (typeof list !== 'function') continue;
    for (const modifier of list.call(holder)) {
      const annotation = modifier.annotation();
      if (annotation) annotations.push(annotation.id().getText().toLowerCase());
      else keywords.push(modifier.getText().toLowerCase());
    }
    break;
  }
  return { annotations, keywords };
}

/** Assertion calls in a method body, not counting those inside `catch` clauses. */
function countAssertions(method: MethodDeclarationContext): number {
  let count = 0;
  const tokens: string[] = [];
  visit(method, (node) => {
    if (node instanceof CatchClauseContext) return false;
    const symbol = (node as { symbol?: { text: string } }).symbol;
    if (symbol) tokens.push(symbol.text);
    return true;
  });
  // Match `Assert . areEqual (` / `System . assertEquals (` on the token sequence.
  for (let i = 0; i + 3 < tokens.length; i++) {
    if (tokens[i + 1] === '.' && tokens[i + 3] === '(' && ASSERTION.test(`${tokens[i]}.${tokens[i + 2]}(`))
      count++;
  }
  for (let i = 0; i + 1 < tokens.length; i++) {
    // `System.assert(...)` without the namespace is legal too: `assert(` is not an identifier otherwise.
    if (/^assert(?:equals|notequals)?$/i.test(tokens[i]!) && tokens[i + 1] === '(' && tokens[i - 1] !== '.')
      count++;
  }
  return count;
}

function describeQuery(query: QueryContext | SubQueryContext): ApexSoql {
  const from = query.fromNameList().fieldName(0).getText();
  const fields: { path: string; line: number }[] = [];
  const subqueries: ApexSoql[] = [];
  const nested: ApexSoql[] = [];
  for (const child of query.children ?? []) {
    // A subquery in WHERE is a semi-join on an object; in the SELECT list it reads a child relationship.
    const inWhere = child instanceof WhereClauseContext;
    visit(child, (node) => {
      if (node instanceof FromNameListContext) return false;
      if (node instanceof SubQueryContext) {
        (inWhere ? nested : subqueries).push(describeQuery(node));
        return false;
      }
      if (node instanceof QueryContext) {
        nested.push(describeQuery(node));
        return false;
      }
      if (node instanceof FieldNameContext) {
        fields.push({ path: node.getText(), line: node.start.line });
        return false;
      }
      return true;
    });
  }
  return { line: query.start.line, from, fields, subqueries, nested };
}
