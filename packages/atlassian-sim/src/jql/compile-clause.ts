// Turns one JQL clause into a predicate. Each field type supplies an accessor (how to read the issue's values and
// interpret operands); the operators are applied uniformly on top, including Jira's rule that the negative
// operators (!=, NOT IN, !~) never match an issue whose field is empty.
import type { JqlClause, JqlFunctionCall, JqlOperand, JqlOperator, JqlSingleOperand, JqlValue } from './jql-ast.ts';
import { evaluateJqlDateFunction, jqlMinute, parseJqlDate, toEpochMs } from './jql-dates.ts';
import { JQL_FIELD_SPECS, resolveJqlField, type JqlValueType } from './jql-fields.ts';
import { resolveJqlFunction } from './jql-functions.ts';
import { priorityRanker, readJqlProperty, type JqlContext, type JqlIssue } from './jql-issue.ts';
import { isNumericIssueId, parseIssueKey } from './issue-keys.ts';
import { resolveStatusCategory } from './status-categories.ts';
import { matchesJqlText } from './matches-jql-text.ts';

export type JqlPredicate = (issue: JqlIssue) => boolean;

interface Accessor<T, O> {
  values(issue: JqlIssue): readonly T[];
  /** undefined: the operand can match nothing (an unknown function, an anonymous currentUser()). */
  operand(operand: JqlValue | JqlFunctionCall): O | undefined;
  equals(value: T, operand: O): boolean;
  /** undefined when the two cannot be ordered (keys from different projects, unknown priorities). */
  compare?(value: T, operand: O): number | undefined;
  contains?(value: T, query: string): boolean;
}

