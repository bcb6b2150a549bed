import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSecret } from './read-secret.ts';

const sink = () => new PassThrough();

describe('readSecret', () => {
  it('reads stdin and drops the trailing newline', async () => {
    expect(
      await readSecret({ from: 'stdin' }, { stdin: Readable.from(['ATATT3x-abc\n']), stderr: sink() }, 'API token'),
    ).toEqual({ ok: true, secret: 'ATATT3x-abc' });
  });

  it('reads a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-secret-'));
    writeFileSync(join(dir, 't'), 'tok-123\n');
    expect(
      await readSecret(
        { from: 'file', path: join(dir, 't') },
        { stdin: Readable.from([]), stderr: sink() },
        'API token',
      ),
    ).toEqual({ ok: true, secret: 'tok-123' });
  });

  it('names the flag when the file is missing', async () => {
    const r = await readSecret(
      { from: 'file', path: '/nonexistent/t' },
      { stdin: Readable.from([]), stderr: sink() },
      'API token',
    );
    expect(r).toEqual({ ok: false, problem: expect.stringContaining('--token-file') });
  });

  it('refuses to prompt without a terminal and says what to do instead', async () => {
    const r = await readSecret({ from: 'prompt' }, { stdin: Readable.from([]), stderr: sink() }, 'API token');
    expect(r).toEqual({ ok: false, problem: expect.stringContaining('--token-stdin') });
  });

  it('refuses empty and multi-word input', async () => {
    expect(
      (await readSecret({ from: 'stdin' }, { stdin: Readable.from(['  \n']), stderr: sink() }, 'API token')).ok,
    ).toBe(false);
    expect(
      (await readSecret({ from: 'stdin' }, { stdin: Readable.from(['a b']), stderr: sink() }, 'API token')).ok,
    ).toBe(false);
  });
});
