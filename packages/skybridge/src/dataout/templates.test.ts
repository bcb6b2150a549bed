import { describe, expect, it } from 'vitest';
import type { Finding } from './finding.ts';
import type { TemplateOptions, TemplateSet } from './templates.ts';
import { compileTemplates, findingScope } from './templates.ts';

const finding: Finding = {
  id: 'F-1',
  title: 'Weak *cipher* {code}',
  severity: 'high',
  status: 'open',
  url: 'https://scanner.example/f/1',
  properties: { team: 'payments', tags: ['a', 'b'] },
};

function compile(sources: Record<string, string>, options?: TemplateOptions): TemplateSet {
  const set = compileTemplates(sources, options);
  if (!set.ok) throw new Error(JSON.stringify(set.error));
  return set.value;
}

describe('compileTemplates', () => {
  it('keeps template text and finding values apart', () => {
    const set = compile({ description: '# {{ finding.title }}\nTeam: {{ finding.properties.team | upcase }}' });
    expect(set.render('description', findingScope(finding))).toEqual({
      ok: true,
      value: [
        { kind: 'template', text: '# ' },
        { kind: 'value', text: 'Weak *cipher* {code}' },
        { kind: 'template', text: '\nTeam: ' },
        { kind: 'value', text: 'PAYMENTS' },
      ],
    });
    expect(set.renderText('description', findingScope(finding))).toEqual({
      ok: true,
      value: '# Weak *cipher* {code}\nTeam: PAYMENTS',
    });
  });

  it('treats text printed again after capture, echo and cycle as values', () => {
    const set = compile({
      t: '{% capture x %}<{{ finding.title }}>{% endcapture %}{{ x }}|{% echo finding.id %}|{% cycle finding.severity, "b" %}',
    });
    const r = set.render('t', findingScope(finding));
    expect(r.ok && r.value).toEqual([
      { kind: 'value', text: '<Weak *cipher* {code}>' },
      { kind: 'template', text: '|' },
      { kind: 'value', text: 'F-1' },
      { kind: 'template', text: '|' },
      { kind: 'value', text: 'high' },
    ]);
  });

  it('cannot be fooled by marker characters in finding data or in the template', () => {
    const set = compile({ t: 'a{{ finding.id }}b\uE0000\uE001{{ finding.title }}' });
    const r = set.render('t', { finding: { id: 'x', title: '\uE0000\uE001' } });
    expect(r.ok && r.value).toEqual([
      { kind: 'template', text: 'a' },
      { kind: 'value', text: 'x' },
      { kind: 'template', text: 'b\uFFFD0\uFFFD' },
      { kind: 'value', text: '\uFFFD0\uFFFD' },
    ]);
  });

  it('reports every syntax error, naming its template', () => {
    const r = compileTemplates({ summary: '{{ finding.title', description: '{% if x %}open', labels: 'ok' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.map((p) => p.template)).toEqual(['summary', 'description']);
    expect(r.error[0]?.message).toMatch(/not closed/);
    expect(r.error[1]?.message).toMatch(/not closed/);
  });

  it('has no file system and no way around value recording', () => {
    const r = compileTemplates({
      a: "{% include 'secrets.txt' %}",
      b: "{% render '/etc/passwd' %}",
      c: "{% layout 'base' %}",
      d: '{% block x %}{% endblock %}',
      e: '{{ finding.title | raw }}',
      f: '{{ finding.title | no_such_filter }}',
      g: '{% tablerow i in finding.properties.tags %}{{ i }}{% endtablerow %}',
    });
    expect(r.ok ? [] : r.error.map((p) => `${p.template}: ${p.message.replace(/, line:.*/, '')}`)).toEqual([
      'a: tag "include" not found',
      'b: tag "render" not found',
      'c: tag "layout" not found',
      'd: tag "block" not found',
      'e: undefined filter: raw',
      'f: undefined filter: no_such_filter',
      'g: tag "tablerow" not found',
    ]);
  });

  it('reads own properties only', () => {
    const set = compile({
      t: '[{{ finding.constructor }}][{{ finding.title.constructor.name }}][{{ finding.__proto__ }}]',
    });
    const r = set.renderText('t', findingScope(finding));
    expect(r).toEqual({ ok: true, value: '[][][]' });
  });

  it('renders a missing variable empty, or fails on it with strictVariables', () => {
    const sources = { t: '[{{ finding.nope }}]{% if finding.description %}d{% endif %}' };
    expect(compile(sources).renderText('t', findingScope(finding))).toEqual({ ok: true, value: '[]' });
    const strict = compile(sources, { strictVariables: true }).renderText('t', findingScope(finding));
    expect(strict.ok).toBe(false);
    expect(strict.ok ? '' : strict.error.message).toMatch(/undefined variable: finding.nope/);
    // lenientIf: a missing field in a condition is false, not an error.
    const lenient = compile({ t: '{% if finding.description %}d{% endif %}ok' }, { strictVariables: true });
    expect(lenient.renderText('t', findingScope(finding))).toEqual({ ok: true, value: 'ok' });
  });

  it('stops at the memory, time, output and source limits', () => {
    const big = compile({ t: '{% for i in (1..100000000) %}x{% endfor %}' }).renderText('t', {});
    expect(big.ok ? '' : big.error.message).toMatch(/memory alloc limit exceeded/);
    const slow = compile({ t: '{{ a }}' }, { limits: { renderTimeMs: -1 } }).renderText('t', { a: 1 });
    expect(slow.ok ? '' : slow.error.message).toMatch(/render limit exceeded/);
    const long = compile({ t: '{{ a }}{{ a }}' }, { limits: { outputLength: 5 } }).renderText('t', { a: 'abc' });
    expect(long).toEqual({ ok: false, error: { template: 't', message: 'renders more than 5 characters' } });
    const source = compileTemplates({ t: 'x'.repeat(11) }, { limits: { sourceLength: 10 } });
    expect(source).toEqual({ ok: false, error: [{ template: 't', message: 'must be at most 10 characters' }] });
  });

  it('prints dates in UTC and objects as JSON', () => {
    const set = compile({ t: '{{ when | date: "%Y-%m-%d %H:%M" }} {{ finding.properties }}' });
    const r = set.renderText('t', { when: '2026-01-01T23:30:00-05:00', finding });
    expect(r).toEqual({ ok: true, value: '2026-01-02 04:30 {"team":"payments","tags":["a","b"]}' });
  });

  it('throws for a template it never compiled (a bug, not an expected failure)', () => {
    expect(() => compile({}).render('summary', {})).toThrow(/no template named summary/);
  });
});
