import { readFileSync } from 'node:fs';

/**
 * What a bin's shebang line (`#!/usr/bin/env -S NAME=value node --flag ...`) gives the process it starts, so a
 * benchmark that spawns the bin's entry with `process.execPath` runs it as users run it.
 */

const shebangWords = (bin: string): string[] => readFileSync(bin, 'utf8').split('\n')[0]?.split(' ') ?? [];

/** The Node and V8 flags. */
export const shebangNodeFlags = (bin: string): string[] => shebangWords(bin).filter((w) => w.startsWith('--'));

/** The environment it sets (`NAME=value` before the command), e.g. the hub's malloc arenas. */
export const shebangEnv = (bin: string): Record<string, string> =>
  Object.fromEntries(
    shebangWords(bin)
      .filter((w) => /^[A-Z_][A-Z0-9_]*=/.test(w))
      .map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]),
  );
