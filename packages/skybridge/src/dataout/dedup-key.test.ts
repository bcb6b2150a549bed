import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dedupKey } from './dedup-key.ts';

/** RFC 4648 base32, lower case, written differently from the module (bit string) to check it. */
function referenceKey(parts: string[]): string {
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest();
  const bits = [...digest].map((b) => b.toString(2).padStart(8, '0')).join('');
  let out = '';
  for (let i = 0; i < 26; i++) out += 'abcdefghijklmnopqrstuvwxyz234567'[parseInt(bits.slice(i * 5, i * 5 + 5), 2)];
  return `skybridge-${out}`;
}

describe('dedupKey', () => {
  it('is a short, single-word, lower-case key usable as a label', () => {
    const key = dedupKey('inst_1', 'scanner', 'a finding id with spaces and ünïcode '.repeat(20));
    expect(key).toMatch(/^skybridge-[a-z2-7]{26}$/);
    expect(key.length).toBeLessThanOrEqual(255);
  });

  it('is stable and matches SHA-256 + base32 of the three parts', () => {
    expect(dedupKey('i', 's', 'f')).toBe(dedupKey('i', 's', 'f'));
    expect(dedupKey('i', 's', 'f')).toBe(referenceKey(['i', 's', 'f']));
  });

  it('differs when any part differs, including where the parts split', () => {
    const keys = new Set([
      dedupKey('i', 's', 'f'),
      dedupKey('j', 's', 'f'),
      dedupKey('i', 't', 'f'),
      dedupKey('i', 's', 'g'),
      dedupKey('a b', 'c', 'd'),
      dedupKey('a', 'b c', 'd'),
    ]);
    expect(keys.size).toBe(6);
  });
});
