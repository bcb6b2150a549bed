import { describe, expect, it } from 'vitest';
import { compileJql, type JqlContext, type JqlIssue } from './evaluate-jql.ts';
import { parseJql } from './parse-jql.ts';

const NOW = Date.UTC(2026, 1, 10, 12, 0); // 2026-02-10 12:00 UTC
const HOUR = 3_600_000;

function issue(fields: Partial<JqlIssue> & Pick<JqlIssue, 'id' | 'key'>): JqlIssue {
  const projectKey = fields.key.split('-')[0] ?? '';
  return {
    projectKey,
    projectId: projectKey === 'ABC' ? '10000' : '10001',
    summary: '',
    labels: [],
    statusName: 'Open',
    statusCategory: 'To Do',
    issueTypeName: 'Bug',
    created: '2026-01-01T00:00:00.000Z',
    updated: '2026-01-01T00:00:00.000Z',
    properties: new Map(),
    ...fields,
  };
}

const ISSUES: readonly JqlIssue[] = [
  issue({
    id: '10010',
    key: 'ABC-10',
    summary: 'Dark mode contrast too low',
    labels: ['frontend'],
    statusName: 'Done',
    statusCategory: 'Done',
    priorityName: 'Low',
    assigneeId: 'u-bob',
    reporterId: 'u-bob',
    created: '2026-01-31T10:00:00.000Z',
    updated: '2026-02-01T00:00:00.000Z',
    resolution: 'Done',
    resolved: '2026-02-01T00:00:00.000Z',
  }),
  issue({
    id: '10002',
    key: 'ABC-2',
    summary: 'Login page crashes on Safari',
    description: 'Steps: open the login page',
    labels: ['frontend', 'Urgent'],
    statusName: 'In Progress',
    statusCategory: 'In Progress',
    priorityName: 'High',
    assigneeId: 'u-alice',
    reporterId: 'u-bob',
    created: '2026-02-08T09:00:00.000Z',
    updated: NOW - HOUR,
    properties: new Map([
      ['sync', { seq: 5, tags: ['a', 'b'], review: { state: 'approved', at: '2026-02-09T10:00:00Z' } }],
    ]),
  }),
  issue({
    id: '10020',
    key: 'XYZ-2',
    summary: 'Invoice rounding',
    created: '2026-01-20T08:00:00.000Z',
    updated: '2026-01-20T08:00:00.000Z',
  }),
  issue({
    id: '10009',
    key: 'ABC-9',
    summary: 'Add dark mode',
    issueTypeName: 'Story',
    priorityName: 'Medium',
    reporterId: 'u-alice',
    created: '2026-01-20T08:00:00.000Z',
    updated: '2026-01-25T08:00:00.000Z',
    properties: new Map([['sync', { seq: 12, enabled: true }]]),
  }),
  issue({
    id: '10001',
    key: 'XYZ-1',
    summary: 'Billing export',
    description: 'CSV export of invoices',
    labels: ['backend'],
    statusName: 'Review',
    statusCategory: 'In Progress',
    issueTypeName: 'Task',
    priorityName: 'Highest',
    assigneeId: 'u-alice',
    reporterId: 'u-carol',
    created: NOW - HOUR,
    updated: NOW - HOUR,
    properties: new Map([['flags', { n: 1 }]]),
  }),
];

const CTX: JqlContext = { now: NOW, currentUserId: 'u-alice' };

/** Keys of the matching issues, in the query's order. */
function search(text: string, ctx: JqlContext = CTX): string[] {
  const parsed = parseJql(text);
  if (!parsed.ok) throw new Error(`expected ${text} to parse: ${parsed.errorMessages.join('; ')}`);
  const compiled = compileJql(parsed.query, ctx);
  return ISSUES.filter((i) => compiled.matches(i))
    .sort((a, b) => compiled.compare(a, b))
    .map((i) => i.key);
}

/** Keys of the matching issues in key order, for tests about matching only. */
function matching(text: string, ctx: JqlContext = CTX): string[] {
  return search(`${text} ORDER BY key`, ctx);
}

