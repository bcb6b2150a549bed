import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import type { KeyRing } from './key-ring.ts';
import { createKeyRing, parseKeyRing } from './key-ring.ts';
import { KeyRingError } from './vault-error.ts';

/** The environment variable that holds the master key (base64 32 bytes, or a key-ring JSON). */
export const MASTER_KEY_ENV = 'SKYBRIDGE_MASTER_KEY';
/** The key file's name inside the data directory. */
export const KEY_FILE_NAME = 'master.key';

export interface LoadKeyRingOptions {
  /** Where to look for `SKYBRIDGE_MASTER_KEY`; the caller passes `process.env` (use-cases never read it). */
  env: Readonly<Record<string, string | undefined>>;
  /** The data directory; the key file is `<dataDir>/master.key`. */
  dataDir: string;
  /**
   * Create a key file when there is no key at all. Pass true only on a first start (no database yet): with
   * existing data a new key could open nothing, so a missing key must stop the hub instead. Default false.
   */
  allowCreate?: boolean;
}

export interface LoadedKeyRing {
  keyRing: KeyRing;
  /** Where the key came from. `rotate` can persist only a file-backed ring. */
  source: 'env' | 'file';
  /** The key file's path (also for `source: 'env'`, where it is where a file would be). */
  keyFile: string;
  /** True when this call created the key file: the caller must warn loudly that it needs backing up. */
  created: boolean;
}

const HOW_TO_PROVIDE =
  `set ${MASTER_KEY_ENV} to a base64-encoded 32-byte key (for example the output of \`openssl rand -base64 32\`) ` +
  `or place a key-ring file at`;

/**
 * Finds the key ring: `SKYBRIDGE_MASTER_KEY` first, then `<dataDir>/master.key`. Without either it refuses
 * (there is no plaintext fallback), except when `allowCreate` is set, when it generates a key and writes the key
 * file with mode 0600. A key file readable by group or others is refused rather than silently tightened: the key
 * may already have been exposed, which the operator needs to know.
 */
export async function loadKeyRing(options: LoadKeyRingOptions): Promise<Result<LoadedKeyRing, KeyRingError>> {
  const keyFile = join(options.dataDir, KEY_FILE_NAME);
  const fromEnv = options.env[MASTER_KEY_ENV];
  if (fromEnv !== undefined) {
    // An empty variable is a misconfiguration (e.g. an unset secret in a compose file), not "no key": refuse.
    const parsed = parseKeyRing(fromEnv, MASTER_KEY_ENV);
    if (!parsed.ok) return err(new KeyRingError('invalid_key', parsed.error));
    return ok({ keyRing: parsed.value, source: 'env', keyFile, created: false });
  }

  const existing = await readKeyFile(keyFile);
  if (!existing.ok) return existing;
  if (existing.value) return ok({ keyRing: existing.value, source: 'file', keyFile, created: false });

  if (options.allowCreate !== true) {
    return err(
      new KeyRingError(
        'missing_key',
        `No master key: ${HOW_TO_PROVIDE} ${keyFile} (mode 0600). Skybridge does not store credentials unencrypted, ` +
          `and a new key cannot open the credentials already stored.`,
      ),
    );
  }
  const keyRing = createKeyRing();
  try {
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    await writeNew(keyFile, keyRing.exportKeyFile());
  } catch (e) {
    // Another process starting at the same moment won the race: use its key.
    if (errnoCode(e) === 'EEXIST') {
      const raced = await readKeyFile(keyFile);
      if (!raced.ok) return raced;
      if (raced.value) return ok({ keyRing: raced.value, source: 'file', keyFile, created: false });
    }
    return err(
      new KeyRingError('key_file_io', `Could not create the key file ${keyFile} (${errnoCode(e) ?? 'error'})`),
    );
  }
  return ok({ keyRing, source: 'file', keyFile, created: true });
}

/**
 * Replaces the key file with `keyRing` atomically (a 0600 temporary file renamed over it), so a crash leaves
 * either the old or the new ring, never half of one. Call it after `keyRing.rotate()` and before re-sealing.
 */
export async function writeKeyFile(keyFile: string, keyRing: KeyRing): Promise<Result<void, KeyRingError>> {
  const tmp = `${keyFile}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeNew(tmp, keyRing.exportKeyFile());
    await rename(tmp, keyFile);
    return ok(undefined);
  } catch (e) {
    await rm(tmp, { force: true });
    return err(new KeyRingError('key_file_io', `Could not write the key file ${keyFile} (${errnoCode(e) ?? 'error'})`));
  }
}

/** The ring in the key file; undefined if there is no file. */
async function readKeyFile(keyFile: string): Promise<Result<KeyRing | undefined, KeyRingError>> {
  let text: string;
  try {
    const info = await stat(keyFile);
    if (!info.isFile()) return err(new KeyRingError('invalid_key', `${keyFile} is not a regular file`));
    // Windows has no POSIX mode bits to check; there the data directory's ACL is the operator's job.
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
      return err(
        new KeyRingError(
          'insecure_key_file',
          `The key file ${keyFile} has mode ${mode}; it must be readable by its owner only. ` +
            `Run \`chmod 600 ${keyFile}\` after checking who may have read it.`,
        ),
      );
    }
    text = await readFile(keyFile, 'utf8');
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return ok(undefined);
    return err(new KeyRingError('key_file_io', `Could not read the key file ${keyFile} (${errnoCode(e) ?? 'error'})`));
  }
  const parsed = parseKeyRing(text, keyFile);
  return parsed.ok ? ok(parsed.value) : err(new KeyRingError('invalid_key', parsed.error));
}

/** Writes a file that must not exist yet, mode 0600 from its first byte (no window with looser permissions). */
async function writeNew(path: string, content: string): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    // The umask can only remove bits from 0600, but chmod anyway so the mode does not depend on it.
    await handle.chmod(0o600);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function errnoCode(e: unknown): string | undefined {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}
