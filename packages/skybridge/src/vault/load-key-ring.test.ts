import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeyRing } from './key-ring.ts';
import { KEY_FILE_NAME, MASTER_KEY_ENV, loadKeyRing, writeKeyFile } from './load-key-ring.ts';
import { createVault } from './vault.ts';

const posix = process.platform !== 'win32';

let dataDir: string;
let keyFile: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'skybridge-vault-'));
  keyFile = join(dataDir, KEY_FILE_NAME);
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function exists(path: string) {
  return stat(path).then(
    () => true,
    () => false,
  );
}

describe('loadKeyRing', () => {
  it('refuses to start without a key, saying how to provide one, and creates nothing', async () => {
    const loaded = await loadKeyRing({ env: {}, dataDir });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.error.code).toBe('missing_key');
    expect(loaded.error.message).toContain(MASTER_KEY_ENV);
    expect(loaded.error.message).toContain(keyFile);
    expect(loaded.error.message).toContain('openssl rand -base64 32');
    expect(await exists(keyFile)).toBe(false);
  });

  it.runIf(posix)('creates a 0600 key file on a first start, in a 0700 data directory it creates', async () => {
    const fresh = join(dataDir, 'nested', 'data');
    const loaded = await loadKeyRing({ env: {}, dataDir: fresh, allowCreate: true });
    expect(loaded).toMatchObject({ ok: true, value: { source: 'file', created: true } });
    expect((await stat(join(fresh, KEY_FILE_NAME))).mode & 0o777).toBe(0o600);
    expect((await stat(fresh)).mode & 0o777).toBe(0o700);
  });

  it('creates the key file on the first start only; later starts load the same key', async () => {
    const first = await loadKeyRing({ env: {}, dataDir, allowCreate: true });
    if (!first.ok) throw first.error;
    const sealed = createVault(first.value.keyRing).seal('secret-value-123456', 'conn_1');
    const content = await readFile(keyFile, 'utf8');

    const second = await loadKeyRing({ env: {}, dataDir, allowCreate: true });
    expect(second).toMatchObject({ ok: true, value: { source: 'file', created: false } });
    expect(await readFile(keyFile, 'utf8')).toBe(content);
    if (!second.ok) return;
    expect(second.value.keyRing.primaryKeyId).toBe(first.value.keyRing.primaryKeyId);
    const opened = createVault(second.value.keyRing).open(sealed, 'conn_1');
    expect(opened.ok && opened.value.reveal()).toBe('secret-value-123456');
  });

  it.runIf(posix).each([0o644, 0o640, 0o604, 0o660])('refuses a key file with mode %o', async (mode) => {
    await writeFile(keyFile, createKeyRing().exportKeyFile(), { mode: 0o600 });
    await chmod(keyFile, mode);
    const loaded = await loadKeyRing({ env: {}, dataDir, allowCreate: true });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.error.code).toBe('insecure_key_file');
    expect(loaded.error.message).toContain(`chmod 600 ${keyFile}`);
    // Refused, not silently tightened.
    expect((await stat(keyFile)).mode & 0o777).toBe(mode);
  });

  it('takes a base64 key from the environment, with a stable key id, and writes no file', async () => {
    const key = randomBytes(32).toString('base64');
    const a = await loadKeyRing({ env: { [MASTER_KEY_ENV]: key }, dataDir, allowCreate: true });
    const b = await loadKeyRing({ env: { [MASTER_KEY_ENV]: `${key}\n` }, dataDir });
    expect(a).toMatchObject({ ok: true, value: { source: 'env', created: false } });
    if (!a.ok || !b.ok) throw new Error('expected both to load');
    expect(b.value.keyRing.primaryKeyId).toBe(a.value.keyRing.primaryKeyId);
    expect(await exists(keyFile)).toBe(false);
  });

  it('takes a key-ring JSON from the environment', async () => {
    const ring = createKeyRing();
    const oldId = ring.primaryKeyId;
    const newId = ring.rotate();
    const loaded = await loadKeyRing({ env: { [MASTER_KEY_ENV]: ring.exportKeyFile() }, dataDir });
    expect(loaded.ok && loaded.value.keyRing.primaryKeyId).toBe(newId);
    expect(loaded.ok && loaded.value.keyRing.keyIds.sort()).toEqual([oldId, newId].sort());
  });

  const badKey = 'c2VjcmV0LWtleS1tYXRlcmlhbC10aGF0LWlzLXRvby1zaG9ydA';
  it.each([
    ['empty', ''],
    ['not base64', 'not a key at all'],
    ['16 bytes', randomBytes(16).toString('base64')],
    ['broken JSON', `{"version":1,"primary":"${badKey}"`],
    ['JSON with an unknown field', JSON.stringify({ version: 1, primary: 'a', keys: { a: badKey }, extra: badKey })],
    [
      'JSON whose primary is missing',
      JSON.stringify({ version: 1, primary: 'b', keys: { a: randomBytes(32).toString('base64') } }),
    ],
  ])('refuses an invalid key in the environment (%s) without echoing it', async (_name, value) => {
    const loaded = await loadKeyRing({ env: { [MASTER_KEY_ENV]: value }, dataDir, allowCreate: true });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.error.code).toBe('invalid_key');
    expect(loaded.error.message).toContain(MASTER_KEY_ENV);
    if (value) expect(loaded.error.message).not.toContain(value);
    expect(loaded.error.message).not.toContain(badKey);
    // Never a fallback to a generated key.
    expect(await exists(keyFile)).toBe(false);
  });

  it('refuses a corrupt key file without echoing its content', async () => {
    await writeFile(keyFile, `{"keys": "${badKey}"`, { mode: 0o600 });
    const loaded = await loadKeyRing({ env: {}, dataDir, allowCreate: true });
    expect(loaded).toMatchObject({ ok: false, error: { code: 'invalid_key' } });
    if (!loaded.ok) expect(JSON.stringify(loaded.error)).not.toContain(badKey);
  });
});

describe('writeKeyFile', () => {
  it('persists a rotated ring (0600) that then loads with both keys', async () => {
    const first = await loadKeyRing({ env: {}, dataDir, allowCreate: true });
    if (!first.ok) throw first.error;
    const ring = first.value.keyRing;
    const oldId = ring.primaryKeyId;
    const sealed = createVault(ring).seal('old-secret-value', 'conn_1');
    const newId = ring.rotate();
    expect(await writeKeyFile(keyFile, ring)).toEqual({ ok: true, value: undefined });
    if (posix) expect((await stat(keyFile)).mode & 0o777).toBe(0o600);

    const reloaded = await loadKeyRing({ env: {}, dataDir });
    if (!reloaded.ok) throw reloaded.error;
    expect(reloaded.value.keyRing.primaryKeyId).toBe(newId);
    expect(reloaded.value.keyRing.keyIds.sort()).toEqual([oldId, newId].sort());
    expect(createVault(reloaded.value.keyRing).open(sealed, 'conn_1').ok).toBe(true);
  });
});