describe('compileJql ordering', () => {
  it('defaults to created DESC, then id DESC', () => {
    expect(search('')).toEqual(['XYZ-1', 'ABC-2', 'ABC-10', 'XYZ-2', 'ABC-9']);
    expect(search('ORDER BY created')).toEqual(['XYZ-1', 'ABC-2', 'ABC-10', 'XYZ-2', 'ABC-9']);
  });

  it('orders keys by project, then numerically', () => {
    expect(search('ORDER BY key')).toEqual(['ABC-2', 'ABC-9', 'ABC-10', 'XYZ-1', 'XYZ-2']);
    expect(search('ORDER BY issuekey DESC')).toEqual(['XYZ-2', 'XYZ-1', 'ABC-10', 'ABC-9', 'ABC-2']);
  });

  it('applies ASC and falls back to the default order for ties', () => {
    expect(search('ORDER BY created ASC')).toEqual(['XYZ-2', 'ABC-9', 'ABC-10', 'ABC-2', 'XYZ-1']);
    expect(search('ORDER BY issuetype, key')).toEqual(['ABC-2', 'ABC-10', 'XYZ-2', 'ABC-9', 'XYZ-1']);
  });

  it('orders priority by rank, highest first by default, empty values last when ascending', () => {
    expect(search('ORDER BY priority ASC')).toEqual(['ABC-10', 'ABC-9', 'ABC-2', 'XYZ-1', 'XYZ-2']);
    expect(search('ORDER BY priority')).toEqual(['XYZ-2', 'XYZ-1', 'ABC-2', 'ABC-9', 'ABC-10']);
  });

  it('orders by a property value', () => {
    expect(search('ORDER BY issue.property[sync].seq ASC')).toEqual(['ABC-2', 'ABC-9', 'XYZ-1', 'ABC-10', 'XYZ-2']);
  });
});

