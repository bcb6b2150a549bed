import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import type { KeyRing } from './key-ring.ts';
import { OpenedSecret } from './opened-secret.ts';
import type { SealedSecret } from './sealed-secret.ts';
import { SEALED_FORMAT_VERSION, formatSealed, parseSealed } from './sealed-secret.ts';
import { VaultError } from './vault-error.ts';

const ALGORITHM = 'aes-256-gcm';
// 96-bit IVs are GCM's native size; random IVs are safe for far more seals than one hub will ever make per key.
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals and opens secrets with AES-256-GCM under a key ring.
 *
 * Every sealed value is bound to its owner (for a connection, its id) through the GCM additional data: a value
 * copied into another row fails to open, so a database write alone cannot move a credential to another target.
 */
export interface Vault {
  /** Seals `secret` under the primary key, bound to `owner`. */
  seal(secret: string | OpenedSecret, owner: string): SealedSecret;
  /** Opens a value sealed for `owner`; a typed error (never containing plaintext) if it does not open. */
  open(sealed: SealedSecret, owner: string): Result<OpenedSecret, VaultError>;
  /** Whether `sealed` is already under the primary key (re-sealing it would change nothing). */
  isCurrent(sealed: SealedSecret): boolean;
  /** The key ring in use; rotating it makes new seals use the new key at once. */
  readonly keyRing: KeyRing;
}

/** The additional authenticated data: the format, the key id and the owner, NUL-separated (ids contain no NUL). */
function aad(keyId: string, owner: string): Buffer {
  if (owner.length === 0 || owner.includes('\0')) throw new Error('a sealed secret needs a non-empty owner');
  return Buffer.from(`skybridge-secret\0${SEALED_FORMAT_VERSION}\0${keyId}\0${owner}`, 'utf8');
}

export function createVault(keyRing: KeyRing): Vault {
  return {
    keyRing,

    seal(secret, owner) {
      const keyId = keyRing.primaryKeyId;
      const key = keyRing.key(keyId);
      if (!key) throw new Error('the primary key is missing from the key ring');
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad(keyId, owner));
      const plain = typeof secret === 'string' ? secret : secret.reveal();
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return formatSealed({ keyId, iv, ciphertext, tag: cipher.getAuthTag() });
    },

    open(sealed, owner) {
      const parts = parseSealed(sealed);
      if (!parts) return err(new VaultError('malformed'));
      const key = keyRing.key(parts.keyId);
      if (!key) return err(new VaultError('unknown_key'));
      const decipher = createDecipheriv(ALGORITHM, key, parts.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(parts.keyId, owner));
      decipher.setAuthTag(parts.tag);
      const plain = decipher.update(parts.ciphertext);
      try {
        // final() is where GCM checks the tag; its only expected failure is a tag mismatch. The error is
        // dropped on purpose: nothing in it is useful, and `plain` (unauthenticated output) must go nowhere.
        return ok(new OpenedSecret(Buffer.concat([plain, decipher.final()]).toString('utf8')));
      } catch {
        plain.fill(0);
        return err(new VaultError('tampered'));
      }
    },

    isCurrent(sealed) {
      return parseSealed(sealed)?.keyId === keyRing.primaryKeyId;
    },
  };
}
