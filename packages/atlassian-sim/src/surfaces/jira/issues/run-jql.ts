// Runs a JQL query over one site's issues as one caller sees them: parse, validate against the projects the caller
// can browse, (on cloud) insist on a bounded query, filter, sort.
import { compileJql, isBounded, parseAndValidateJql, UNBOUNDED_JQL_MESSAGE } from '../../../jql/index.ts';
import type { Issue, Project } from '../../../world/types.ts';
import type { IssueContext } from './issue-context.ts';
import { toJqlIssue } from './jql-view.ts';

export type JqlRun = { ok: true; issues: Issue[] } | { ok: false; errorMessages: string[] };

export function runJql(
  ctx: IssueContext,
  userRef: string | undefined,
  jql: string,
  options: { requireBounded: boolean },
): JqlRun {
  const data = ctx.jira.data;
  // Browse permission is decided per project once; an anonymous caller sees only open projects.
  const visible = new Map<string, Project>();
  for (const project of data.projects) if (ctx.canBrowse(userRef, project)) visible.set(project.id, project);
  const lookup = {
    // Jira answers "does not exist" for projects the caller cannot see, so they cannot be probed through JQL.
    projectExists: (keyOrId: string) => {
      const wanted = keyOrId.trim().toLowerCase();
      return [...visible.values()].some(
        (p) => p.id === wanted || p.key.toLowerCase() === wanted || p.name.toLowerCase() === wanted,
      );
    },
  };
  const parsed = parseAndValidateJql(jql, lookup);
  if (!parsed.ok) return { ok: false, errorMessages: [...parsed.errorMessages] };
  if (options.requireBounded && !isBounded(parsed.query)) return { ok: false, errorMessages: [UNBOUNDED_JQL_MESSAGE] };
  const compiled = compileJql(parsed.query, { now: ctx.state.now(), currentUserId: userRef });
  const statuses = new Map(data.statuses.map((s) => [s.id, s]));
  const typeNames = new Map(data.issueTypes.map((t) => [t.id, t.name]));
  const view = {
    project: (i: Issue) => visible.get(i.projectId),
    status: (id: string) => statuses.get(id),
    issueTypeName: (id: string) => typeNames.get(id) ?? '',
  };
  const matches: { issue: Issue; jql: ReturnType<typeof toJqlIssue> }[] = [];
  for (const issue of data.issues) {
    if (!visible.has(issue.projectId)) continue;
    const jqlIssue = toJqlIssue(issue, view);
    if (compiled.matches(jqlIssue)) matches.push({ issue, jql: jqlIssue });
  }
  matches.sort((a, b) => compiled.compare(a.jql, b.jql));
  return { ok: true, issues: matches.map((m) => m.issue) };
}
