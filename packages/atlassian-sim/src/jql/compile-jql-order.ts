// Sorting for search results: ORDER BY keys first, then the default order (created DESC, id DESC) so that every
// pair of issues has a definite order and pagination is stable.
import type { JqlFieldRef, JqlSort, JqlSortDirection } from './jql-ast.ts';
import { toEpochMs } from './jql-dates.ts';
import { JQL_FIELD_SPECS, resolveJqlField, type JqlFieldName } from './jql-fields.ts';
import { priorityRanker, readJqlProperty, type JqlContext, type JqlIssue } from './jql-issue.ts';
import { compareIssueKeys } from './issue-keys.ts';
import { STATUS_CATEGORIES } from './status-categories.ts';

export type JqlComparator = (a: JqlIssue, b: JqlIssue) => number;

/** A sortable value; undefined means the field is empty. */
type SortValue = number | string | undefined;

function compareValues(a: SortValue, b: SortValue): number {
  // Empty values sort after everything in ascending order (so first when descending), as Jira's do.
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a !== typeof b) return typeof a === 'number' ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function lower(value: string | undefined): SortValue {
  return value === undefined || value === '' ? undefined : value.toLowerCase();
}

function fieldComparator(name: JqlFieldName, ctx: JqlContext): JqlComparator {
  const by =
    (read: (issue: JqlIssue) => SortValue): JqlComparator =>
    (a, b) =>
      compareValues(read(a), read(b));
  switch (name) {
    case 'key':
      return (a, b) => compareIssueKeys(a.key, b.key);
    case 'id':
      return by((issue) => Number(issue.id));
    case 'project':
      return by((issue) => issue.projectKey.toUpperCase());
    case 'summary':
      return by((issue) => lower(issue.summary));
    case 'description':
      return by((issue) => lower(issue.description));
    case 'text':
      return () => 0;
    case 'labels':
      return by((issue) =>
        lower(
          [...issue.labels]
            .map((l) => l.toLowerCase())
            .sort()
            .join(' '),
        ),
      );
    case 'status':
      return by((issue) => lower(issue.statusName));
    case 'statusCategory':
      return by((issue) => STATUS_CATEGORIES.indexOf(issue.statusCategory));
    case 'issuetype':
      return by((issue) => lower(issue.issueTypeName));
    case 'priority': {
      const rank = priorityRanker(ctx.priorityOrder);
      // Unknown priority names rank below the lowest known one, then alphabetically among themselves.
      return (a, b) => {
        const pa = a.priorityName;
        const pb = b.priorityName;
        if (pa === undefined || pb === undefined) return compareValues(pa, pb);
        return compareValues(rank(pa) ?? 0, rank(pb) ?? 0) || compareValues(lower(pa), lower(pb));
      };
    }
    case 'assignee':
      return by((issue) => issue.assigneeId);
    case 'reporter':
      return by((issue) => issue.reporterId);
    case 'created':
      return by((issue) => toEpochMs(issue.created));
    case 'updated':
      return by((issue) => toEpochMs(issue.updated));
    case 'resolved':
      return by((issue) => toEpochMs(issue.resolved));
    case 'resolution':
      return by((issue) => lower(issue.resolution));
  }
}

function propertySortValue(issue: JqlIssue, field: Extract<JqlFieldRef, { kind: 'property' }>): SortValue {
  const value = readJqlProperty(issue, field.propertyKey, field.path)[0];
  if (typeof value === 'number' || typeof value === 'string') return value;
  return value === undefined ? undefined : JSON.stringify(value);
}

function sortComparator(sort: JqlSort, ctx: JqlContext): JqlComparator {
  let compare: JqlComparator;
  let defaultDirection: JqlSortDirection = 'ASC';
  if (sort.field.kind === 'property') {
    const field = sort.field;
    compare = (a, b) => compareValues(propertySortValue(a, field), propertySortValue(b, field));
  } else {
    const name = resolveJqlField(sort.field.name);
    if (name === undefined) return () => 0;
    compare = fieldComparator(name, ctx);
    defaultDirection = JQL_FIELD_SPECS[name].defaultDirection;
  }
  return (sort.direction ?? defaultDirection) === 'DESC' ? (a, b) => compare(b, a) : compare;
}

export function compileJqlOrder(orderBy: readonly JqlSort[], ctx: JqlContext): JqlComparator {
  const comparators = [
    ...orderBy.map((sort) => sortComparator(sort, ctx)),
    sortComparator({ field: { kind: 'field', name: 'created' }, direction: 'DESC' }, ctx),
    sortComparator({ field: { kind: 'field', name: 'id' }, direction: 'DESC' }, ctx),
  ];
  return (a, b) => {
    for (const compare of comparators) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  };
}
