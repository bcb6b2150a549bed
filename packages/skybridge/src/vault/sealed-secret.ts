import type { SealedSecret } from '../domain/connection.ts';

export type { SealedSecret };

/** Bumped if the sealing scheme ever changes; old versions are then still read by their own branch. */
export const SEALED_FORMAT_VERSION = 'v1';

/** The parts of a sealed value: `v1:<key id>:<iv b64url>:<ciphertext b64url>:<tag b64url>`. */
export interface SealedParts {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

// 12-byte IV = 16 base64url characters; 16-byte tag = 22. The ciphertext may be empty (an empty secret).
const SEALED_PATTERN = /^v1:([A-Za-z0-9_-]{1,64}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]*):([A-Za-z0-9_-]{22})$/;

export function formatSealed(parts: SealedParts): SealedSecret {
  const b64 = (b: Buffer) => b.toString('base64url');
  return `${SEALED_FORMAT_VERSION}:${parts.keyId}:${b64(parts.iv)}:${b64(parts.ciphertext)}:${b64(parts.tag)}` as SealedSecret;
}

/** The parts of a sealed value, or undefined if it is not one this version can read. */
export function parseSealed(value: string): SealedParts | undefined {
  const m = SEALED_PATTERN.exec(value);
  if (!m) return undefined;
  const [, keyId = '', iv = '', ciphertext = '', tag = ''] = m;
  return {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
  };
}

/** The id of the key that sealed `value`, or undefined if it is not a sealed value. */
export function sealedKeyId(value: string): string | undefined {
  return parseSealed(value)?.keyId;
}
