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

/**
 * Reads a secret and trims surrounding whitespace (a trailing newline from `echo` or a file is never part of it).
 * `fileFlag` names the flag in messages about an unreadable file (default `--token-file`; `--teams-token-file` for
 * the second secret of an org connection).
 */
export async function readSecret(
  source: SecretSource,
  io: SecretIo,
  label: string,
  fileFlag = '--token-file',
): Promise<SecretResult> {
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
      return { ok: false, problem: `${fileFlag}: cannot read ${source.path}${code ? ` (${code})` : ''}` };
    return { ok: false, problem: `could not read the ${label}` };
  }
  const secret = raw.trim();
  if (secret.length === 0) return { ok: false, problem: `the ${label} is empty` };
  // Never echo the value: a multi-word "secret" is still (mostly) a secret.
  if (/\s/.test(secret)) return { ok: false, problem: `the ${label} contains whitespace: give exactly one token` };
  return { ok: true, secret };
}

/** The flags through which a command takes a secret. Declared once so every command names them the same way. */
export const SECRET_INPUT_FLAGS = {
  'token-stdin': { type: 'boolean', help: 'read the token from standard input (pipe it in)' },
  'token-file': { type: 'string', help: 'read the token from this file' },
} as const satisfies Record<string, { type: 'boolean' | 'string'; help: string }>;

/**
 * Where the secret comes from, per `--token-stdin` / `--token-file`. Without either: the hidden prompt when
 * `promptIfAbsent` (a command that needs a secret), otherwise undefined (an edit that keeps the old one).
 */
export function secretSourceFromFlags(
  flags: { tokenStdin: boolean; tokenFile: string | undefined },
  promptIfAbsent: boolean,
): { ok: true; source: SecretSource | undefined } | { ok: false; problem: string } {
  if (flags.tokenStdin && flags.tokenFile !== undefined)
    return { ok: false, problem: '--token-stdin, --token-file: give one of them, not both' };
  if (flags.tokenStdin) return { ok: true, source: { from: 'stdin' } };
  if (flags.tokenFile !== undefined) return { ok: true, source: { from: 'file', path: flags.tokenFile } };
  return { ok: true, source: promptIfAbsent ? { from: 'prompt' } : undefined };
}
