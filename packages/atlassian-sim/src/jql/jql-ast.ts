// The syntax tree parseJql produces. It records what was written (field names as typed, values as strings)
// and leaves interpretation (which field, which date, which user) to validation and evaluation, as Jira does.

export const JQL_OPERATORS = ['=', '!=', '~', '!~', '>', '>=', '<', '<=', 'IN', 'NOT IN', 'IS', 'IS NOT'] as const;
export type JqlOperator = (typeof JQL_OPERATORS)[number];

export const JQL_SORT_DIRECTIONS = ['ASC', 'DESC'] as const;
export type JqlSortDirection = (typeof JQL_SORT_DIRECTIONS)[number];

/** 1-based, as in Jira's "(line 1, character 12)". */
export interface JqlPosition {
  readonly line: number;
  readonly character: number;
}

export type JqlFieldRef =
  | { readonly kind: 'field'; readonly name: string }
  // issue.property[propertyKey].path.to.value; an empty path means the whole property value.
  | { readonly kind: 'property'; readonly propertyKey: string; readonly path: readonly string[] };

export interface JqlValue {
  readonly kind: 'value';
  readonly value: string;
  readonly quoted: boolean;
}

export interface JqlFunctionCall {
  readonly kind: 'function';
  readonly name: string;
  readonly args: readonly string[];
}

/** EMPTY or NULL, written as a value (`= EMPTY`, `IS NULL`, `IN (EMPTY, x)`). */
export interface JqlEmpty {
  readonly kind: 'empty';
}

export type JqlSingleOperand = JqlValue | JqlFunctionCall | JqlEmpty;

export interface JqlList {
  readonly kind: 'list';
  readonly items: readonly JqlSingleOperand[];
}

export type JqlOperand = JqlSingleOperand | JqlList;

export interface JqlClause {
  readonly kind: 'clause';
  readonly field: JqlFieldRef;
  readonly operator: JqlOperator;
  readonly operand: JqlOperand;
}

export interface JqlAnd {
  readonly kind: 'and';
  readonly clauses: readonly JqlNode[];
}

export interface JqlOr {
  readonly kind: 'or';
  readonly clauses: readonly JqlNode[];
}

export interface JqlNot {
  readonly kind: 'not';
  readonly clause: JqlNode;
}

export type JqlNode = JqlClause | JqlAnd | JqlOr | JqlNot;

export interface JqlSort {
  readonly field: JqlFieldRef;
  /** undefined when not written: each field then sorts in its own default direction, as in Jira. */
  readonly direction: JqlSortDirection | undefined;
}

export interface JqlQuery {
  /** undefined for an empty query or one that is only ORDER BY. */
  readonly where: JqlNode | undefined;
  readonly orderBy: readonly JqlSort[];
}

/** Every fallible step returns this instead of throwing: the route copies errorMessages into a 400 body. */
export interface JqlFailure {
  readonly ok: false;
  readonly errorMessages: readonly string[];
}

/** How a field is written back in messages: as typed, or Jira's issue.property[key].path form. */
export function formatJqlField(field: JqlFieldRef): string {
  if (field.kind === 'field') return field.name;
  return `issue.property[${field.propertyKey}]${field.path.map((p) => `.${p}`).join('')}`;
}
