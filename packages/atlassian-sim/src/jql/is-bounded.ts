// Jira Cloud's enhanced search (/rest/api/3/search/jql) answers unbounded queries with 400
// "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.".
//
// Our model of Atlassian's rule: a query is bounded when its WHERE part restricts the result by something.
//   - no WHERE part (empty query, or ORDER BY only)  -> unbounded
//   - any single clause (project = X, key in (...), updated >= -1d, issue.property[x].y = 'z', ...) -> bounded
//   - A AND B -> bounded when either side is (one restriction bounds the whole conjunction)
//   - A OR B  -> bounded only when both sides are (an unbounded branch lets everything through)
//   - NOT A   -> bounded when A is (Jira pushes NOT down into the clauses, which still restrict)
// Atlassian does not publish the rule; the clause-level test is kept in one function so it can be tightened
// (for example, to call `project IS NOT EMPTY` unbounded) if real Jira is seen to be stricter.
import type { JqlClause, JqlNode, JqlQuery } from './jql-ast.ts';

export const UNBOUNDED_JQL_MESSAGE =
  'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';

function clauseRestricts(_clause: JqlClause): boolean {
  return true;
}

function isNodeBounded(node: JqlNode): boolean {
  switch (node.kind) {
    case 'clause':
      return clauseRestricts(node);
    case 'and':
      return node.clauses.some(isNodeBounded);
    case 'or':
      return node.clauses.every(isNodeBounded);
    case 'not':
      return isNodeBounded(node.clause);
  }
}

export function isBounded(query: JqlQuery): boolean {
  return query.where !== undefined && isNodeBounded(query.where);
}
