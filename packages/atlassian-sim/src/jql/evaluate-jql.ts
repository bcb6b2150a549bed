// Compiles a parsed (and ideally validated) query into a filter and a sort for the simulator's issue store.
import type { JqlClause, JqlNode, JqlOperator, JqlQuery } from './jql-ast.ts';
import { compileJqlOrder } from './compile-jql-order.ts';
import type { JqlContext, JqlIssue } from './jql-issue.ts';
import { compileClause, type JqlPredicate } from './compile-clause.ts';

export type { JqlContext, JqlIssue } from './jql-issue.ts';

export interface CompiledJql {
  matches(issue: JqlIssue): boolean;
  /** For Array.prototype.sort: ORDER BY, then created DESC, then id DESC. */
  compare(a: JqlIssue, b: JqlIssue): number;
}

const NEGATED: Readonly<Record<JqlOperator, JqlOperator>> = {
  '=': '!=',
  '!=': '=',
  '~': '!~',
  '!~': '~',
  '>': '<=',
  '>=': '<',
  '<': '>=',
  '<=': '>',
  IN: 'NOT IN',
  'NOT IN': 'IN',
  IS: 'IS NOT',
  'IS NOT': 'IS',
};

// Jira documents `NOT field = value` as the same as `field != value`, including not matching issues where the
// field is empty; so NOT is pushed down to the clauses (De Morgan) instead of complementing the result set.
function negate(node: JqlNode): JqlNode {
  switch (node.kind) {
    case 'clause':
      return { ...node, operator: NEGATED[node.operator] } satisfies JqlClause;
    case 'and':
      return { kind: 'or', clauses: node.clauses.map(negate) };
    case 'or':
      return { kind: 'and', clauses: node.clauses.map(negate) };
    case 'not':
      return node.clause;
  }
}

function compileNode(node: JqlNode, ctx: JqlContext): JqlPredicate {
  switch (node.kind) {
    case 'clause':
      return compileClause(node, ctx);
    case 'and': {
      const parts = node.clauses.map((child) => compileNode(child, ctx));
      return (issue) => parts.every((part) => part(issue));
    }
    case 'or': {
      const parts = node.clauses.map((child) => compileNode(child, ctx));
      return (issue) => parts.some((part) => part(issue));
    }
    case 'not':
      return compileNode(negate(node.clause), ctx);
  }
}

export function compileJql(query: JqlQuery, ctx: JqlContext): CompiledJql {
  const matches = query.where === undefined ? () => true : compileNode(query.where, ctx);
  const compare = compileJqlOrder(query.orderBy, ctx);
  return { matches, compare };
}
