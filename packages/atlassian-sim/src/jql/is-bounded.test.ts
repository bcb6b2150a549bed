import { describe, expect, it } from 'vitest';
import { isBounded } from './is-bounded.ts';
import { parseJql } from './parse-jql.ts';

function bounded(text: string): boolean {
  const parsed = parseJql(text);
  if (!parsed.ok) throw new Error(`expected ${text} to parse: ${parsed.errorMessages.join('; ')}`);
  return isBounded(parsed.query);
}

describe('isBounded', () => {
  it.each([
    ['', false],
    ['   ', false],
    ['ORDER BY created DESC', false],
    ['project = ABC', true],
    ['key in (ABC-1, ABC-2)', true],
    ['updated >= -1d', true],
    ["issue.property[x].y = 'z'", true],
    ['assignee is EMPTY', true],
    ['project = ABC ORDER BY key', true],
    ['project = ABC AND summary ~ x', true],
    ['project = ABC OR key = XYZ-1', true],
    ['(project = ABC OR labels = x) AND status = Done', true],
    ['NOT project = ABC', true],
  ])('%j -> %s', (text, expected) => {
    expect(bounded(text)).toBe(expected);
  });

  it('requires both sides of OR and one side of AND to be bounded', () => {
    // No parsed clause is unbounded under the current rule, so exercise the combinators on hand-built trees.
    const open = { kind: 'and', clauses: [] } as const;
    const clause = parseJql('project = ABC');
    if (!clause.ok || clause.query.where === undefined) throw new Error('fixture');
    const restricted = clause.query.where;
    expect(isBounded({ where: { kind: 'or', clauses: [restricted, open] }, orderBy: [] })).toBe(false);
    expect(isBounded({ where: { kind: 'or', clauses: [restricted, restricted] }, orderBy: [] })).toBe(true);
    expect(isBounded({ where: { kind: 'and', clauses: [open, restricted] }, orderBy: [] })).toBe(true);
    expect(isBounded({ where: open, orderBy: [] })).toBe(false);
  });
});
