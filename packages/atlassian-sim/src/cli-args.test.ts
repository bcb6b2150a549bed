import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.ts';

describe('parseCliArgs', () => {
  it('reads every documented flag', () => {
    const parsed = parseCliArgs([
      '--preset',
      'large',
      '--port',
      '0',
      '--json',
      '--seed=7',
      '--latency-ms',
      '50',
      '--rate-limit',
      'off',
      '--fault-rate',
      '0.05',
    ]);
    expect(parsed).toEqual({
      ok: true,
      options: expect.objectContaining({
        preset: 'large',
        port: 0,
        json: true,
        seed: 7,
        latencyMs: 50,
        rateLimit: 'off',
        faultRate: 0.05,
      }),
    });
  });

  it('names every bad flag at once', () => {
    const parsed = parseCliArgs(['--preset', 'huge', '--port', '-1', '--fault-rate', '2', '--bogus']);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toHaveLength(4);
    expect(parsed.problems.join('\n')).toMatch(/--preset.*huge/);
    expect(parsed.problems.join('\n')).toMatch(/--port/);
    expect(parsed.problems.join('\n')).toMatch(/--fault-rate/);
    expect(parsed.problems.join('\n')).toMatch(/--bogus: unknown option/);
  });
});
