import { readFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';

/**
 * Where a secret comes from. Never argv: a token on the command line ends up in shell history and in `ps` output
 * for every user of the machine.
 */
export type SecretSource = { from: 'stdin' } | { from: 'file'; path: string } | { from: 'prompt' };

export interface SecretIo {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  stderr: Writable;
}

export type SecretResult = { ok: true; secret: string } | { ok: false; problem: string };

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads one line from a TTY with echo off, so the secret never appears on screen. */
function promptHidden(io: SecretIo, label: string): Promise<string> {
  return new Promise((resolve, reject) => {
    io.stderr.write(`${label}: `);
    io.stdin.setRawMode?.(true);
    let value = '';
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          done();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new Error('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = () => {
      io.stdin.off('data', onData);
      io.stdin.setRawMode?.(false);
      io.stdin.pause();
      io.stderr.write('\n');
    };
    io.stdin.on('data', onData);
    io.stdin.resume();
  });
}

/** Reads a secret and trims surrounding whitespace (a trailing newline from `echo` or a file is never part of it). */
export async function readSecret(source: SecretSource, io: SecretIo, label: string): Promise<SecretResult> {
  let raw: string;
  try {
    if (source.from === 'stdin') raw = await readAll(io.stdin);
    else if (source.from === 'file') raw = await readFile(source.path, 'utf8');
    else {
      if (!io.stdin.isTTY)
        return { ok: false, problem: `no ${label} given: pass --token-stdin (and pipe it in) or --token-file <path>` };
      raw = await promptHidden(io, `Enter the ${label} (input hidden)`);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (source.from === 'file')
      return { ok: false, problem: `--token-file: cannot read ${source.path}${code ? ` (${code})` : ''}` };
    return { ok: false, problem: `could not read the ${label}` };
  }
  const secret = raw.trim();
  if (secret.length === 0) return { ok: false, problem: `the ${label} is empty` };
  if (/\s/.test(secret)) return { ok: false, problem: `the ${label} contains whitespace: give exactly one token` };
  return { ok: true, secret };
}
