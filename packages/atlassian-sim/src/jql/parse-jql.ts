// Recursive-descent parser for the JQL subset the simulator understands. Grammar (keywords case-insensitive):
//
//   query    := [or] [ORDER BY sort (',' sort)*]
//   or       := and (OR and)*                       OR also written '|' or '||'
//   and      := not (AND not)*                      AND also written '&' or '&&'; binds tighter than OR
//   not      := NOT not | '!' not | '(' or ')' | clause
//   clause   := field operator operand
//   field    := word | "quoted" | issue.property[key].path.to.value | word[word]   (cf[10001] and the like)
//   operator := = | != | ~ | !~ | > | >= | < | <= | IN | NOT IN | IS | IS NOT
//   operand  := EMPTY | NULL (the only operands of IS / IS NOT) | value | function | '(' single (',' single)* ')'
//   function := word '(' [arg (',' arg)*] ')'
//   sort     := field [ASC | DESC]
//
// Syntax only: whether a field exists or a value makes sense is validateJql's job, because Jira reports those
// without positions and after the whole query has parsed.
import type {
  JqlFailure,
  JqlFieldRef,
  JqlFunctionCall,
  JqlNode,
  JqlOperand,
  JqlOperator,
  JqlQuery,
  JqlSingleOperand,
  JqlSort,
  JqlSortDirection,
} from './jql-ast.ts';
import { JQL_RESERVED_WORDS } from './jql-reserved.ts';
import { jqlError, tokenizeJql, type JqlToken } from './tokenize-jql.ts';

export type ParseJqlResult = { readonly ok: true; readonly query: JqlQuery } | JqlFailure;

// Words the grammar itself gives meaning to. Written where a value belongs, Jira says it expected a value and
// suggests quoting; other reserved words get the "is a reserved JQL word" message instead.
const GRAMMAR_WORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'IS', 'ORDER', 'BY', 'ASC', 'DESC', 'CF']);
const VALID_OPERATORS =
  "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";
const COMPARISON_SYMBOLS: ReadonlySet<string> = new Set(['=', '!=', '~', '!~', '>', '>=', '<', '<=']);

// Thrown only inside this module and turned into a JqlFailure by parseJql.
class JqlSyntaxError extends Error {}

export function parseJql(text: string): ParseJqlResult {
  const tokenized = tokenizeJql(text);
  if (!tokenized.ok) return tokenized;
  try {
    return { ok: true, query: new Parser(tokenized.tokens).parseQuery() };
  } catch (error) {
    if (error instanceof JqlSyntaxError) return { ok: false, errorMessages: [error.message] };
    throw error;
  }
}

function isWord(token: JqlToken, keyword: string): boolean {
  return token.kind === 'word' && !token.escaped && token.text.toUpperCase() === keyword;
}

function isSymbol(token: JqlToken, ...symbols: string[]): boolean {
  return token.kind === 'symbol' && symbols.includes(token.text);
}

function isAnd(token: JqlToken): boolean {
  return isWord(token, 'AND') || isSymbol(token, '&', '&&');
}

function isOr(token: JqlToken): boolean {
  return isWord(token, 'OR') || isSymbol(token, '|', '||');
}

function isNot(token: JqlToken): boolean {
  return isWord(token, 'NOT') || isSymbol(token, '!');
}

function isGrammarWord(token: JqlToken): boolean {
  return token.kind === 'word' && !token.escaped && GRAMMAR_WORDS.has(token.text.toUpperCase());
}

function isReservedWord(token: JqlToken): boolean {
  return token.kind === 'word' && !token.escaped && JQL_RESERVED_WORDS.has(token.text.toLowerCase());
}

class Parser {
  readonly #tokens: readonly JqlToken[];
  #index = 0;

  constructor(tokens: readonly JqlToken[]) {
    this.#tokens = tokens;
  }

