// The system fields the simulator's JQL knows, with the operators Jira documents for each. Names are matched
// case-insensitively, and aliases resolve to one canonical name so evaluation has a single switch.
import type { JqlOperator, JqlSortDirection } from './jql-ast.ts';

export const JQL_FIELDS = [
  'project',
  'key',
  'id',
  'summary',
  'description',
  'text',
  'labels',
  'status',
  'statusCategory',
  'issuetype',
  'priority',
  'assignee',
  'reporter',
  'created',
  'updated',
  'resolution',
  'resolved',
] as const;
export type JqlFieldName = (typeof JQL_FIELDS)[number];

/** How a field's values are read and compared; several fields share one. */
export const JQL_VALUE_TYPES = [
  'project',
  'issue',
  'text',
  'label',
  'name',
  'statusCategory',
  'priority',
  'user',
  'date',
  'resolution',
] as const;
export type JqlValueType = (typeof JQL_VALUE_TYPES)[number];

export interface JqlFieldSpec {
  readonly valueType: JqlValueType;
  readonly operators: readonly JqlOperator[];
  readonly sortable: boolean;
  /** Direction for `ORDER BY field` without ASC/DESC: Jira sorts dates and priority newest/highest first. */
  readonly defaultDirection: JqlSortDirection;
}

const EQUALITY: readonly JqlOperator[] = ['=', '!=', 'IN', 'NOT IN'];
const EQUALITY_EMPTY: readonly JqlOperator[] = [...EQUALITY, 'IS', 'IS NOT'];
const ORDERED: readonly JqlOperator[] = [...EQUALITY_EMPTY, '>', '>=', '<', '<='];
const TEXT: readonly JqlOperator[] = ['~', '!~', 'IS', 'IS NOT'];

function spec(
  valueType: JqlValueType,
  operators: readonly JqlOperator[],
  options: { sortable?: boolean; defaultDirection?: JqlSortDirection } = {},
): JqlFieldSpec {
  return {
    valueType,
    operators,
    sortable: options.sortable ?? true,
    defaultDirection: options.defaultDirection ?? 'ASC',
  };
}

export const JQL_FIELD_SPECS: Readonly<Record<JqlFieldName, JqlFieldSpec>> = {
  project: spec('project', EQUALITY_EMPTY),
  key: spec('issue', [...EQUALITY, '>', '>=', '<', '<=']),
  id: spec('issue', [...EQUALITY, '>', '>=', '<', '<=']),
  summary: spec('text', TEXT),
  description: spec('text', TEXT),
  // Jira's catch-all text field only supports "contains" and cannot be sorted.
  text: spec('text', ['~'], { sortable: false }),
  labels: spec('label', EQUALITY_EMPTY),
  status: spec('name', EQUALITY),
  statusCategory: spec('statusCategory', EQUALITY),
  issuetype: spec('name', EQUALITY),
  priority: spec('priority', ORDERED, { defaultDirection: 'DESC' }),
  assignee: spec('user', EQUALITY_EMPTY),
  reporter: spec('user', EQUALITY_EMPTY),
  created: spec('date', ORDERED, { defaultDirection: 'DESC' }),
  updated: spec('date', ORDERED, { defaultDirection: 'DESC' }),
  resolution: spec('resolution', EQUALITY_EMPTY),
  resolved: spec('date', ORDERED, { defaultDirection: 'DESC' }),
};

/** Properties (issue.property[...]) have no declared type here, so every operator is allowed on them. */
export const JQL_PROPERTY_OPERATORS: readonly JqlOperator[] = [...ORDERED, '~', '!~'];

const ALIASES: Readonly<Record<string, JqlFieldName>> = {
  issuekey: 'key',
  issue: 'key',
  type: 'issuetype',
  createddate: 'created',
  updateddate: 'updated',
  resolutiondate: 'resolved',
};

const BY_LOWER_NAME: ReadonlyMap<string, JqlFieldName> = new Map([
  ...JQL_FIELDS.map((name) => [name.toLowerCase(), name] as const),
  ...Object.entries(ALIASES),
]);

/** The canonical field for a name as written, or undefined when Jira would say it does not exist. */
export function resolveJqlField(name: string): JqlFieldName | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}
