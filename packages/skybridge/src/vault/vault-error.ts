/**
 * Why a sealed secret did not open. None of these carries the plaintext, the ciphertext or key material: the
 * message is chosen from a fixed list, and `toJSON` serialises only `code` and `message`.
 */
export const VAULT_ERROR_CODES = [
  /** The stored value is not in a format this version can read. */
  'malformed',
  /** The value was sealed with a key that is not in the key ring (a key was removed, or the wrong key ring). */
  'unknown_key',
  /** Authentication failed: the ciphertext was altered, or it belongs to another owner (copied between rows). */
  'tampered',
] as const;
export type VaultErrorCode = (typeof VAULT_ERROR_CODES)[number];

const MESSAGES: Record<VaultErrorCode, string> = {
  malformed: 'The stored secret is not in a format this version of Skybridge can read.',
  unknown_key:
    'The stored secret was sealed with a key that is not in the key ring; restore the key ring that sealed it.',
  tampered: 'The stored secret failed its integrity check: it was altered or does not belong to this record.',
};

export class VaultError extends Error {
  override readonly name = 'VaultError';
  readonly code: VaultErrorCode;

  constructor(code: VaultErrorCode) {
    super(MESSAGES[code]);
    this.code = code;
  }

  toJSON(): { code: VaultErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Why the key ring could not be loaded or saved. Messages name files and variables, never key material. */
export const KEY_RING_ERROR_CODES = [
  /** No key in the environment nor in the data directory, and creating one was not allowed. */
  'missing_key',
  /** The key (environment or file) does not parse as a base64 32-byte key or a key-ring JSON. */
  'invalid_key',
  /** The key file can be read by users other than its owner. */
  'insecure_key_file',
  /** Reading or writing the key file failed. */
  'key_file_io',
] as const;
export type KeyRingErrorCode = (typeof KEY_RING_ERROR_CODES)[number];

export class KeyRingError extends Error {
  override readonly name = 'KeyRingError';
  readonly code: KeyRingErrorCode;

  /** `message` must be built from file names, variable names and error codes only. */
  constructor(code: KeyRingErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  toJSON(): { code: KeyRingErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}
