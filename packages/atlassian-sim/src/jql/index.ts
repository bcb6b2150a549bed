// Public API of the simulator's JQL subset: parse, validate, check boundedness, compile to filter + sort.
export type {
  JqlClause,
  JqlEmpty,
  JqlFailure,
  JqlFieldRef,
  JqlFunctionCall,
  JqlList,
  JqlNode,
  JqlOperand,
  JqlOperator,
  JqlPosition,
  JqlQuery,
  JqlSingleOperand,
  JqlSort,
  JqlSortDirection,
  JqlValue,
} from './jql-ast.ts';
export { JQL_OPERATORS, JQL_SORT_DIRECTIONS, formatJqlField } from './jql-ast.ts';
export { parseJql, type ParseJqlResult } from './parse-jql.ts';
export { parseAndValidateJql, validateJql, type JqlLookup, type ValidateJqlResult } from './validate-jql.ts';
export { isBounded, UNBOUNDED_JQL_MESSAGE } from './is-bounded.ts';
export { compileJql, type CompiledJql, type JqlContext, type JqlIssue } from './evaluate-jql.ts';
export { JQL_FIELDS, resolveJqlField, type JqlFieldName } from './jql-fields.ts';
export { JQL_FUNCTIONS, type JqlFunctionName } from './jql-functions.ts';
export { STATUS_CATEGORIES, type StatusCategory } from './status-categories.ts';
export { compareIssueKeys, parseIssueKey, type ParsedIssueKey } from './issue-keys.ts';
