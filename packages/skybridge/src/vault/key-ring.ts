import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';

/** AES-256 wants exactly 32 bytes of key. */
export const KEY_BYTES = 32;

/** Key ids appear inside every sealed value, separated by `:`, so they are limited to a safe alphabet. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const BASE64_KEY = /^[A-Za-z0-9+/]{43}=$/;

const keyFileSchema = z
  .object({
    version: z.literal(1),
    primary: z.string().regex(KEY_ID_PATTERN),
    keys: z.record(z.string().regex(KEY_ID_PATTERN), z.string().regex(BASE64_KEY)),
  })
  .strict();

/**
 * The keys the vault may use, each with an id; one is primary. Sealing uses the primary key; opening uses the
 * key named in the sealed value, so older keys keep working after a rotation until everything is re-sealed.
 *
 * Key material is kept in a private field: String(), JSON.stringify and util.inspect show key ids only.
 */
export class KeyRing {
  readonly #keys: Map<string, Buffer>;
  #primary: string;

  /** Prefer {@link createKeyRing} or {@link parseKeyRing}; this trusts its arguments. */
  constructor(keys: Map<string, Buffer>, primary: string) {
    if (!keys.has(primary)) throw new Error('the primary key id is not in the key ring');
    this.#keys = keys;
    this.#primary = primary;
  }

  get primaryKeyId(): string {
    return this.#primary;
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  /** The key with this id, for the vault only. */
  key(id: string): Buffer | undefined {
    return this.#keys.get(id);
  }

  /**
   * Adds a freshly generated key and makes it primary; returns its id. The old keys stay, so values sealed with
   * them still open. Persist the ring (`writeKeyFile`) BEFORE sealing anything with the new key, or a crash
   * would leave values that no stored key opens.
   */
  rotate(): string {
    const key = randomBytes(KEY_BYTES);
    const id = keyIdFor(key);
    this.#keys.set(id, key);
    this.#primary = id;
    return id;
  }

  /** The key-file JSON, key material included. Write it only to a 0600 file (see `writeKeyFile`). */
  exportKeyFile(): string {
    const keys: Record<string, string> = {};
    for (const [id, key] of this.#keys) keys[id] = key.toString('base64');
    return JSON.stringify({ version: 1, primary: this.#primary, keys }, null, 2) + '\n';
  }

  toString(): string {
    return `KeyRing(primary=${this.#primary}, keys=${this.keyIds.join(',')})`;
  }

  toJSON(): { primary: string; keyIds: string[] } {
    return { primary: this.#primary, keyIds: this.keyIds };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * A key's id: a fingerprint of the key, so the same key always gets the same id (a base64 key in the environment
 * keeps its id across restarts) and a different key can never be mistaken for it. One-way and truncated: it
 * reveals nothing usable about the key.
 */
export function keyIdFor(key: Buffer): string {
  return createHash('sha256').update('skybridge-key-id\0').update(key).digest('hex').slice(0, 12);
}

/** A key ring with one freshly generated key. */
export function createKeyRing(): KeyRing {
  const key = randomBytes(KEY_BYTES);
  const id = keyIdFor(key);
  return new KeyRing(new Map([[id, key]]), id);
}

/**
 * Reads key material as given in `SKYBRIDGE_MASTER_KEY` or a key file: either one base64-encoded 32-byte key, or
 * a key-ring JSON `{ "version": 1, "primary": "<id>", "keys": { "<id>": "<base64 32 bytes>" } }`.
 * The error message names what is wrong, never the text it was given (it is key material).
 */
export function parseKeyRing(text: string, source: string): Result<KeyRing, string> {
  const trimmed = text.trim();
  if (BASE64_KEY.test(trimmed)) {
    const key = Buffer.from(trimmed, 'base64');
    const id = keyIdFor(key);
    return ok(new KeyRing(new Map([[id, key]]), id));
  }
  if (!trimmed.startsWith('{')) {
    return err(
      `${source} is neither a base64-encoded 32-byte key (e.g. \`openssl rand -base64 32\`) nor a key-ring JSON`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    // JSON.parse's message quotes the input, which is key material: say only that it did not parse.
    return err(`${source} starts like a key-ring JSON but does not parse as JSON`);
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) {
    // Issue paths only: zod messages may echo received values.
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    return err(`${source} is not a valid key ring (problem at: ${where})`);
  }
  const keys = new Map(Object.entries(parsed.data.keys).map(([id, b64]) => [id, Buffer.from(b64, 'base64')]));
  if (!keys.has(parsed.data.primary)) return err(`${source}: the primary key id is not among its keys`);
  return ok(new KeyRing(keys, parsed.data.primary));
}
