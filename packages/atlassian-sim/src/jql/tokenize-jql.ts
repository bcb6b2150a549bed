// Splits JQL text into tokens. Escapes are resolved here so the parser only sees values; reserved characters and
// unfinished strings are reported with Jira's wording and 1-based line/character positions.
import type { JqlFailure, JqlPosition } from './jql-ast.ts';
import { JQL_RESERVED_CHARACTERS } from './jql-reserved.ts';

export const JQL_TOKEN_KINDS = ['word', 'string', 'symbol', 'eof'] as const;
export type JqlTokenKind = (typeof JQL_TOKEN_KINDS)[number];

export interface JqlToken {
  readonly kind: JqlTokenKind;
  /** The value with escapes resolved (for strings, without the quotes). */
  readonly text: string;
  /** As written, for messages. */
  readonly raw: string;
  /** True when an escape sequence was used, which stops a word from being read as a keyword. */
  readonly escaped: boolean;
  readonly position: JqlPosition;
}

export type TokenizeJqlResult = { readonly ok: true; readonly tokens: readonly JqlToken[] } | JqlFailure;

// Longest first so '!=' wins over '!'. '&', '&&', '|', '||' and '!' are JQL's symbolic AND, OR and NOT.
const SYMBOLS = [
  '!=',
  '!~',
  '>=',
  '<=',
  '&&',
  '||',
  '=',
  '~',
  '>',
  '<',
  '(',
  ')',
  ',',
  '[',
  ']',
  '&',
  '|',
  '!',
] as const;
const WORD_ENDERS = new Set([...'=!<>~(),[]&|"\'']);
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  ' ': ' ',
  n: '\n',
  r: '\r',
  t: '\t',
};

export function jqlError(message: string, position: JqlPosition | undefined): string {
  const where = position === undefined ? '' : ` (line ${position.line}, character ${position.character})`;
  return `Error in the JQL Query: ${message}${where}`;
}

export function tokenizeJql(text: string): TokenizeJqlResult {
  const tokens: JqlToken[] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const positionOf = (offset: number): JqlPosition => {
    let line = 0;
    while (line + 1 < lineStarts.length && (lineStarts[line + 1] ?? Infinity) <= offset) line++;
    return { line: line + 1, character: offset - (lineStarts[line] ?? 0) + 1 };
  };
  const fail = (message: string, offset: number): JqlFailure => ({
    ok: false,
    errorMessages: [jqlError(message, positionOf(offset))],
  });

  // Reads the escape starting at the backslash at `at`; returns the character and the offset after it.
  const readEscape = (at: number): { char: string; next: number } | undefined => {
    const c = text[at + 1];
    if (c === undefined) return undefined;
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) return { char: simple, next: at + 2 };
    if (c === 'u') {
      const hex = text.slice(at + 2, at + 6);
      if (/^[0-9a-fA-F]{4}$/.test(hex)) return { char: String.fromCharCode(parseInt(hex, 16)), next: at + 6 };
    }
    return undefined;
  };
  const badEscape = (at: number): JqlFailure =>
    fail(
      `The escape sequence '${text.slice(at, at + 2)}' is illegal. Valid escapes are \\', \\", \\t, \\n, \\r, \\\\, '\\ ' and \\uXXXX.`,
      at,
    );

  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'") {
      let value = '';
      let escaped = false;
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\') {
          const esc = readEscape(i);
          if (esc === undefined) return badEscape(i);
          value += esc.char;
          escaped = true;
          i = esc.next;
        } else {
          value += text[i];
          i++;
        }
      }
      if (i >= text.length) return fail(`The quoted string '${value}' has not been completed.`, start);
      i++;
      tokens.push({ kind: 'string', text: value, raw: text.slice(start, i), escaped, position: positionOf(start) });
      continue;
    }
    const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
    if (symbol !== undefined) {
      i += symbol.length;
      tokens.push({ kind: 'symbol', text: symbol, raw: symbol, escaped: false, position: positionOf(start) });
      continue;
    }
    let value = '';
    let escaped = false;
    while (i < text.length) {
      const d = text[i] ?? '';
      if (/\s/.test(d) || WORD_ENDERS.has(d)) break;
      if (JQL_RESERVED_CHARACTERS.has(d)) {
        const code = d.charCodeAt(0).toString(16).padStart(4, '0');
        return fail(
          `The character '${d}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${code}' instead.`,
          i,
        );
      }
      if (d === '\\') {
        const esc = readEscape(i);
        if (esc === undefined) return badEscape(i);
        value += esc.char;
        escaped = true;
        i = esc.next;
        continue;
      }
      value += d;
      i++;
    }
    tokens.push({ kind: 'word', text: value, raw: text.slice(start, i), escaped, position: positionOf(start) });
  }
  tokens.push({ kind: 'eof', text: '', raw: '', escaped: false, position: positionOf(text.length) });
  return { ok: true, tokens };
}
