// Issue keys as JQL sees them: PROJECT-123, compared by project then by number, so ABC-10 sorts after ABC-9.

export interface ParsedIssueKey {
  readonly projectKey: string;
  readonly number: number;
}

const KEY = /^([A-Za-z][A-Za-z0-9_]*)-(\d+)$/;
const NUMERIC_ID = /^\d+$/;

export function parseIssueKey(key: string): ParsedIssueKey | undefined {
  const match = KEY.exec(key.trim());
  if (match === null) return undefined;
  return { projectKey: (match[1] ?? '').toUpperCase(), number: Number(match[2]) };
}

export function isNumericIssueId(value: string): boolean {
  return NUMERIC_ID.test(value.trim());
}

/** key, issuekey and id all accept either a key or a numeric id, as in Jira. */
export function isJqlIssueRef(value: string): boolean {
  return isNumericIssueId(value) || parseIssueKey(value) !== undefined;
}

/** Negative, zero or positive; keys that do not parse sort as plain strings after those that do. */
export function compareIssueKeys(a: string, b: string): number {
  const pa = parseIssueKey(a);
  const pb = parseIssueKey(b);
  if (pa === undefined || pb === undefined) {
    if (pa !== undefined) return -1;
    if (pb !== undefined) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (pa.projectKey !== pb.projectKey) return pa.projectKey < pb.projectKey ? -1 : 1;
  return pa.number - pb.number;
}
