import { describe, expect, it } from 'vitest';
import { parseJql } from './parse-jql.ts';
import { parseAndValidateJql, validateJql, type JqlLookup } from './validate-jql.ts';

const lookup: JqlLookup = { projectExists: (keyOrId) => ['ABC', 'XYZ', '10000'].includes(keyOrId.toUpperCase()) };

function messages(text: string): readonly string[] {
  const parsed = parseJql(text);
  if (!parsed.ok) throw new Error(`expected ${text} to parse: ${parsed.errorMessages.join('; ')}`);
  const result = validateJql(parsed.query, lookup);
  return result.ok ? [] : result.errorMessages;
}

describe('validateJql', () => {
  it('accepts every supported field, alias and function in context', () => {
    expect(
      messages(
        'project in (abc, 10000) AND issuekey = ABC-1 AND key > ABC-0 AND id in (10001) AND summary ~ x AND description !~ y ' +
          'AND text ~ z AND labels = l AND status = Done AND statusCategory = "In Progress" AND type = Bug AND issuetype != Task ' +
          'AND priority >= High AND assignee = currentUser() AND reporter is not empty AND created >= -7d AND updated < "2026-01-31 10:00" ' +
          'AND createdDate > startOfDay(-1) AND resolution = Unresolved AND resolved <= now() AND resolutiondate is empty ' +
          "AND issue.property[flags].x.y = 'z' ORDER BY key, id DESC, Priority, issue.property[flags].n",
      ),
    ).toEqual([]);
  });

  it('reports unknown fields, in the WHERE part and in ORDER BY', () => {
    expect(messages('foo = 1 AND cf[10001] = 2 ORDER BY bar')).toEqual([
      "Field 'foo' does not exist or you do not have permission to view it.",
      "Field 'cf[10001]' does not exist or you do not have permission to view it.",
      "Field 'bar' does not exist or you do not have permission to view it.",
    ]);
  });

  it('reports projects the lookup does not know', () => {
    expect(messages('project = XYZ OR project in (ABC, NOPE)')).toEqual([
      "The value 'NOPE' does not exist for the field 'project'.",
    ]);
    expect(messages('project != Missing')).toEqual(["The value 'Missing' does not exist for the field 'project'."]);
  });

  it('reports operators a field does not support', () => {
    expect(messages('summary = "login"')).toEqual(["The operator '=' is not supported by the 'summary' field."]);
    expect(messages('project ~ ABC')).toEqual(["The operator '~' is not supported by the 'project' field."]);
    expect(messages('status is EMPTY')).toEqual(["The operator 'is' is not supported by the 'status' field."]);
  });

  it('checks list and non-list operands', () => {
    expect(messages('status in Done')).toEqual([
      "Operator 'in' does not support the non-list value 'Done' for field 'status'.",
    ]);
    expect(messages('status = (Done, Open)')).toEqual([
      "Operator '=' does not support the list value '(Done, Open)' for field 'status'.",
    ]);
  });

  it('checks functions', () => {
    expect(messages('assignee = whoever()')).toEqual(["Unable to find JQL function 'whoever()'."]);
    expect(messages('created > now(1)')).toEqual(["Function 'now' expected '0' arguments but received '1'."]);
    expect(messages('created > startOfDay(1, 2)')).toEqual([
      "Function 'startOfDay' expected between '0' and '1' arguments but received '2'.",
    ]);
    expect(messages('created = currentUser()')).toEqual([
      "A value provided by the function 'currentUser' is invalid for the field 'created'.",
    ]);
    expect(messages('assignee = CURRENTUSER()')).toEqual([]);
  });

  it('checks date, status category and issue key values', () => {
    expect(messages('created > "yesterday"')).toEqual([
      "Date value 'yesterday' for field 'created' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.",
    ]);
    expect(messages('updated > "2026-02-30"')).toHaveLength(1);
    expect(messages('statusCategory = Blocked')).toEqual([
      "The value 'Blocked' does not exist for the field 'statusCategory'.",
    ]);
    expect(messages('key = "not a key"')).toEqual(["The issue key 'not a key' for field 'key' is invalid."]);
  });

  it('refuses to sort by text', () => {
    expect(messages('project = ABC ORDER BY text')).toEqual(["Not able to sort using field 'text'."]);
  });
});

describe('parseAndValidateJql', () => {
  it('returns the query when both steps pass, otherwise the first failing step', () => {
    expect(parseAndValidateJql('project = ABC', lookup)).toMatchObject({ ok: true, query: { orderBy: [] } });
    expect(parseAndValidateJql('project = ', lookup)).toMatchObject({ ok: false });
    expect(parseAndValidateJql('project = QQ', lookup)).toEqual({
      ok: false,
      errorMessages: ["The value 'QQ' does not exist for the field 'project'."],
    });
  });
});