const ci = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const NUMBER = /^-?\d+(\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

function stringOperand(operand: JqlValue | JqlFunctionCall): string | undefined {
  return operand.kind === 'value' ? operand.value : undefined;
}

function nameAccessor(read: (issue: JqlIssue) => string | undefined): Accessor<string, string> {
  return {
    values: (issue) => {
      const value = read(issue);
      return value === undefined || value === '' ? [] : [value];
    },
    operand: stringOperand,
    equals: ci,
  };
}

function textAccessor(read: (issue: JqlIssue) => readonly (string | undefined)[]): Accessor<string, string> {
  return {
    values: (issue) => read(issue).filter((v): v is string => v !== undefined && v.trim() !== ''),
    operand: stringOperand,
    equals: (value, operand) => value === operand,
    contains: matchesJqlText,
  };
}

function dateOperand(operand: JqlValue | JqlFunctionCall, ctx: JqlContext): number | undefined {
  if (operand.kind === 'value') return parseJqlDate(operand.value, ctx.now);
  const name = resolveJqlFunction(operand.name);
  return name === 'now' || name === 'startOfDay' ? evaluateJqlDateFunction(name, operand.args, ctx.now) : undefined;
}

function userOperand(operand: JqlValue | JqlFunctionCall, ctx: JqlContext): string | undefined {
  if (operand.kind === 'value') return operand.value;
  return resolveJqlFunction(operand.name) === 'currentUser' ? ctx.currentUserId : undefined;
}

interface PropertyOperand {
  readonly text: string;
  readonly ms: number | undefined;
}

function propertyAccessor(
  propertyKey: string,
  path: readonly string[],
  ctx: JqlContext,
): Accessor<unknown, PropertyOperand> {
  // Properties carry no declared type, so comparisons follow the stored JSON: numbers numerically, ISO date
  // strings as dates (relative dates and date functions allowed), other strings exactly.
  return {
    values: (issue) => readJqlProperty(issue, propertyKey, path),
    operand: (operand) => {
      if (operand.kind === 'function') {
        const name = resolveJqlFunction(operand.name);
        if (name === 'currentUser')
          return ctx.currentUserId === undefined ? undefined : { text: ctx.currentUserId, ms: undefined };
        const ms = dateOperand(operand, ctx);
        return ms === undefined ? undefined : { text: String(ms), ms };
      }
      const ms = ISO_DATE.test(operand.value) ? Date.parse(operand.value) : parseJqlDate(operand.value, ctx.now);
      return { text: operand.value, ms: Number.isNaN(ms) ? undefined : ms };
    },
    equals: (value, operand) => {
      if (typeof value === 'number') return NUMBER.test(operand.text) && Number(operand.text) === value;
      if (typeof value === 'boolean') return String(value) === operand.text.toLowerCase();
      return typeof value === 'string' && value === operand.text;
    },
    compare: (value, operand) => {
      if (typeof value === 'number') {
        if (NUMBER.test(operand.text)) return value - Number(operand.text);
        return operand.ms === undefined ? undefined : value - operand.ms;
      }
      if (typeof value !== 'string') return undefined;
      if (ISO_DATE.test(value) && operand.ms !== undefined) {
        const ms = Date.parse(value);
        if (!Number.isNaN(ms)) return ms - operand.ms;
      }
      if (NUMBER.test(value) && NUMBER.test(operand.text)) return Number(value) - Number(operand.text);
      return value < operand.text ? -1 : value > operand.text ? 1 : 0;
    },
    contains: (value, query) => typeof value === 'string' && matchesJqlText(value, query),
  };
}

function accessorFor(valueType: JqlValueType, field: string, ctx: JqlContext): Accessor<unknown, unknown> {
  switch (valueType) {
    case 'project':
      return {
        values: (issue) => [issue],
        operand: stringOperand,
        equals: (issue: JqlIssue, value: string) =>
          ci(issue.projectKey, value) ||
          issue.projectId === value.trim() ||
          (issue.projectName !== undefined && ci(issue.projectName, value)),
      } satisfies Accessor<JqlIssue, string>;
    case 'issue':
      return {
        values: (issue) => [issue],
        operand: stringOperand,
        equals: (issue: JqlIssue, value: string) =>
          isNumericIssueId(value) ? issue.id === value.trim() : ci(issue.key, value.trim()),
        compare: (issue: JqlIssue, value: string) => {
          if (isNumericIssueId(value)) return Number(issue.id) - Number(value);
          // Jira orders keys only within a project: key > ABC-5 never returns XYZ-9.
          const mine = parseIssueKey(issue.key);
          const theirs = parseIssueKey(value);
          if (mine === undefined || theirs === undefined || mine.projectKey !== theirs.projectKey) return undefined;
          return mine.number - theirs.number;
        },
      } satisfies Accessor<JqlIssue, string>;
    case 'text':
      if (field === 'text') return textAccessor((issue) => [issue.summary, issue.description]);
      if (field === 'summary') return textAccessor((issue) => [issue.summary]);
      return textAccessor((issue) => [issue.description]);
    case 'label':
      return {
        values: (issue) => issue.labels,
        operand: stringOperand,
        equals: ci,
      } satisfies Accessor<string, string>;
    case 'name':
      return nameAccessor((issue) => (field === 'status' ? issue.statusName : issue.issueTypeName));
    case 'resolution':
      return nameAccessor((issue) => issue.resolution);
    case 'statusCategory':
      return {
        values: (issue) => [issue.statusCategory],
        operand: (operand) => (operand.kind === 'value' ? resolveStatusCategory(operand.value) : undefined),
        equals: (value, operand) => value === operand,
      } satisfies Accessor<string, string>;
    case 'priority': {
      const rank = priorityRanker(ctx.priorityOrder);
      return {
        ...nameAccessor((issue) => issue.priorityName),
        compare: (value: string, operand: string) => {
          const a = rank(value);
          const b = rank(operand);
          return a === undefined || b === undefined ? undefined : a - b;
        },
      } satisfies Accessor<string, string>;
    }
    case 'user':
      return {
        values: (issue) => {
          const id = field === 'assignee' ? issue.assigneeId : issue.reporterId;
          return id === undefined ? [] : [id];
        },
        operand: (operand) => userOperand(operand, ctx),
        equals: (value, operand) => value === operand,
      } satisfies Accessor<string, string>;
    case 'date':
      return {
        values: (issue) => {
          const raw = field === 'created' ? issue.created : field === 'updated' ? issue.updated : issue.resolved;
          const ms = toEpochMs(raw);
          return ms === undefined ? [] : [ms];
        },
        operand: (operand) => dateOperand(operand, ctx),
        // JQL dates are written to the minute, so "=" means the same minute.
        equals: (value, operand) => jqlMinute(value) === jqlMinute(operand),
        compare: (value, operand) => value - operand,
      } satisfies Accessor<number, number>;
  }
}

// resolution = Unresolved is Jira's spelling of resolution IS EMPTY.
function normaliseResolutionOperand(operand: JqlOperand): JqlOperand {
  const fix = (item: JqlSingleOperand): JqlSingleOperand =>
    item.kind === 'value' && item.value.trim().toLowerCase() === 'unresolved' ? { kind: 'empty' } : item;
  return operand.kind === 'list' ? { kind: 'list', items: operand.items.map(fix) } : fix(operand);
}

const RANGE_TESTS: Readonly<Record<'>' | '>=' | '<' | '<=', (c: number) => boolean>> = {
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
};

function applyOperator(accessor: Accessor<unknown, unknown>, operator: JqlOperator, operand: JqlOperand): JqlPredicate {
  const items = operand.kind === 'list' ? operand.items : [operand];
  switch (operator) {
    case 'IS':
      return (issue) => accessor.values(issue).length === 0;
    case 'IS NOT':
      return (issue) => accessor.values(issue).length > 0;
    case '=':
    case 'IN':
    case '!=':
    case 'NOT IN': {
      const wantsEmpty = items.some((item) => item.kind === 'empty');
      const operands = items.flatMap((item) => {
        if (item.kind === 'empty') return [];
        const resolved = accessor.operand(item);
        return resolved === undefined ? [] : [resolved];
      });
      const positive = operator === '=' || operator === 'IN';
      return (issue) => {
        const values = accessor.values(issue);
        if (values.length === 0) return positive && wantsEmpty;
        const hit = values.some((value) => operands.some((o) => accessor.equals(value, o)));
        return positive ? hit : !hit;
      };
    }
    case '>':
    case '>=':
    case '<':
    case '<=': {
      const test = RANGE_TESTS[operator];
      const single = items[0];
      const resolved = single === undefined || single.kind === 'empty' ? undefined : accessor.operand(single);
      if (resolved === undefined || accessor.compare === undefined) return () => false;
      return (issue) =>
        accessor.values(issue).some((value) => {
          const c = accessor.compare?.(value, resolved);
          return c !== undefined && test(c);
        });
    }
    case '~':
    case '!~': {
      const single = items[0];
      if (single === undefined || single.kind !== 'value' || accessor.contains === undefined) return () => false;
      const query = single.value;
      return (issue) => {
        const values = accessor.values(issue);
        if (values.length === 0) return false;
        const hit = values.some((value) => accessor.contains?.(value, query) === true);
        return operator === '~' ? hit : !hit;
      };
    }
  }
}

/** A predicate for one clause; clauses naming fields we do not know match nothing (validation reports them). */
export function compileClause(clause: JqlClause, ctx: JqlContext): JqlPredicate {
  const { field } = clause;
  if (field.kind === 'property') {
    return applyOperator(propertyAccessor(field.propertyKey, field.path, ctx), clause.operator, clause.operand);
  }
  const name = resolveJqlField(field.name);
  if (name === undefined) return () => false;
  const operand = name === 'resolution' ? normaliseResolutionOperand(clause.operand) : clause.operand;
  return applyOperator(accessorFor(JQL_FIELD_SPECS[name].valueType, name, ctx), clause.operator, operand);
}
