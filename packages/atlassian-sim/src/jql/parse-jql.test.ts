import { describe, expect, it } from 'vitest';
import type { JqlNode, JqlQuery } from './jql-ast.ts';
import { parseJql } from './parse-jql.ts';

function parse(text: string): JqlQuery {
  const result = parseJql(text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.errorMessages.join('; ')}`);
  return result.query;
}

function where(text: string): JqlNode {
  const node = parse(text).where;
  if (node === undefined) throw new Error(`expected a WHERE part in ${text}`);
  return node;
}

function errorOf(text: string): string {
  const result = parseJql(text);
  if (result.ok) throw new Error(`expected ${text} to fail`);
  expect(result.errorMessages).toHaveLength(1);
  return result.errorMessages[0] ?? '';
}

describe('parseJql operators', () => {
  it.each([
    ['project = ABC', '=', { kind: 'value', value: 'ABC', quoted: false }],
    ['project != ABC', '!=', { kind: 'value', value: 'ABC', quoted: false }],
    ['summary ~ "login page"', '~', { kind: 'value', value: 'login page', quoted: true }],
    ["summary !~ 'flaky'", '!~', { kind: 'value', value: 'flaky', quoted: true }],
    ['created > -7d', '>', { kind: 'value', value: '-7d', quoted: false }],
    ['created >= "2026-01-31"', '>=', { kind: 'value', value: '2026-01-31', quoted: true }],
    ['created < "2026-01-31 10:00"', '<', { kind: 'value', value: '2026-01-31 10:00', quoted: true }],
    ['updated <= -4h', '<=', { kind: 'value', value: '-4h', quoted: false }],
    [
      'key in (ABC-1, "ABC-2", 10003)',
      'IN',
      {
        kind: 'list',
        items: [
          { kind: 'value', value: 'ABC-1', quoted: false },
          { kind: 'value', value: 'ABC-2', quoted: true },
          { kind: 'value', value: '10003', quoted: false },
        ],
      },
    ],
    ['status not in (Done)', 'NOT IN', { kind: 'list', items: [{ kind: 'value', value: 'Done', quoted: false }] }],
    ['assignee is empty', 'IS', { kind: 'empty' }],
    ['assignee IS NULL', 'IS', { kind: 'empty' }],
    ['assignee is not EMPTY', 'IS NOT', { kind: 'empty' }],
    ['assignee = EMPTY', '=', { kind: 'empty' }],
    ['assignee = currentUser()', '=', { kind: 'function', name: 'currentUser', args: [] }],
    ['created > startOfDay(-1)', '>', { kind: 'function', name: 'startOfDay', args: ['-1'] }],
    ['created > now()', '>', { kind: 'function', name: 'now', args: [] }],
  ])('%s', (text, operator, operand) => {
    expect(where(text)).toEqual({
      kind: 'clause',
      field: { kind: 'field', name: text.split(' ')[0] },
      operator,
      operand,
    });
  });

  it('needs no whitespace around symbols', () => {
    expect(where('key>ABC-1')).toMatchObject({ operator: '>', operand: { value: 'ABC-1' } });
    expect(where('key in(ABC-1,ABC-2)')).toMatchObject({ operator: 'IN', operand: { kind: 'list' } });
  });
});

describe('parseJql structure', () => {
  it('binds AND tighter than OR', () => {
    expect(where('f1 = 1 OR f2 = 2 AND f3 = 3')).toEqual({
      kind: 'or',
      clauses: [
        expect.objectContaining({ field: { kind: 'field', name: 'f1' } }),
        {
          kind: 'and',
          clauses: [
            expect.objectContaining({ field: { kind: 'field', name: 'f2' } }),
            expect.objectContaining({ field: { kind: 'field', name: 'f3' } }),
          ],
        },
      ],
    });
  });

  it('lets parentheses override precedence', () => {
    expect(where('(f1 = 1 OR f2 = 2) AND f3 = 3')).toMatchObject({
      kind: 'and',
      clauses: [{ kind: 'or' }, { kind: 'clause' }],
    });
  });

  it('parses NOT and the symbolic &&, ||, ! forms', () => {
    expect(where('NOT f1 = 1')).toMatchObject({ kind: 'not', clause: { kind: 'clause' } });
    expect(where('!(f1 = 1 || f2 = 2) && f3 = 3')).toMatchObject({
      kind: 'and',
      clauses: [{ kind: 'not', clause: { kind: 'or' } }, { kind: 'clause' }],
    });
  });

  it('reads keywords case-insensitively', () => {
    expect(parse('Project = P aNd status In (x) Or labels Is Not Empty order By Created DESC, key asc')).toEqual({
      where: {
        kind: 'or',
        clauses: [
          {
            kind: 'and',
            clauses: [expect.objectContaining({ operator: '=' }), expect.objectContaining({ operator: 'IN' })],
          },
          expect.objectContaining({ operator: 'IS NOT' }),
        ],
      },
      orderBy: [
        { field: { kind: 'field', name: 'Created' }, direction: 'DESC' },
        { field: { kind: 'field', name: 'key' }, direction: 'ASC' },
      ],
    });
  });

  it('accepts an empty query and an ORDER BY-only query', () => {
    expect(parse('')).toEqual({ where: undefined, orderBy: [] });
    expect(parse('   ')).toEqual({ where: undefined, orderBy: [] });
    expect(parse('ORDER BY updated')).toEqual({
      where: undefined,
      orderBy: [{ field: { kind: 'field', name: 'updated' }, direction: undefined }],
    });
  });

  it('parses entity-property fields', () => {
    expect(where('issue.property[com.acme.flags].review.state = approved')).toMatchObject({
      field: { kind: 'property', propertyKey: 'com.acme.flags', path: ['review', 'state'] },
    });
    expect(where('ISSUE.PROPERTY["my key"] = 1')).toMatchObject({
      field: { kind: 'property', propertyKey: 'my key', path: [] },
    });
    expect(parse('ORDER BY issue.property[sync].seq DESC').orderBy).toEqual([
      { field: { kind: 'property', propertyKey: 'sync', path: ['seq'] }, direction: 'DESC' },
    ]);
  });

  it('keeps bracketed custom-field names for validation to judge', () => {
    expect(where('cf[10001] = 3')).toMatchObject({ field: { kind: 'field', name: 'cf[10001]' } });
  });

  it('accepts quoted field names', () => {
    expect(where('"summary" ~ x')).toMatchObject({ field: { kind: 'field', name: 'summary' } });
  });
});

describe('parseJql strings', () => {
  it('resolves escapes in double- and single-quoted strings', () => {
    expect(where(String.raw`summary ~ "say \"hi\" \\ now"`)).toMatchObject({ operand: { value: 'say "hi" \\ now' } });
    expect(where(String.raw`summary ~ 'it\'s'`)).toMatchObject({ operand: { value: "it's" } });
    expect(where(String.raw`summary ~ "tab\there\nnew \u0041"`)).toMatchObject({
      operand: { value: 'tab\there\nnew A' },
    });
    expect(where(`summary ~ "it's"`)).toMatchObject({ operand: { value: "it's" } });
  });

  it('allows escapes in unquoted words, which are then not keywords', () => {
    expect(where(String.raw`labels = a\u0040b`)).toMatchObject({ operand: { value: 'a@b', quoted: false } });
    expect(where(String.raw`project = \u0041ND`)).toMatchObject({ operand: { value: 'AND' } });
  });

  it('treats quoted keywords as values', () => {
    expect(where('project = "AND"')).toMatchObject({ operand: { value: 'AND', quoted: true } });
    expect(where('status = "End"')).toMatchObject({ operand: { value: 'End' } });
  });
});

describe('parseJql errors', () => {
  it.each([
    [
      'project = AND',
      "Error in the JQL Query: Expecting either a value, list or function but got 'AND'. You must surround 'AND' in quotation marks to use it as a value. (line 1, character 11)",
    ],
    ['key="abc', "Error in the JQL Query: The quoted string 'abc' has not been completed. (line 1, character 5)"],
    [
      "summary ~ 'abc",
      "Error in the JQL Query: The quoted string 'abc' has not been completed. (line 1, character 11)",
    ],
    [
      'project foo',
      "Error in the JQL Query: Expecting operator but got 'foo'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character 9)",
    ],
    ['project = P B = c', "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'B'. (line 1, character 13)"],
    ['project = P)', "Error in the JQL Query: Expecting either 'OR' or 'AND' but got ')'. (line 1, character 12)"],
    ['project =', 'Error in the JQL Query: Expecting either a value, list or function before the end of the query.'],
    ['project = P AND', 'Error in the JQL Query: Expecting a field name before the end of the query.'],
    ['(project = P', "Error in the JQL Query: Expecting ')' before the end of the query."],
    ['key in (P-1 P-2)', "Error in the JQL Query: Expecting either ',' or ')' but got 'P-2'. (line 1, character 13)"],
    [
      'key in ()',
      "Error in the JQL Query: Expecting either a value, list or function but got ')'. (line 1, character 9)",
    ],
    [
      'status = End',
      "Error in the JQL Query: 'End' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character 10)",
    ],
    [
      'labels = foo@bar',
      "Error in the JQL Query: The character '@' is a reserved JQL character. You must enclose it in a string or use the escape '\\u0040' instead. (line 1, character 13)",
    ],
    [
      'assignee is bob',
      "Error in the JQL Query: Expecting 'EMPTY' but got 'bob'. The operator 'IS' can only be used with EMPTY or NULL. (line 1, character 13)",
    ],
    ['project = P ORDER created', "Error in the JQL Query: Expecting 'BY' but got 'created'. (line 1, character 19)"],
    [
      'ORDER BY created sideways',
      "Error in the JQL Query: Expecting either 'ASC', 'DESC' or ',' but got 'sideways'. (line 1, character 18)",
    ],
  ])('%s', (text, message) => {
    expect(errorOf(text)).toBe(message);
  });

  it('reports line and character on later lines', () => {
    expect(errorOf('project = P\n  AND status = OR')).toBe(
      "Error in the JQL Query: Expecting either a value, list or function but got 'OR'. You must surround 'OR' in quotation marks to use it as a value. (line 2, character 16)",
    );
  });

  it('rejects illegal escapes at the backslash', () => {
    expect(errorOf(String.raw`summary ~ "a\qb"`)).toMatch(
      /^Error in the JQL Query: The escape sequence '\\q' is illegal\..*\(line 1, character 13\)$/,
    );
  });

  it('never throws, whatever the input', () => {
    for (const text of [
      '(',
      ')',
      '((',
      '=',
      '"',
      "'",
      '\\',
      'x[',
      'x[b',
      'issue.property[x].',
      'x = f(',
      'x = f(x',
      'x in (',
      'NOT',
      'ORDER',
      'ORDER BY',
      'x = 1 ORDER BY',
      '&&',
      '!',
      'x !',
      'x is not',
    ]) {
      const result = parseJql(text);
      expect(result.ok, text).toBe(false);
    }
  });
});
