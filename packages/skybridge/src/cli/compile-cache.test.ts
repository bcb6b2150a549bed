import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { privateCompileCacheDir } from './compile-cache.ts';

const uid = process.getuid?.();
const posix = uid !== undefined;
let base: string;

afterEach(() => rmSync(base, { recursive: true, force: true }));

describe.runIf(posix)('privateCompileCacheDir', () => {
  it('creates a directory named for the user that only the user can open', () => {
    base = mkdtempSync(join(tmpdir(), 'skybridge-cc-'));
    const dir = privateCompileCacheDir(base, uid);
    expect(dir).toBe(join(base, `skybridge-compile-cache-${uid}`));
    expect(statSync(dir ?? '').mode & 0o777).toBe(0o700);
    // Found again on the next start.
    expect(privateCompileCacheDir(base, uid)).toBe(dir);
  });

  it('refuses a directory others can write into, or a link in its place', () => {
    base = mkdtempSync(join(tmpdir(), 'skybridge-cc-'));
    const dir = join(base, `skybridge-compile-cache-${uid}`);
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    expect(privateCompileCacheDir(base, uid)).toBeUndefined();
    rmSync(dir, { recursive: true });
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, dir);
    expect(privateCompileCacheDir(base, uid)).toBeUndefined();
  });

  it('refuses a directory of another user', () => {
    base = mkdtempSync(join(tmpdir(), 'skybridge-cc-'));
    const other = (uid ?? 0) + 1;
    mkdirSync(join(base, `skybridge-compile-cache-${other}`), { mode: 0o700 });
    expect(privateCompileCacheDir(base, other)).toBeUndefined();
  });
});
