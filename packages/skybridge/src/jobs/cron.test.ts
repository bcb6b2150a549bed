import { describe, expect, it } from 'vitest';
import type { CronExpression } from './cron.ts';
import { parseCron } from './cron.ts';

function cron(source: string): CronExpression {
  const parsed = parseCron(source);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}
const next = (source: string, after: string) => cron(source).nextAfter(new Date(after))?.toISOString();

describe('parseCron', () => {
  it('finds the next minute strictly after the given time', () => {
    expect(next('* * * * *', '2026-03-01T10:00:00.000Z')).toBe('2026-03-01T10:01:00.000Z');
    expect(next('* * * * *', '2026-03-01T10:00:59.999Z')).toBe('2026-03-01T10:01:00.000Z');
  });

  it('handles steps, ranges and lists', () => {
    expect(next('*/15 * * * *', '2026-03-01T10:14:00.000Z')).toBe('2026-03-01T10:15:00.000Z');
    expect(next('*/15 * * * *', '2026-03-01T10:45:00.000Z')).toBe('2026-03-01T11:00:00.000Z');
    expect(next('0 9-17/4 * * *', '2026-03-01T13:00:00.000Z')).toBe('2026-03-01T17:00:00.000Z');
    expect(next('5,35 2 * * *', '2026-03-01T02:06:00.000Z')).toBe('2026-03-01T02:35:00.000Z');
    expect(next('30/10 * * * *', '2026-03-01T10:55:00.000Z')).toBe('2026-03-01T11:30:00.000Z');
  });

  it('rolls over days, months and years', () => {
    expect(next('0 3 * * *', '2026-12-31T04:00:00.000Z')).toBe('2027-01-01T03:00:00.000Z');
    expect(next('0 0 1 * *', '2026-01-31T00:00:00.000Z')).toBe('2026-02-01T00:00:00.000Z');
    expect(next('0 0 29 2 *', '2026-03-01T00:00:00.000Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('matches weekdays (0 and 7 are Sunday) and ORs two restricted day fields', () => {
    // 2026-03-01 is a Sunday.
    expect(next('0 8 * * 1-5', '2026-02-28T09:00:00.000Z')).toBe('2026-03-02T08:00:00.000Z');
    expect(next('0 8 * * 7', '2026-02-28T09:00:00.000Z')).toBe('2026-03-01T08:00:00.000Z');
    expect(next('0 8 15 * 1', '2026-03-01T09:00:00.000Z')).toBe('2026-03-02T08:00:00.000Z');
  });

  it('reports an expression that never matches', () => {
    expect(next('0 0 31 2 *', '2026-01-01T00:00:00.000Z')).toBeUndefined();
  });

  it('refuses malformed expressions with a reason', () => {
    for (const bad of [
      '* * * *',
      '60 * * * *',
      '* 24 * * *',
      '* * 0 * *',
      '*/0 * * * *',
      'MON * * * *',
      '5-1 * * * *',
    ]) {
      const parsed = parseCron(bad);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.error.code).toBe('invalid_cron');
    }
  });
});
