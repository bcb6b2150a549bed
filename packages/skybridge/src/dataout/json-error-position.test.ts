import { describe, expect, it } from 'vitest';
import { jsonErrorPosition } from './json-error-position.ts';

describe('jsonErrorPosition', () => {
  it('finds nothing wrong in valid JSON that JSON.parse accepts', () => {
    const samples = [
      '{}',
      ' [1, -2.5e3, "a\\u00e9\\n", true, false, null, {"k": [[]]}] ',
      '"x"',
      '0',
      JSON.stringify({ a: 'quote " and \\ backslash', b: [1.5, { c: null }] }),
    ];
    for (const s of samples) {
      expect(() => {
        JSON.parse(s);
      }).not.toThrow();
      expect(jsonErrorPosition(s)).toBeUndefined();
    }
  });

  it('points at the first bad character', () => {
    expect(jsonErrorPosition('[1, 2,, 3]')).toBe(6);
    expect(jsonErrorPosition('{"a": oops}')).toBe(6);
    expect(jsonErrorPosition('{"a": 1 "b": 2}')).toBe(8);
    expect(jsonErrorPosition('[1] x')).toBe(4);
    expect(jsonErrorPosition('{"a": "open')).toBe(11);
    expect(jsonErrorPosition('"bad \\q escape"')).toBe(6);
    expect(jsonErrorPosition('[01]')).toBe(2);
    expect(jsonErrorPosition('')).toBe(0);
  });
});
