import { maskSecret } from './mask-secret.ts';

// Node looks this symbol up for util.inspect and console.log; Symbol.for avoids importing node:util for a key.
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

/**
 * A plaintext secret held in memory for one use. Every way of turning it into text by accident (String(),
 * template literals, JSON.stringify, console.log, util.inspect) yields the mask; `reveal()` is the one explicit
 * way to the plaintext, so a search for `reveal(` finds every place that handles it.
 *
 * It is a class with a private field, not a branded string, so a plain string cannot be passed where an opened
 * secret is expected and the plaintext is not an enumerable property that a serialiser or a spread could copy.
 */
export class OpenedSecret {
  readonly #plain: string;

  constructor(plain: string) {
    this.#plain = plain;
  }

  /** The plaintext. Call it only where the secret is handed to the one thing that needs it (an auth header). */
  reveal(): string {
    return this.#plain;
  }

  /** The masked form (`••••` + last 4 at most), safe for views. */
  get hint(): string {
    return maskSecret(this.#plain);
  }

  toString(): string {
    return this.hint;
  }

  toJSON(): string {
    return this.hint;
  }

  [Symbol.toPrimitive](): string {
    return this.hint;
  }

  [inspectCustom](): string {
    return `OpenedSecret(${this.hint})`;
  }
}