describe('compileJql matching', () => {
  it('matches everything without a WHERE part and nothing for unknown fields', () => {
    expect(matching('')).toHaveLength(ISSUES.length);
    expect(matching('foo = 1')).toEqual([]);
  });

  it('matches projects by key (any case) or id', () => {
    expect(matching('project = abc')).toEqual(['ABC-2', 'ABC-9', 'ABC-10']);
    expect(matching('project in (10001)')).toEqual(['XYZ-1', 'XYZ-2']);
    expect(matching('project != ABC')).toEqual(['XYZ-1', 'XYZ-2']);
  });

  it('matches keys and ids, comparing keys within their project', () => {
    expect(matching('key > ABC-9')).toEqual(['ABC-10']);
    expect(matching('issuekey >= abc-9')).toEqual(['ABC-9', 'ABC-10']);
    expect(matching('key < XYZ-2')).toEqual(['XYZ-1']);
    expect(matching('id > 10009')).toEqual(['ABC-10', 'XYZ-2']);
    expect(matching('key = 10001')).toEqual(['XYZ-1']);
    expect(matching('key in (abc-2, 10010)')).toEqual(['ABC-2', 'ABC-10']);
    expect(matching('key not in (ABC-2)')).toHaveLength(4);
  });

  it('matches text by whole words, prefixes and phrases', () => {
    expect(matching('summary ~ dark')).toEqual(['ABC-9', 'ABC-10']);
    expect(matching('summary ~ "MODE dark"')).toEqual(['ABC-9', 'ABC-10']);
    expect(matching('summary ~ "da*"')).toEqual(['ABC-9', 'ABC-10']);
    expect(matching('summary ~ "dar"')).toEqual([]);
    expect(matching(String.raw`summary ~ "\"dark mode\""`)).toEqual(['ABC-9', 'ABC-10']);
    expect(matching(String.raw`summary ~ "\"mode dark\""`)).toEqual([]);
    expect(matching('description ~ login')).toEqual(['ABC-2']);
    expect(matching('text ~ csv')).toEqual(['XYZ-1']);
    expect(matching('text ~ safari')).toEqual(['ABC-2']);
  });

  it('never matches empty fields with negative operators', () => {
    expect(matching('summary !~ dark')).toEqual(['ABC-2', 'XYZ-1', 'XYZ-2']);
    expect(matching('description !~ login')).toEqual(['XYZ-1']);
    expect(matching('description is EMPTY')).toEqual(['ABC-9', 'ABC-10', 'XYZ-2']);
    expect(matching('labels != frontend')).toEqual(['XYZ-1']);
    expect(matching('assignee != u-alice')).toEqual(['ABC-10']);
    // Jira documents NOT field = value as the same as field != value.
    expect(matching('NOT assignee = u-alice')).toEqual(['ABC-10']);
    expect(matching('NOT (assignee = u-alice OR labels = frontend)')).toEqual([]);
    expect(matching('NOT assignee is EMPTY')).toEqual(['ABC-2', 'ABC-10', 'XYZ-1']);
  });

  it('matches labels case-insensitively, including EMPTY in lists', () => {
    expect(matching('labels = FRONTEND')).toEqual(['ABC-2', 'ABC-10']);
    expect(matching('labels in (urgent, backend)')).toEqual(['ABC-2', 'XYZ-1']);
    expect(matching('labels is empty')).toEqual(['ABC-9', 'XYZ-2']);
    expect(matching('labels in (EMPTY, backend)')).toEqual(['ABC-9', 'XYZ-1', 'XYZ-2']);
    expect(matching('labels not in (frontend, backend)')).toEqual([]);
  });

  it('matches status, status category and issue type', () => {
    expect(matching('status = "in progress"')).toEqual(['ABC-2']);
    expect(matching('statusCategory = "In Progress"')).toEqual(['ABC-2', 'XYZ-1']);
    expect(matching('statusCategory = 4')).toEqual(['ABC-2', 'XYZ-1']);
    expect(matching('statusCategory in (new, done)')).toEqual(['ABC-9', 'ABC-10', 'XYZ-2']);
    expect(matching('type in (Task, story)')).toEqual(['ABC-9', 'XYZ-1']);
  });

  it('compares priorities by rank', () => {
    expect(matching('priority > Medium')).toEqual(['ABC-2', 'XYZ-1']);
    expect(matching('priority <= medium')).toEqual(['ABC-9', 'ABC-10']);
    expect(matching('priority is empty')).toEqual(['XYZ-2']);
    expect(matching('priority > P1', { ...CTX, priorityOrder: ['P1', 'P2'] })).toEqual([]);
  });

  it('resolves currentUser() from the context', () => {
    expect(matching('assignee = currentUser()')).toEqual(['ABC-2', 'XYZ-1']);
    expect(matching('reporter = currentUser()', { now: NOW, currentUserId: 'u-bob' })).toEqual(['ABC-2', 'ABC-10']);
    expect(matching('assignee = currentUser()', { now: NOW })).toEqual([]);
    expect(matching('assignee in (EMPTY, u-bob)')).toEqual(['ABC-9', 'ABC-10', 'XYZ-2']);
  });

  it('compares dates, relative dates and date functions against ctx.now', () => {
    expect(matching('created >= -7d')).toEqual(['ABC-2', 'XYZ-1']);
    expect(matching('created >= -2w')).toEqual(['ABC-2', 'ABC-10', 'XYZ-1']);
    expect(matching('created < "-4w 2d"')).toEqual([]);
    expect(matching('updated >= -4h')).toEqual(['ABC-2', 'XYZ-1']);
    expect(matching('updated >= -30m')).toEqual([]);
    expect(matching('created = "2026-01-31 10:00"')).toEqual(['ABC-10']);
    expect(matching('created > "2026/01/31"')).toEqual(['ABC-2', 'ABC-10', 'XYZ-1']);
    expect(matching('created >= startOfDay()')).toEqual(['XYZ-1']);
    expect(matching('created >= startOfDay(-2)')).toEqual(['ABC-2', 'XYZ-1']);
    expect(matching('updated <= now()')).toHaveLength(ISSUES.length);
    expect(matching('created >= -7d', { now: NOW + 30 * 24 * HOUR })).toEqual([]);
  });

  it('treats resolution = Unresolved as an empty resolution', () => {
    expect(matching('resolution = Unresolved')).toEqual(['ABC-2', 'ABC-9', 'XYZ-1', 'XYZ-2']);
    expect(matching('resolution = done')).toEqual(['ABC-10']);
    expect(matching('resolution != Done')).toEqual([]);
    expect(matching('resolved is not empty')).toEqual(['ABC-10']);
  });

  it('binds AND tighter than OR', () => {
    expect(matching('project = XYZ OR project = ABC AND labels = urgent')).toEqual(['ABC-2', 'XYZ-1', 'XYZ-2']);
    expect(matching('(project = XYZ OR project = ABC) AND labels = urgent')).toEqual(['ABC-2']);
  });

  it('reads entity properties along nested paths', () => {
    expect(matching('issue.property[sync].seq > 6')).toEqual(['ABC-9']);
    expect(matching('issue.property[sync].seq = 5')).toEqual(['ABC-2']);
    expect(matching('issue.property[sync].tags = b')).toEqual(['ABC-2']);
    expect(matching("issue.property[sync].review.state = 'approved'")).toEqual(['ABC-2']);
    expect(matching('issue.property[sync].enabled = "true"')).toEqual(['ABC-9']);
    expect(matching('issue.property[sync].review.at >= "2026-02-09"')).toEqual(['ABC-2']);
    expect(matching('issue.property[sync].review.at >= -1d')).toEqual([]);
    expect(matching('issue.property[sync].review.at >= -2d')).toEqual(['ABC-2']);
    expect(matching('issue.property[sync] is empty')).toEqual(['ABC-10', 'XYZ-1', 'XYZ-2']);
    expect(matching('issue.property[sync].seq is not empty')).toEqual(['ABC-2', 'ABC-9']);
    expect(matching('issue.property[flags].n in (1, 2)')).toEqual(['XYZ-1']);
  });
});
