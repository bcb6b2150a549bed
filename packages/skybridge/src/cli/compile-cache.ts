import { lstatSync, mkdirSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Node's compile cache for the `skybridge` command (see `main.ts`), in a directory only this user can write.
 *
 * Why not Node's default (`<tmp>/node-compile-cache`): that directory is shared by every user of the machine, and
 * Node runs the compiled code it finds there. Another local user who could write into it could have the hub, which
 * holds every connection's credentials, run code of theirs. So the cache lives in a directory named for this user,
 * created owner-only, and is used only if it is a real directory (not a link), owned by this user, and closed to
 * everyone else. An operator's own `NODE_COMPILE_CACHE` is their choice and is used as given.
 */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env['NODE_COMPILE_CACHE']) return module.enableCompileCache?.().directory;
  const dir = privateCompileCacheDir(tmpdir(), process.getuid?.());
  return dir === undefined ? undefined : module.enableCompileCache?.(dir).directory;
}

/** `<base>/skybridge-compile-cache-<uid>`, created owner-only; undefined when it is not safely this user's. */
export function privateCompileCacheDir(base: string, uid: number | undefined): string | undefined {
  // Without user ids (Windows) the temp directory is the user's own.
  const dir = join(base, uid === undefined ? 'skybridge-compile-cache' : `skybridge-compile-cache-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  if (uid === undefined) return dir;
  try {
    const found = lstatSync(dir);
    return found.isDirectory() && found.uid === uid && (found.mode & 0o077) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}
