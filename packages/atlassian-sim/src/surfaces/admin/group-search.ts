import type { Org, OrgGroup } from '../../world/types.ts';
import { orgIndex } from './org-index.ts';
import { createFieldReader, type FieldSource } from './request-fields.ts';
import { V2_DEFAULT_LIMIT, V2_MAX_LIMIT } from './user-search.ts';

/** `expand` of the v2 group search (`MultiDirectoryGroupSearchRequest.expand`). */
export const GROUP_EXPANDS = ['counts.resources', 'counts.users'] as const;
export type GroupExpand = (typeof GROUP_EXPANDS)[number];

export interface GroupSearch {
  cursor?: string;
  limit: number;
  accountIds?: string[];
  directoryIds?: string[];
  groupIds?: string[];
  groupNames?: string[];
  resourceIds?: string[];
  resourceOwners?: string[];
  roleIds?: string[];
  searchTerm?: string;
  expand: Set<GroupExpand>;
  sortDirection?: 'asc' | 'desc';
}

export const GROUP_QUERY_LISTS = [
  'accountIds',
  'directoryIds',
  'groupIds',
  'groupNames',
  'resourceIds',
  'resourceOwners',
  'roleIds',
  'expand',
] as const;

export function readGroupSearch(source: FieldSource): GroupSearch | string[] {
  const r = createFieldReader(source);
  const search: GroupSearch = { limit: r.integer('limit', 1, V2_MAX_LIMIT) ?? V2_DEFAULT_LIMIT, expand: new Set() };
  const set = <K extends keyof GroupSearch>(key: K, value: GroupSearch[K] | undefined) => {
    if (value !== undefined) search[key] = value;
  };
  set('cursor', r.string('cursor'));
  set('accountIds', r.stringList('accountIds', { max: 10, unique: true }));
  set('directoryIds', r.stringList('directoryIds', { max: 10, unique: true }));
  set('groupIds', r.stringList('groupIds', { max: 10, unique: true }));
  set('groupNames', r.stringList('groupNames', { max: 100, unique: true }));
  set('resourceIds', r.stringList('resourceIds', { max: 20, unique: true }));
  set('resourceOwners', r.stringList('resourceOwners', { max: 10, unique: true }));
  set('roleIds', r.stringList('roleIds', { max: 10, unique: true }));
  set('searchTerm', r.string('searchTerm'));
  for (const e of r.stringList('expand', { max: 2, allowed: GROUP_EXPANDS, unique: true }) ?? [])
    search.expand.add(e as GroupExpand);
  const sortBy = r.objectList('sortBy', 1, `field must be name and direction asc or desc`, (item) =>
    item['field'] === 'name' && (item['direction'] === 'asc' || item['direction'] === 'desc')
      ? item['direction']
      : undefined,
  );
  if (sortBy?.[0]) search.sortDirection = sortBy[0];
  return r.problems.length > 0 ? r.problems : search;
}

/** The indexes of the matching groups in listing order; `directoryId` `-` means all directories. */
export function searchGroups(org: Org, directoryId: string, search: GroupSearch): number[] {
  const index = orgIndex(org);
  const memberIdxs = search.accountIds?.map((id) => index.userByAccountId.get(id) ?? -1);
  const names = search.groupNames && new Set(search.groupNames.map((n) => n.toLowerCase()));
  const term = search.searchTerm?.toLowerCase();
  const matches: number[] = [];
  for (const [g, group] of org.groups.entries()) {
    if (directoryId !== '-' && group.directoryId !== directoryId) continue;
    if (search.directoryIds && !search.directoryIds.includes(group.directoryId)) continue;
    if (search.groupIds && !search.groupIds.includes(group.id)) continue;
    if (names && !names.has(group.name.toLowerCase())) continue;
    if (term !== undefined && !group.name.toLowerCase().includes(term)) continue;
    if (memberIdxs && !memberIdxs.some((u) => group.members.includes(u))) continue;
    // Groups in the world grant no roles on resources, so any role or resource filter matches none.
    if (search.resourceIds || search.resourceOwners || search.roleIds) continue;
    matches.push(g);
  }
  if (search.sortDirection) {
    const sign = search.sortDirection === 'asc' ? 1 : -1;
    matches.sort((a, b) => sign * (org.groups[a]?.name ?? '').localeCompare(org.groups[b]?.name ?? '') || a - b);
  }
  return matches;
}

/** `MultiDirectoryGroup`; `counts` only carries what was expanded (all of it on the single-group endpoint). */
export function directoryGroup(
  base: string,
  org: Org,
  group: OrgGroup,
  expand: ReadonlySet<GroupExpand>,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: group.id,
    name: group.name,
    description: group.description,
    directoryId: group.directoryId,
    externalSynced: false,
    // Why: a group that grants admin access cannot be deleted (ADMIN-403-7), so Atlassian marks it not deletable.
    managementAccess: { readable: true, modifiable: true, deletable: !group.grantsSiteAdmin },
    links: { self: `${base}/v2/orgs/${org.id}/directories/${group.directoryId}/groups/${group.id}` },
  };
  const counts: Record<string, number> = {};
  if (expand.has('counts.users')) counts['users'] = group.members.length;
  if (expand.has('counts.resources')) counts['resources'] = 0;
  if (expand.size > 0) body['counts'] = counts;
  return body;
}
