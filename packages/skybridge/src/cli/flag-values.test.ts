import { describe, expect, it } from 'vitest';
import { parseExpires, parsePort, parseRole } from './flag-values.ts';
import { renderTable } from './table.ts';

describe('parseExpires', () => {
  it('takes a date as 00:00 UTC and a date-time with its zone', () => {
    expect(parseExpires('2027-01-31')).toEqual({ ok: true, value: new Date('2027-01-31T00:00:00Z') });
    expect(parseExpires('2027-01-31T09:30:00+02:00')).toEqual({ ok: true, value: new Date('2027-01-31T07:30:00Z') });
  });

  it.each(['2027-02-30', '31/01/2027', '2027-01-31T09:30', 'none', ''])('refuses %j, naming the flag', (value) => {
    const r = parseExpires(value);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^--expires: /);
  });

  it("accepts 'none' only where clearing is allowed", () => {
    expect(parseExpires('none', true)).toEqual({ ok: true, value: null });
  });
});

describe('parsePort / parseRole', () => {
  it('checks ranges and enumerations', () => {
    expect(parsePort('0')).toEqual({ ok: true, value: 0 });
    expect(parsePort('8080')).toEqual({ ok: true, value: 8080 });
    for (const bad of ['65536', '-1', '80x', '1e3']) expect(parsePort(bad).ok).toBe(false);
    expect(parseRole('viewer')).toEqual({ ok: true, value: 'viewer' });
    expect(parseRole('root')).toEqual({ ok: false, error: '--role: must be one of owner, admin, viewer' });
  });
});

describe('renderTable', () => {
  it('pads columns by code points and trims line ends', () => {
    expect(
      renderTable(
        ['A', 'HINT', 'C'],
        [
          ['xyz', '••••abcd', ''],
          ['q', '-', 'z'],
        ],
      ),
    ).toBe(['A    HINT      C', 'xyz  ••••abcd', 'q    -         z'].join('\n'));
  });
});