  parseQuery(): JqlQuery {
    let where: JqlNode | undefined;
    if (this.#peek().kind !== 'eof' && !isWord(this.#peek(), 'ORDER')) where = this.#parseOr();
    let orderBy: JqlSort[] = [];
    if (isWord(this.#peek(), 'ORDER')) {
      this.#next();
      const by = this.#next();
      if (!isWord(by, 'BY')) this.#fail(by, "Expecting 'BY' but got", "Expecting 'BY' before the end of the query.");
      orderBy = this.#parseSortList();
    }
    const rest = this.#peek();
    if (rest.kind !== 'eof') this.#fail(rest, "Expecting either 'OR' or 'AND' but got", '');
    return { where, orderBy };
  }

  #peek(offset = 0): JqlToken {
    // The token list always ends with eof, so clamping keeps every lookahead defined.
    const token = this.#tokens[Math.min(this.#index + offset, this.#tokens.length - 1)];
    if (token === undefined) throw new JqlSyntaxError(jqlError('The query is empty.', undefined));
    return token;
  }

  #next(): JqlToken {
    const token = this.#peek();
    if (token.kind !== 'eof') this.#index++;
    return token;
  }

  /** `expected` is completed with the offending token; `atEnd` is used verbatim when the query ran out. */
  #fail(token: JqlToken, expected: string, atEnd: string, hint = ''): never {
    if (token.kind === 'eof') throw new JqlSyntaxError(jqlError(atEnd, undefined));
    throw new JqlSyntaxError(jqlError(`${expected} '${token.raw}'.${hint}`, token.position));
  }

  #parseOr(): JqlNode {
    const clauses = [this.#parseAnd()];
    while (isOr(this.#peek())) {
      this.#next();
      clauses.push(this.#parseAnd());
    }
    return clauses.length === 1 && clauses[0] !== undefined ? clauses[0] : { kind: 'or', clauses };
  }

  #parseAnd(): JqlNode {
    const clauses = [this.#parseNot()];
    while (isAnd(this.#peek())) {
      this.#next();
      clauses.push(this.#parseNot());
    }
    return clauses.length === 1 && clauses[0] !== undefined ? clauses[0] : { kind: 'and', clauses };
  }

  #parseNot(): JqlNode {
    const token = this.#peek();
    if (isNot(token)) {
      this.#next();
      return { kind: 'not', clause: this.#parseNot() };
    }
    if (isSymbol(token, '(')) {
      this.#next();
      const inner = this.#parseOr();
      const close = this.#next();
      if (!isSymbol(close, ')')) {
        this.#fail(close, "Expecting either 'OR' or 'AND' but got", "Expecting ')' before the end of the query.");
      }
      return inner;
    }
    const field = this.#parseField();
    const operator = this.#parseOperator();
    return { kind: 'clause', field, operator, operand: this.#parseOperand(operator) };
  }

  #parseField(): JqlFieldRef {
    const token = this.#next();
    if (token.kind === 'string') return { kind: 'field', name: token.text };
    if (token.kind !== 'word') {
      this.#fail(token, 'Expecting a field name but got', 'Expecting a field name before the end of the query.');
    }
    if (isSymbol(this.#peek(), '[')) return this.#parseBracketedField(token);
    if (isGrammarWord(token)) {
      this.#fail(
        token,
        'Expecting a field name but got',
        '',
        ` You must surround '${token.raw}' in quotation marks to use it as a field name.`,
      );
    }
    this.#rejectReserved(token);
    return { kind: 'field', name: token.text };
  }

  // issue.property[key].path, or a bracketed name such as cf[10001] that validation will report as unknown.
  #parseBracketedField(nameToken: JqlToken): JqlFieldRef {
    this.#next();
    const key = this.#next();
    if (key.kind !== 'word' && key.kind !== 'string') {
      this.#fail(key, 'Expecting a property key but got', 'Expecting a property key before the end of the query.');
    }
    const close = this.#next();
    if (!isSymbol(close, ']')) this.#fail(close, "Expecting ']' but got", "Expecting ']' before the end of the query.");
    if (nameToken.text.toLowerCase() !== 'issue.property') {
      return { kind: 'field', name: `${nameToken.text}[${key.text}]` };
    }
    const pathToken = this.#peek();
    let path: string[] = [];
    if (pathToken.kind === 'word' && pathToken.text.startsWith('.')) {
      this.#next();
      path = pathToken.text.slice(1).split('.');
      if (path.some((segment) => segment === '')) {
        this.#fail(pathToken, 'Expecting a property path but got', '');
      }
    }
    return { kind: 'property', propertyKey: key.text, path };
  }

  #parseOperator(): JqlOperator {
    const token = this.#next();
    if (token.kind === 'symbol' && COMPARISON_SYMBOLS.has(token.text)) return token.text as JqlOperator;
    if (isWord(token, 'IN')) return 'IN';
    if (isWord(token, 'NOT') && isWord(this.#peek(), 'IN')) {
      this.#next();
      return 'NOT IN';
    }
    if (isWord(token, 'IS')) {
      if (!isWord(this.#peek(), 'NOT')) return 'IS';
      this.#next();
      return 'IS NOT';
    }
    return this.#fail(
      token,
      'Expecting operator but got',
      `Expecting operator before the end of the query. ${VALID_OPERATORS}`,
      ` ${VALID_OPERATORS}`,
    );
  }

  #parseOperand(operator: JqlOperator): JqlOperand {
    if (operator === 'IS' || operator === 'IS NOT') {
      const token = this.#next();
      if (isWord(token, 'EMPTY') || isWord(token, 'NULL')) return { kind: 'empty' };
      return this.#fail(
        token,
        "Expecting 'EMPTY' but got",
        "Expecting 'EMPTY' before the end of the query.",
        ` The operator '${operator}' can only be used with EMPTY or NULL.`,
      );
    }
    if (!isSymbol(this.#peek(), '(')) return this.#parseSingleOperand();
    this.#next();
    const items: JqlSingleOperand[] = [];
    for (;;) {
      items.push(this.#parseSingleOperand());
      const separator = this.#next();
      if (isSymbol(separator, ')')) return { kind: 'list', items };
      if (!isSymbol(separator, ',')) {
        this.#fail(separator, "Expecting either ',' or ')' but got", "Expecting ')' before the end of the query.");
      }
    }
  }

  #parseSingleOperand(): JqlSingleOperand {
    const token = this.#next();
    if (token.kind === 'string') return { kind: 'value', value: token.text, quoted: true };
    if (token.kind !== 'word' || isGrammarWord(token)) {
      const hint =
        token.kind === 'word' ? ` You must surround '${token.raw}' in quotation marks to use it as a value.` : '';
      return this.#fail(
        token,
        'Expecting either a value, list or function but got',
        'Expecting either a value, list or function before the end of the query.',
        hint,
      );
    }
    if (isWord(token, 'EMPTY') || isWord(token, 'NULL')) return { kind: 'empty' };
    if (isSymbol(this.#peek(), '(')) return this.#parseFunction(token);
    this.#rejectReserved(token);
    return { kind: 'value', value: token.text, quoted: false };
  }

  #parseFunction(nameToken: JqlToken): JqlFunctionCall {
    this.#next();
    const args: string[] = [];
    if (isSymbol(this.#peek(), ')')) {
      this.#next();
      return { kind: 'function', name: nameToken.text, args };
    }
    for (;;) {
      const arg = this.#next();
      if (arg.kind !== 'word' && arg.kind !== 'string') {
        this.#fail(arg, 'Expecting a function argument but got', "Expecting ')' before the end of the query.");
      }
      args.push(arg.text);
      const separator = this.#next();
      if (isSymbol(separator, ')')) return { kind: 'function', name: nameToken.text, args };
      if (!isSymbol(separator, ',')) {
        this.#fail(separator, "Expecting either ',' or ')' but got", "Expecting ')' before the end of the query.");
      }
    }
  }

  #parseSortList(): JqlSort[] {
    const sorts: JqlSort[] = [];
    for (;;) {
      const field = this.#parseField();
      let direction: JqlSortDirection | undefined;
      if (isWord(this.#peek(), 'ASC') || isWord(this.#peek(), 'DESC')) {
        direction = this.#next().text.toUpperCase() as JqlSortDirection;
      }
      sorts.push({ field, direction });
      const after = this.#peek();
      if (!isSymbol(after, ',')) {
        if (after.kind !== 'eof') {
          this.#fail(
            after,
            direction === undefined ? "Expecting either 'ASC', 'DESC' or ',' but got" : "Expecting ',' but got",
            '',
          );
        }
        return sorts;
      }
      this.#next();
    }
  }

  #rejectReserved(token: JqlToken): void {
    if (!isReservedWord(token)) return;
    throw new JqlSyntaxError(
      jqlError(
        `'${token.raw}' is a reserved JQL word. You must surround it in quotation marks to use it in a query.`,
        token.position,
      ),
    );
  }
}
