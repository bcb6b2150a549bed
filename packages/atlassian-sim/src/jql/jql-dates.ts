// Date operands: absolute dates, relative periods and the date functions, all resolved to epoch milliseconds.
// The simulator has no user time zones, so calendar dates and startOfDay() are taken in UTC.

const MINUTE = 60_000;
const UNIT_MS: Readonly<Record<string, number>> = {
  w: 7 * 24 * 60 * MINUTE,
  d: 24 * 60 * MINUTE,
  h: 60 * MINUTE,
  m: MINUTE,
};

const ABSOLUTE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
// "-7d", "2w", "+4h", "-4w 2d": one sign for the whole period, as in Jira's "-4w 2d".
const PERIOD = /^([+-]?)((?:\d+[wdhm]\s*)+)$/;
const PERIOD_PART = /(\d+)([wdhm])/g;

export const JQL_DATE_FORMATS_HINT =
  "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";

/** Milliseconds a period such as "-7d" or "4w 2d" adds to now, or undefined when it is not a period. */
export function parseJqlPeriod(text: string, defaultUnit?: string): number | undefined {
  const trimmed = text.trim();
  const bare = defaultUnit !== undefined ? /^([+-]?)(\d+)$/.exec(trimmed) : null;
  if (bare !== null && defaultUnit !== undefined) {
    const unit = UNIT_MS[defaultUnit] ?? 0;
    return (bare[1] === '-' ? -1 : 1) * Number(bare[2]) * unit;
  }
  const match = PERIOD.exec(trimmed);
  if (match === null) return undefined;
  let total = 0;
  for (const part of (match[2] ?? '').matchAll(PERIOD_PART)) total += Number(part[1]) * (UNIT_MS[part[2] ?? ''] ?? 0);
  return match[1] === '-' ? -total : total;
}

/** Epoch ms for a JQL date value written as a string, relative to now; undefined when Jira would reject it. */
export function parseJqlDate(text: string, now: number): number | undefined {
  const absolute = ABSOLUTE.exec(text.trim());
  if (absolute !== null) {
    const [, y, mo, d, h, mi] = absolute;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0));
    const check = new Date(ms);
    // Date.UTC rolls 2026-02-31 over into March; Jira rejects such dates, so do we.
    if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
    if (Number(h ?? 0) > 23 || Number(mi ?? 0) > 59) return undefined;
    return ms;
  }
  const period = parseJqlPeriod(text);
  return period === undefined ? undefined : now + period;
}

export const JQL_DATE_FUNCTIONS = ['now', 'startOfDay'] as const;
export type JqlDateFunction = (typeof JQL_DATE_FUNCTIONS)[number];

/** now() or startOfDay([increment]); the increment defaults to days, e.g. startOfDay(-1) is yesterday 00:00. */
export function evaluateJqlDateFunction(
  name: JqlDateFunction,
  args: readonly string[],
  now: number,
): number | undefined {
  if (name === 'now') return now;
  const day = 24 * 60 * MINUTE;
  const start = Math.floor(now / day) * day;
  const increment = args[0];
  if (increment === undefined) return start;
  const offset = parseJqlPeriod(increment, 'd');
  return offset === undefined ? undefined : start + offset;
}

/** Issue timestamps arrive as ISO strings or epoch ms. */
export function toEpochMs(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** JQL dates are written to the minute, so equality compares whole minutes. */
export function jqlMinute(ms: number): number {
  return Math.floor(ms / MINUTE);
}
