import type { Org } from '../../world/types.ts';
import { orgIndex } from './org-index.ts';
import { createFieldReader, type FieldSource } from './request-fields.ts';
import { ROLE_IDS, resourceIdOf, roleIdOf } from './role-ids.ts';
import {
  MEMBERSHIP_STATUSES,
  USER_EXPANDS,
  USER_STATUSES,
  directoryStatus,
  inDirectory,
  membershipStatus,
  mfaEnabled,
  platformRoles,
  type UserExpand,
} from './directory-user.ts';

/** A validated v2 user search (`MultiDirectoryUserSearchRequest`), from a POST body or the deprecated GET query. */
export interface UserSearch {
  cursor?: string;
  limit: number;
  accountIds?: string[];
  accountStatus?: string[];
  status?: string[];
  membershipStatus?: string[];
  claimStatus?: string;
  directoryIds?: string[];
  emailDomains?: string[];
  emails?: string[];
  groupIds?: string[];
  resourceIds?: string[];
  roleIds?: string[];
  mfaEnabled?: boolean;
  searchTerm?: string;
  expand: Set<UserExpand>;
  sortDirection?: 'asc' | 'desc';
}

/** v2 `limit`: default 20, at most 100 (`limitParam` in the spec). */
export const V2_DEFAULT_LIMIT = 20;
export const V2_MAX_LIMIT = 100;

/** The array parameters of the deprecated `GET …/users`, for `querySource`. */
export const USER_QUERY_LISTS = [
  'accountIds',
  'accountStatus',
  'status',
  'membershipStatus',
  'directoryIds',
  'emailDomains',
  'emails',
  'groupIds',
  'resourceIds',
  'roleIds',
  'expand',
] as const;

/** Validates a search request; returns the problems when there are any. */
export function readUserSearch(source: FieldSource): UserSearch | string[] {
  const r = createFieldReader(source);
  const search: UserSearch = { limit: r.integer('limit', 1, V2_MAX_LIMIT) ?? V2_DEFAULT_LIMIT, expand: new Set() };
  const set = <K extends keyof UserSearch>(key: K, value: UserSearch[K] | undefined) => {
    if (value !== undefined) search[key] = value;
  };
  set('cursor', r.string('cursor'));
  set('accountIds', r.stringList('accountIds', { max: 10 }));
  set('accountStatus', r.stringList('accountStatus', { max: 3, allowed: ['active', 'inactive', 'closed'] }));
  set('status', r.stringList('status', { max: 4, allowed: USER_STATUSES }));
  set('membershipStatus', r.stringList('membershipStatus', { max: 3, allowed: MEMBERSHIP_STATUSES }));
  const claim = r.string('claimStatus');
  if (claim !== undefined && claim !== 'managed' && claim !== 'unmanaged')
    r.problems.push('claimStatus must be managed or unmanaged');
  else set('claimStatus', claim);
  set('directoryIds', r.stringList('directoryIds', { max: 10 }));
  set('emailDomains', r.stringList('emailDomains', { max: 10 }));
  set('emails', r.stringList('emails', { max: 100, unique: true }));
  set('groupIds', r.stringList('groupIds', { max: 10 }));
  set('resourceIds', r.stringList('resourceIds', { max: 20 }));
  set('roleIds', r.stringList('roleIds', { max: 10, allowed: ROLE_IDS }));
  set('mfaEnabled', r.boolean('mfaEnabled'));
  set('searchTerm', r.string('searchTerm'));
  for (const e of r.stringList('expand', { max: USER_EXPANDS.length, allowed: USER_EXPANDS, unique: true }) ?? [])
    search.expand.add(e as UserExpand);
  const sortBy = r.objectList('sortBy', 1, `field must be nick_name and direction asc or desc`, (item) =>
    item['field'] === 'nick_name' && (item['direction'] === 'asc' || item['direction'] === 'desc')
      ? item['direction']
      : undefined,
  );
  if (sortBy?.[0]) search.sortDirection = sortBy[0];
  // Why: the spec says emails and searchTerm are mutually exclusive; Atlassian rejects a request that sends both.
  if (search.emails && search.searchTerm !== undefined)
    r.problems.push('emails and searchTerm cannot be used together');
  return r.problems.length > 0 ? r.problems : search;
}

