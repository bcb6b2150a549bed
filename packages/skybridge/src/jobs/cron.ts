import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';

/**
 * A 5-field cron subset, in UTC, written here rather than adding a dependency: `minute hour day-of-month month
 * day-of-week`, each `*`, `n`, `a-b`, a step (`*\/s`, `a-b/s`, `n/s`) or a comma list of those. Day of week is
 * 0-7 (0 and 7 are Sunday). As in Vixie cron, when both day fields are restricted a day matching either runs.
 * Not supported: names (`MON`, `JAN`), `L`, `W`, `#`, `?`, seconds, time zones.
 */
export interface CronExpression {
  readonly source: string;
  /** The first matching minute strictly after `after`, or undefined if none within five years (`0 0 31 2 *`). */
  nextAfter(after: Date): Date | undefined;
}

export class CronError extends Error {
  override readonly name = 'CronError';
  readonly code = 'invalid_cron' as const;

  toJSON(): { code: 'invalid_cron'; message: string } {
    return { code: this.code, message: this.message };
  }
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

const PART = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/;

function parseField(text: string, field: (typeof FIELDS)[number]): Result<Set<number>, CronError> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const match = PART.exec(part);
    if (!match) return err(new CronError(`Cron ${field.name} "${part}" is not *, n, a-b or a step.`));
    const [, range = '', stepText] = match;
    let from: number = field.min;
    let to: number = field.max;
    if (range !== '*') {
      const [a, b] = range.split('-').map(Number);
      from = a ?? field.min;
      // `n/s` runs from n to the end of the range, as in Vixie cron.
      to = b ?? (stepText === undefined ? from : field.max);
    }
    const step = stepText === undefined ? 1 : Number(stepText);
    if (from < field.min || to > field.max || from > to || step < 1) {
      return err(new CronError(`Cron ${field.name} "${part}" is outside ${field.min}-${field.max}.`));
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return ok(values);
}

export function parseCron(source: string): Result<CronExpression, CronError> {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5) return err(new CronError('A cron expression has 5 fields: minute hour day month weekday.'));
  const sets: Array<Set<number>> = [];
  for (const [i, field] of FIELDS.entries()) {
    const parsed = parseField(parts[i] ?? '', field);
    if (!parsed.ok) return parsed;
    sets.push(parsed.value);
  }
  const [minutes, hours, days, months, weekdays] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (weekdays.has(7)) weekdays.add(0);
  const daysRestricted = parts[2] !== '*';
  const weekdaysRestricted = parts[4] !== '*';
  const dayMatches = (d: Date) => {
    const byDay = days.has(d.getUTCDate());
    const byWeekday = weekdays.has(d.getUTCDay());
    if (daysRestricted && weekdaysRestricted) return byDay || byWeekday;
    return byDay && byWeekday;
  };

  return ok({
    source,
    nextAfter(after) {
      const t = new Date(after.getTime());
      t.setUTCSeconds(0, 0);
      t.setUTCMinutes(t.getUTCMinutes() + 1);
      const limit = after.getTime() + 5 * 366 * 86_400_000;
      // Jumps a whole month, day or hour when that field does not match, so the loop is short.
      while (t.getTime() <= limit) {
        if (!months.has(t.getUTCMonth() + 1)) {
          t.setUTCMonth(t.getUTCMonth() + 1, 1);
          t.setUTCHours(0, 0, 0, 0);
        } else if (!dayMatches(t)) {
          t.setUTCDate(t.getUTCDate() + 1);
          t.setUTCHours(0, 0, 0, 0);
        } else if (!hours.has(t.getUTCHours())) {
          t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
        } else if (!minutes.has(t.getUTCMinutes())) {
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
        } else {
          return t;
        }
      }
      return undefined;
    },
  });
}
