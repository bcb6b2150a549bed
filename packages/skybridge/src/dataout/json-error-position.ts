/**
 * Where a JSON text stops being valid JSON. V8's `JSON.parse` messages only sometimes carry a position, so files
 * of findings are scanned again (only after `JSON.parse` failed) to tell the user which line to look at.
 */

const WS = new Set([' ', '\t', '\n', '\r']);
// Deeper nesting is reported where it starts; it keeps the scan off the end of the call stack.
const MAX_DEPTH = 1_000;
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

class InvalidAt extends Error {
  readonly position: number;
  constructor(position: number) {
    super(`invalid JSON at ${position}`);
    this.position = position;
  }
}

/** The 0-based offset of the first character that makes `text` invalid JSON, or undefined when it is valid. */
export function jsonErrorPosition(text: string): number | undefined {
  let at = 0;
  const fail = (): never => {
    throw new InvalidAt(at);
  };
  const space = (): void => {
    while (at < text.length && WS.has(text[at] ?? '')) at++;
  };
  const literal = (word: string): void => {
    for (const c of word) {
      if (text[at] !== c) fail();
      at++;
    }
  };
  const string = (): void => {
    at++; // opening quote
    for (;;) {
      const c = text[at];
      if (c === undefined || c < ' ') fail();
      if (c === '"') {
        at++;
        return;
      }
      if (c === '\\') {
        at++;
        const e = text[at];
        if (e === 'u') {
          for (let i = 1; i <= 4; i++) {
            if (!/[0-9a-fA-F]/.test(text[at + i] ?? '')) {
              at += i;
              fail();
            }
          }
          at += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) at++;
        else fail();
        continue;
      }
      at++;
    }
  };
  const number = (): void => {
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (match === null) fail();
    at += match?.[0].length ?? 0;
  };
  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) fail();
    space();
    const c = text[at];
    if (c === '{') {
      at++;
      space();
      if (text[at] === '}') return void at++;
      for (;;) {
        space();
        if (text[at] !== '"') fail();
        string();
        space();
        if (text[at] !== ':') fail();
        at++;
        value(depth + 1);
        space();
        if (text[at] === ',') at++;
        else if (text[at] === '}') return void at++;
        else fail();
      }
    }
    if (c === '[') {
      at++;
      space();
      if (text[at] === ']') return void at++;
      for (;;) {
        value(depth + 1);
        space();
        if (text[at] === ',') at++;
        else if (text[at] === ']') return void at++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  try {
    value(0);
    space();
    if (at < text.length) fail();
    return undefined;
  } catch (e) {
    if (e instanceof InvalidAt) return e.position;
    throw e;
  }
}