const lower = (s: string) => s.toLowerCase();

/** Fields of a search that do not narrow it: a search with nothing else lists the whole directory. */
const NOT_FILTERS = new Set<string>(['cursor', 'limit', 'expand']);

/** The indexes of the directory users that match, in listing order. `directoryId` `-` means every directory. */
export function searchUsers(org: Org, directoryId: string, search: UserSearch): readonly number[] {
  const index = orgIndex(org);
  // `readUserSearch` sets only the fields a request gave.
  if (Object.keys(search).every((field) => NOT_FILTERS.has(field))) {
    const cached = index.unfilteredSearches.get(directoryId);
    if (cached) return cached;
    const all = filterUsers(org, directoryId, search);
    index.unfilteredSearches.set(directoryId, all);
    return all;
  }
  return filterUsers(org, directoryId, search);
}

function filterUsers(org: Org, directoryId: string, search: UserSearch): number[] {
  const index = orgIndex(org);
  const accountIds = search.accountIds && new Set(search.accountIds);
  const emails = search.emails && new Set(search.emails.map(lower));
  const domains = search.emailDomains?.map(lower);
  const term = search.searchTerm === undefined ? undefined : lower(search.searchTerm);
  const groupMembers =
    search.groupIds &&
    new Set(search.groupIds.flatMap((id) => org.groups[index.groupById.get(id) ?? -1]?.members ?? []));
  const matches: number[] = [];
  for (const [i, user] of org.users.entries()) {
    if (!inDirectory(user)) continue;
    if (directoryId !== '-' && user.directoryId !== directoryId) continue;
    if (search.directoryIds && !search.directoryIds.includes(user.directoryId)) continue;
    if (accountIds && !accountIds.has(user.accountId)) continue;
    if (search.accountStatus && !search.accountStatus.includes(user.status)) continue;
    if (search.status && !search.status.includes(directoryStatus(user))) continue;
    if (search.membershipStatus && !search.membershipStatus.includes(membershipStatus(user))) continue;
    // Every account in the world has an email on the org's verified domain, so all are managed.
    if (search.claimStatus === 'unmanaged') continue;
    if (search.mfaEnabled !== undefined && mfaEnabled(i) !== search.mfaEnabled) continue;
    // Why the text and role filters are computed only when asked for: an unfiltered page (how clients walk the
    // whole directory) scans every account, and lower-casing 50,000 emails per page made the simulator, not the
    // client, the slow side of a benchmark.
    if (emails || domains || term !== undefined) {
      const email = user.email ? lower(user.email) : '';
      if (emails && !emails.has(email)) continue;
      if (domains && !domains.some((d) => email.endsWith(`@${d}`))) continue;
      if (
        term !== undefined &&
        !lower(user.name).includes(term) &&
        !lower(user.nickname).includes(term) &&
        !email.includes(term)
      )
        continue;
    }
    if (groupMembers && !groupMembers.has(i)) continue;
    if (
      search.resourceIds &&
      !(index.rolesByUser.get(i) ?? []).some((a) => search.resourceIds?.includes(resourceIdOf(a.resource, org.id)))
    )
      continue;
    if (search.roleIds) {
      const wanted = search.roleIds;
      // Site admin is held through a group rather than a role assignment; only look at groups when it is asked for.
      const direct = (index.rolesByUser.get(i) ?? []).some((a) => wanted.includes(roleIdOf(a.role)));
      if (
        !direct &&
        !(wanted.includes('atlassian/site-admin') && platformRoles(org, i).includes('atlassian/site-admin'))
      )
        continue;
    }
    matches.push(i);
  }
  if (search.sortDirection) {
    const sign = search.sortDirection === 'asc' ? 1 : -1;
    matches.sort((a, b) => sign * (org.users[a]?.nickname ?? '').localeCompare(org.users[b]?.nickname ?? '') || a - b);
  }
  return matches;
}
