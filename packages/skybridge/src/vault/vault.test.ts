import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createKeyRing } from './key-ring.ts';
import { OpenedSecret } from './opened-secret.ts';
import type { SealedSecret } from './sealed-secret.ts';
import { parseSealed, formatSealed, sealedKeyId } from './sealed-secret.ts';
import { createVault } from './vault.ts';
import { VaultError } from './vault-error.ts';

const PLAIN = 'ATATT3xFfGF0-known-plaintext-token-1234';
const OWNER = 'conn_1';

function expectNoPlaintext(error: unknown) {
  for (const text of [String(error), JSON.stringify(error), inspect(error), (error as Error).message]) {
    expect(text).not.toContain(PLAIN);
    expect(text).not.toContain('known-plaintext');
  }
}

/** Flips one bit of one byte of a decoded part and re-encodes the sealed value. */
function flip(sealed: SealedSecret, part: 'iv' | 'ciphertext' | 'tag', index = 0): SealedSecret {
  const parts = parseSealed(sealed);
  if (!parts) throw new Error('not sealed');
  const bytes = Buffer.from(parts[part]);
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return formatSealed({ ...parts, [part]: bytes });
}

describe('vault', () => {
  it('round-trips a secret, and the sealed value does not contain it', () => {
    const vault = createVault(createKeyRing());
    const sealed = vault.seal(PLAIN, OWNER);
    expect(sealed).toMatch(/^v1:[0-9a-f]{12}:[\w-]{16}:[\w-]+:[\w-]{22}$/);
    expect(sealed).not.toContain(PLAIN);
    expect(Buffer.from(sealed).toString()).not.toContain(Buffer.from(PLAIN).toString('base64url').slice(0, 12));
    const opened = vault.open(sealed, OWNER);
    expect(opened.ok && opened.value.reveal()).toBe(PLAIN);
  });

  it('seals an opened secret as well as a string, and non-ASCII secrets', () => {
    const vault = createVault(createKeyRing());
    const plain = 'pässwörd-🔑-0123456789';
    const opened = vault.open(vault.seal(new OpenedSecret(plain), OWNER), OWNER);
    expect(opened.ok && opened.value.reveal()).toBe(plain);
  });

  it('uses a fresh IV per seal, so the same secret seals differently each time', () => {
    const vault = createVault(createKeyRing());
    expect(vault.seal(PLAIN, OWNER)).not.toBe(vault.seal(PLAIN, OWNER));
  });

  it.each(['iv', 'ciphertext', 'tag'] as const)(
    'refuses a value whose %s was altered, without plaintext in the error',
    (part) => {
      const vault = createVault(createKeyRing());
      const tampered = flip(vault.seal(PLAIN, OWNER), part, 3);
      const opened = vault.open(tampered, OWNER);
      expect(opened.ok).toBe(false);
      if (opened.ok) return;
      expect(opened.error).toBeInstanceOf(VaultError);
      expect(opened.error.code).toBe('tampered');
      expectNoPlaintext(opened.error);
    },
  );

  it('refuses a value copied to another owner (AAD binding)', () => {
    const vault = createVault(createKeyRing());
    const sealed = vault.seal(PLAIN, OWNER);
    const opened = vault.open(sealed, 'conn_2');
    expect(opened).toMatchObject({ ok: false, error: { code: 'tampered' } });
    if (!opened.ok) expectNoPlaintext(opened.error);
    // A one-character difference in the owner is enough.
    expect(vault.open(sealed, 'conn_').ok).toBe(false);
  });

  it('refuses a value sealed by a key it does not hold, naming the cause', () => {
    const sealed = createVault(createKeyRing()).seal(PLAIN, OWNER);
    const opened = createVault(createKeyRing()).open(sealed, OWNER);
    expect(opened).toMatchObject({ ok: false, error: { code: 'unknown_key' } });
  });

  it('refuses a value whose key id was swapped for another key in the ring', () => {
    const ring = createKeyRing();
    const vault = createVault(ring);
    const sealed = vault.seal(PLAIN, OWNER);
    const oldId = ring.primaryKeyId;
    const newId = ring.rotate();
    const swapped = sealed.replace(`:${oldId}:`, `:${newId}:`) as SealedSecret;
    expect(sealedKeyId(swapped)).toBe(newId);
    expect(vault.open(swapped, OWNER)).toMatchObject({ ok: false, error: { code: 'tampered' } });
  });

  it.each(['', 'plaintext', 'v2:abc:AAAAAAAAAAAAAAAA::AAAAAAAAAAAAAAAAAAAAAA', 'v1:abc:short::AAAAAAAAAAAAAAAAAAAAAA'])(
    'refuses a malformed value %j',
    (value) => {
      const opened = createVault(createKeyRing()).open(value as SealedSecret, OWNER);
      expect(opened).toMatchObject({ ok: false, error: { code: 'malformed' } });
    },
  );

  it('serialises its errors from an allow-list', () => {
    expect(JSON.parse(JSON.stringify(new VaultError('tampered')))).toEqual({
      code: 'tampered',
      message: expect.any(String),
    });
  });

  it('keeps old values readable after a rotation and seals new ones with the new key', () => {
    const ring = createKeyRing();
    const vault = createVault(ring);
    const oldId = ring.primaryKeyId;
    const before = vault.seal(PLAIN, OWNER);
    const newId = ring.rotate();
    expect(newId).not.toBe(oldId);
    expect(ring.keyIds).toEqual([oldId, newId]);
    const after = vault.seal(PLAIN, OWNER);
    expect(sealedKeyId(before)).toBe(oldId);
    expect(sealedKeyId(after)).toBe(newId);
    expect(vault.isCurrent(before)).toBe(false);
    expect(vault.isCurrent(after)).toBe(true);
    for (const sealed of [before, after]) {
      const opened = vault.open(sealed, OWNER);
      expect(opened.ok && opened.value.reveal()).toBe(PLAIN);
    }
  });

  it('needs an owner to seal', () => {
    expect(() => createVault(createKeyRing()).seal(PLAIN, '')).toThrow(/owner/);
  });
});
