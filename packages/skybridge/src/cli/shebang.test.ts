import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * The `skybridge` command's shebang sets what must be in place before Node starts (see `main.ts`): malloc arenas in
 * the environment, V8's heap flags on the command line. A shebang that `env` cannot split, or an assignment it
 * takes for the command's name, would only show as a command that does not start, or as memory no test measures;
 * this runs the line itself in front of a script that reports what its process got.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const shebang = readFileSync(join(ROOT, 'packages/skybridge/src/cli/main.ts'), 'utf8').split('\n')[0] ?? '';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(process.platform === 'linux')('the skybridge shebang', () => {
  it('starts Node with two malloc arenas and the small heap flags', async () => {
    dir = mkdtempSync(join(tmpdir(), 'skybridge-shebang-'));
    const script = join(dir, 'report.mjs');
    writeFileSync(
      script,
      `${shebang}\nconsole.log(JSON.stringify({ arenas: process.env.MALLOC_ARENA_MAX, flags: process.execArgv }));\n`,
    );
    chmodSync(script, 0o755);
    // As `npm run` and `npx` do: the pinned Node first on PATH.
    const PATH = [join(ROOT, 'node_modules/.bin'), process.env['PATH'] ?? ''].join(delimiter);
    const { stdout } = await promisify(execFile)(script, [], { env: { PATH } });
    expect(JSON.parse(stdout)).toEqual({
      arenas: '2',
      flags: ['--max-semi-space-size=4', '--max-old-space-size=256'],
    });
  });
});
