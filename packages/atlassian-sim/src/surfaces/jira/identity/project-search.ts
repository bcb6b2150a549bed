import type { Project } from '../../../world/types.ts';
import type { ProjectInsight } from './project-beans.ts';

/** `orderBy` fields of GET project/search (spec enum, each also with a `+`/`-` prefix). */
export const PROJECT_ORDER_FIELDS = [
  'category',
  'key',
  'name',
  'owner',
  'issueCount',
  'lastIssueUpdatedDate',
  'archivedDate',
  'deletedDate',
] as const;
export type ProjectOrderField = (typeof PROJECT_ORDER_FIELDS)[number];

export const PROJECT_STATUSES = ['live', 'archived', 'deleted'] as const;
export type ProjectStatusFilter = (typeof PROJECT_STATUSES)[number];

export interface ProjectOrder {
  field: ProjectOrderField;
  descending: boolean;
}

/** Parses `orderBy` (default `key`); undefined when the value is not one Jira accepts. */
export function parseProjectOrder(raw: string | null): ProjectOrder | undefined {
  const value = raw === null || raw === '' ? 'key' : raw;
  const descending = value.startsWith('-');
  const field = value.replace(/^[+-]/, '');
  return (PROJECT_ORDER_FIELDS as readonly string[]).includes(field)
    ? { field: field as ProjectOrderField, descending }
    : undefined;
}

export interface ProjectFilter {
  query?: string;
  keys: string[];
  ids: string[];
  typeKeys: string[];
  statuses: ProjectStatusFilter[];
}

/** Reads the filter parameters; repeated `keys`/`id` and comma-separated `typeKey`/`status`, as the spec describes. */
export function parseProjectFilter(query: URLSearchParams): ProjectFilter {
  const list = (name: string) =>
    query
      .getAll(name)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== '');
  const q = query.get('query');
  const statuses = list('status').filter((s): s is ProjectStatusFilter =>
    (PROJECT_STATUSES as readonly string[]).includes(s),
  );
  return {
    ...(q !== null && q !== '' ? { query: q.toLowerCase() } : {}),
    // Up to 50 keys and ids are honoured; Jira ignores the rest.
    keys: query.getAll('keys').slice(0, 50),
    ids: query.getAll('id').slice(0, 50),
    typeKeys: list('typeKey'),
    statuses: statuses.length > 0 ? statuses : ['live'],
  };
}

/** Whether any narrowing criterion was given: only then does an empty result answer 404. */
export function hasCriteria(filter: ProjectFilter): boolean {
  return filter.query !== undefined || filter.keys.length > 0 || filter.ids.length > 0 || filter.typeKeys.length > 0;
}

export function matchesProjectFilter(project: Project, filter: ProjectFilter): boolean {
  const status: ProjectStatusFilter = project.archived ? 'archived' : 'live';
  if (!filter.statuses.includes(status)) return false;
  if (filter.keys.length > 0 && !filter.keys.includes(project.key)) return false;
  if (filter.ids.length > 0 && !filter.ids.includes(project.id)) return false;
  if (filter.typeKeys.length > 0 && !filter.typeKeys.includes(project.projectTypeKey)) return false;
  // "Projects with a matching key or name are returned (case insensitive)": a substring match.
  if (
    filter.query !== undefined &&
    !project.key.toLowerCase().includes(filter.query) &&
    !project.name.toLowerCase().includes(filter.query)
  )
    return false;
  return true;
}

export interface OrderContext {
  insights: Map<string, ProjectInsight>;
  leadName: (project: Project) => string;
}

/** Sorts in place; ties fall back to the key so that pages never overlap or skip. */
export function sortProjects(projects: Project[], order: ProjectOrder, ctx: OrderContext): Project[] {
  const value = (p: Project): string | number => {
    switch (order.field) {
      case 'name':
        return p.name.toLowerCase();
      case 'owner':
        return ctx.leadName(p).toLowerCase();
      case 'issueCount':
        return ctx.insights.get(p.id)?.totalIssueCount ?? 0;
      case 'lastIssueUpdatedDate':
        return ctx.insights.get(p.id)?.lastIssueUpdateTime ?? '';
      // No categories, archive or delete dates exist in the simulated world: these order by key alone.
      case 'category':
      case 'archivedDate':
      case 'deletedDate':
      case 'key':
        return p.key;
    }
  };
  const sign = order.descending ? -1 : 1;
  return projects.sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va < vb) return -sign;
    if (va > vb) return sign;
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
}
