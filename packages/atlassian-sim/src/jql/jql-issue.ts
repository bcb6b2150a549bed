// The flat view of an issue that JQL evaluation reads. The simulator's store maps its records onto this, so the
// evaluator never depends on how issues are stored (ADF descriptions arrive here already as plain text).
import type { StatusCategory } from './status-categories.ts';

export interface JqlIssue {
  /** Numeric, as a string, like Jira's issue id. */
  readonly id: string;
  readonly key: string;
  readonly projectKey: string;
  readonly projectId: string;
  readonly projectName?: string;
  readonly summary: string;
  readonly description?: string;
  readonly labels: readonly string[];
  readonly statusName: string;
  readonly statusCategory: StatusCategory;
  readonly issueTypeName: string;
  readonly priorityName?: string;
  readonly assigneeId?: string;
  readonly reporterId?: string;
  /** ISO 8601 strings or epoch milliseconds. */
  readonly created: string | number;
  readonly updated: string | number;
  readonly resolved?: string | number;
  readonly resolution?: string;
  /** Entity properties by key, values as stored JSON. */
  readonly properties: ReadonlyMap<string, unknown>;
}

export interface JqlContext {
  /** Epoch ms that relative dates and now() are measured from. */
  readonly now: number;
  /** Account id behind currentUser(); undefined for anonymous requests, which then match no one. */
  readonly currentUserId?: string | undefined;
  /** Priority names from highest to lowest, for priority > X and ORDER BY priority; defaults cover Cloud and DC. */
  readonly priorityOrder?: readonly string[];
}

// Cloud's defaults and Data Center's older defaults, interleaved at the same levels, highest first.
const DEFAULT_PRIORITY_LEVELS: readonly (readonly string[])[] = [
  ['highest', 'blocker'],
  ['high', 'critical'],
  ['medium', 'major'],
  ['low', 'minor'],
  ['lowest', 'trivial'],
];

/** Higher number = higher priority; undefined for names outside the scheme. */
export function priorityRanker(order: readonly string[] | undefined): (name: string) => number | undefined {
  const ranks = new Map<string, number>();
  if (order !== undefined) order.forEach((name, i) => ranks.set(name.toLowerCase(), order.length - i));
  else
    DEFAULT_PRIORITY_LEVELS.forEach((names, i) =>
      names.forEach((n) => ranks.set(n, DEFAULT_PRIORITY_LEVELS.length - i)),
    );
  return (name) => ranks.get(name.toLowerCase());
}

/**
 * The values at issue.property[key].path: arrays are flattened at every step, the way Jira indexes each array
 * element as a separate value, so `path.to.tags = x` matches when any element is x.
 */
export function readJqlProperty(issue: JqlIssue, propertyKey: string, path: readonly string[]): unknown[] {
  if (!issue.properties.has(propertyKey)) return [];
  let current: unknown[] = [issue.properties.get(propertyKey)];
  for (const segment of path) {
    const next: unknown[] = [];
    for (const value of current.flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]))) {
      if (value !== null && typeof value === 'object' && Object.hasOwn(value, segment)) {
        next.push((value as Record<string, unknown>)[segment]);
      }
    }
    current = next;
  }
  return current
    .flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]))
    .filter((v) => v !== null && v !== undefined);
}
