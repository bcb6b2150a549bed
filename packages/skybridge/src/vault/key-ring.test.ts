import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createKeyRing, parseKeyRing } from './key-ring.ts';

describe('KeyRing', () => {
  it('never prints key material', () => {
    const ring = createKeyRing();
    ring.rotate();
    const material = Object.values(JSON.parse(ring.exportKeyFile()).keys as Record<string, string>);
    expect(material).toHaveLength(2);
    for (const text of [String(ring), JSON.stringify(ring), inspect(ring, { showHidden: true, depth: 5 })]) {
      for (const key of material) expect(text).not.toContain(key);
      expect(text).toContain(ring.primaryKeyId);
    }
  });

  it('round-trips through its key-file JSON', () => {
    const ring = createKeyRing();
    ring.rotate();
    const parsed = parseKeyRing(ring.exportKeyFile(), 'test');
    expect(parsed.ok && parsed.value.toJSON()).toEqual(ring.toJSON());
    expect(
      parsed.ok && parsed.value.key(ring.primaryKeyId)?.equals(ring.key(ring.primaryKeyId) ?? Buffer.alloc(0)),
    ).toBe(true);
  });

  it('gives every rotation a new key id', () => {
    const ring = createKeyRing();
    const ids = new Set([ring.primaryKeyId, ring.rotate(), ring.rotate(), ring.rotate()]);
    expect(ids.size).toBe(4);
    expect(ring.keyIds).toHaveLength(4);
  });
});
