import { describe, expect, it } from 'vitest';
import type { FindingItem, FindingProblem } from './finding.ts';
import {
  FINDING_LIMITS,
  MAX_FINDINGS_PER_BATCH,
  describeFindingProblem,
  parseFinding,
  parseFindings,
  readFindingsText,
} from './finding.ts';

const good = { id: 'CVE-2026-0001@host-1', title: 'OpenSSL out of date', severity: 'high' };

function problemsOf(items: FindingItem[]): string[] {
  return items.flatMap((i) => (i.result.ok ? [] : i.result.error.map(describeFindingProblem)));
}

function problems(result: { ok: boolean; error?: FindingProblem[] }): string[] {
  return (result.error ?? []).map(describeFindingProblem);
}

describe('parseFinding', () => {
  it('accepts a minimal finding, defaulting status and properties', () => {
    const r = parseFinding(good);
    expect(r).toEqual({ ok: true, value: { ...good, status: 'open', properties: {} } });
  });

  it('keeps every documented field', () => {
    const full = {
      ...good,
      status: 'resolved',
      description: 'line 1\r\nline 2\twith tab',
      resource: 'arn:aws:ec2:eu-west-1:1:instance/i-1',
      url: 'https://scanner.example/findings/1',
      properties: { team: 'payments', cvss: { score: 7.5, vector: 'AV:N' }, tags: ['a', 1, true, null] },
    };
    expect(parseFinding(full)).toEqual({ ok: true, value: full });
  });

  it('names every bad field at once', () => {
    const r = parseFinding({
      title: '',
      severity: 'urgent',
      status: 'closed',
      url: 'javascript:alert(1)',
      colour: 'red',
      extra: 1,
      properties: { ok: 1, nested: { bad: Number.NaN } },
    });
    expect(problems(r).sort()).toEqual(
      [
        'colour: is not a known field',
        'extra: is not a known field',
        'id: is required',
        'properties.nested.bad: must be a finite number',
        'severity: must be one of critical, high, medium, low, info',
        'status: must be one of open, resolved',
        'title: must not be empty',
        'url: must be an absolute http or https URL',
      ].sort(),
    );
  });

  it('enforces the documented length limits', () => {
    expect(parseFinding({ ...good, id: 'x'.repeat(FINDING_LIMITS.idLength) }).ok).toBe(true);
    expect(problems(parseFinding({ ...good, id: 'x'.repeat(FINDING_LIMITS.idLength + 1) }))).toEqual([
      'id: must be at most 512 characters',
    ]);
    expect(problems(parseFinding({ ...good, title: 't'.repeat(FINDING_LIMITS.titleLength + 1) }))).toEqual([
      'title: must be at most 1000 characters',
    ]);
  });

  it('refuses line breaks in ids and control characters anywhere', () => {
    expect(problems(parseFinding({ ...good, id: 'a\nb' }))).toEqual([
      'id: must not contain control characters or line breaks',
    ]);
    expect(problems(parseFinding({ ...good, title: 'bell\u0007' }))).toEqual([
      'title: must not contain control characters',
    ]);
  });

  it('bounds free properties: keys, depth, size, and reserved keys', () => {
    const many = Object.fromEntries(Array.from({ length: FINDING_LIMITS.propertyCount + 1 }, (_, i) => [`k${i}`, i]));
    expect(problems(parseFinding({ ...good, properties: many }))).toEqual(['properties: must have at most 100 keys']);
    const deep = { a: { b: { c: { d: { e: { f: 1 } } } } } };
    expect(problems(parseFinding({ ...good, properties: deep }))).toEqual([
      'properties.a.b.c.d.e: nests deeper than 5 levels',
    ]);
    const big = { blob: 'x'.repeat(FINDING_LIMITS.propertiesSize) };
    expect(problems(parseFinding({ ...good, properties: big }))).toEqual([
      'properties: must be at most 32768 characters as JSON',
    ]);
    const proto: unknown = JSON.parse('{"__proto__": {"polluted": true}, "my key": 1}');
    const r = parseFinding({ ...good, properties: proto });
    expect(problems(r)).toEqual(['properties.__proto__: is a reserved key']);
    expect(problems(parseFinding({ ...good, properties: ['a'] }))).toEqual(['properties: must be an object']);
  });

  it('copies properties so later changes to the input do not leak in', () => {
    const input = { ...good, properties: { list: [1, 2] } };
    const r = parseFinding(input);
    input.properties.list.push(3);
    expect(r.ok && r.value.properties).toEqual({ list: [1, 2] });
  });
});

describe('parseFindings', () => {
  it('accepts one finding or an array, with per-item results and indexed paths', () => {
    const single = parseFindings(good);
    expect(single.ok && single.value.map((i) => i.result.ok)).toEqual([true]);
    const items = [good, good, good, { ...good, severity: 'urgent' }, { ...good, id: 7 }];
    const many = parseFindings(items);
    if (!many.ok) throw new Error('expected items');
    expect(many.value.map((i) => i.result.ok)).toEqual([true, true, true, false, false]);
    expect(problemsOf(many.value)).toEqual([
      '[3].severity: must be one of critical, high, medium, low, info',
      '[4].id: must be a string',
    ]);
  });

  it('names a non-object item', () => {
    const r = parseFindings([good, 'nope']);
    expect(r.ok && problemsOf(r.value)).toEqual(['[1]: must be a finding object']);
  });

  it('refuses input that is neither a finding nor an array, and oversized batches', () => {
    expect(parseFindings('x')).toEqual({
      ok: false,
      error: [{ field: '', message: 'must be a finding object or an array of findings' }],
    });
    expect(parseFindings(Array.from({ length: MAX_FINDINGS_PER_BATCH + 1 }, () => good)).ok).toBe(false);
  });
});

describe('readFindingsText', () => {
  it('reads JSON Lines, skipping blank lines and naming the line of each problem', () => {
    const text = [
      JSON.stringify(good),
      '',
      JSON.stringify({ ...good, severity: 'nope' }),
      '{not json',
      JSON.stringify({ ...good, id: 'b' }) + '\r',
    ].join('\n');
    const r = readFindingsText(text);
    if (!r.ok) throw new Error('expected items');
    expect(r.value.map((i) => [i.line, i.result.ok])).toEqual([
      [1, true],
      [3, false],
      [4, false],
      [5, true],
    ]);
    expect(problemsOf(r.value)).toEqual([
      'line 3: severity: must be one of critical, high, medium, low, info',
      'line 4: is not valid JSON',
    ]);
  });

  it('reads a JSON array, naming items by index', () => {
    const r = readFindingsText(`\uFEFF[\n${JSON.stringify(good)},\n${JSON.stringify({ ...good, title: 5 })}\n]`);
    expect(r.ok && problemsOf(r.value)).toEqual(['[1].title: must be a string']);
  });

  it('reports the line of a syntax error in a JSON array', () => {
    const r = readFindingsText(`[\n${JSON.stringify(good)},\n{"id": oops}\n]`);
    expect(r.ok ? [] : r.error.map(describeFindingProblem)).toEqual(['line 3: is not valid JSON']);
  });

  it('reads one pretty-printed finding', () => {
    const r = readFindingsText(`\n${JSON.stringify({ ...good, severity: 'x' }, null, 2)}`);
    expect(r.ok && problemsOf(r.value)).toEqual(['line 2: severity: must be one of critical, high, medium, low, info']);
  });

  it('reads an empty file as no findings', () => {
    expect(readFindingsText('  \n')).toEqual({ ok: true, value: [] });
  });
});
