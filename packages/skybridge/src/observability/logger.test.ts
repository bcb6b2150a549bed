import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture(level: Parameters<typeof createLogger>[0]['level']) {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (c: Buffer) => lines.push(...c.toString().trim().split('\n')));
  return { logger: createLogger({ level, stream, now: () => new Date('2026-01-01T00:00:00Z') }), lines };
}

describe('createLogger', () => {
  it('writes JSON lines at or above the level', () => {
    const { logger, lines } = capture('info');
    logger.debug('hidden');
    logger.info('verified', { connection: 'acme', requests: 3 });
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { at: '2026-01-01T00:00:00.000Z', level: 'info', msg: 'verified', connection: 'acme', requests: 3 },
    ]);
  });

  it('redacts fields named like secrets and masks token-like values anywhere', () => {
    const { logger, lines } = capture('debug');
    logger.warn('token ATATT3xFfGF0ABCDEF123456 refused', {
      apiToken: 'x',
      secretHint: '••••abcd',
      note: 'key ATCTT3xFfGN0ZZZZZZZZZZ',
    });
    const text = lines.join('\n');
    expect(text).not.toContain('ATATT3xFfGF0ABCDEF123456');
    expect(text).not.toContain('ZZZZZZZZZZ');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ apiToken: '[redacted]', secretHint: '••••abcd' });
  });
});
