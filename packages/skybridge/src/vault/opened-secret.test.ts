import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { maskSecret } from './mask-secret.ts';
import { OpenedSecret } from './opened-secret.ts';

const PLAIN = 'ATATT3xFfGF0-known-plaintext-WXYZ';

describe('OpenedSecret', () => {
  const secret = new OpenedSecret(PLAIN);

  it.each([
    ['String()', () => String(secret)],
    ['template literal', () => `${secret as unknown as string}`],
    ['concatenation', () => 'token: ' + (secret as unknown as string)],
    ['JSON.stringify', () => JSON.stringify({ secret })],
    ['util.inspect', () => inspect({ nested: { secret } }, { depth: 10, showHidden: true })],
  ])('does not print its value via %s', (_how, print) => {
    const text = print();
    expect(text).not.toContain('known-plaintext');
    expect(text).toContain('••••');
  });

  it('has no enumerable copy of its value for a spread or a clone to take', () => {
    expect(Object.keys(secret)).toEqual([]);
    expect(JSON.stringify({ ...secret })).toBe('{}');
    expect(JSON.stringify(structuredClone(secret))).toBe('{}');
  });

  it('gives the plaintext only through reveal()', () => {
    expect(secret.reveal()).toBe(PLAIN);
    expect(secret.hint).toBe('••••WXYZ');
  });

  it('is masked in a thrown error message built from it', () => {
    const error = new Error(`refused ${secret as unknown as string}`);
    expect(error.message).toBe('refused ••••WXYZ');
  });
});

describe('maskSecret', () => {
  it.each([
    ['', '••••'],
    ['short', '••••'],
    ['elevenchars', '••••'],
    ['twelve-chars', '••••hars'],
    [PLAIN, '••••WXYZ'],
    ['unicode-secret-🔑🔑🔑🔑', '••••🔑🔑🔑🔑'],
  ])('masks %j as %j', (plain, masked) => {
    expect(maskSecret(plain)).toBe(masked);
  });
});
