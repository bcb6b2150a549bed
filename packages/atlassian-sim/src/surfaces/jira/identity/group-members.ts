import type { DirectoryGroup, JiraDirectory } from './jira-directory.ts';
import { offsetPage, type OffsetPage } from './offset-page.ts';

/** Fields of a group member in group/member: `UserDetails` on cloud, `UserJsonBean` on DC (no locale, no groups). */
const MEMBER_FIELDS = [
  'self',
  'accountId',
  'accountType',
  'key',
  'name',
  'emailAddress',
  'avatarUrls',
  'displayName',
  'active',
  'timeZone',
] as const;

function memberBean(bean: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of MEMBER_FIELDS) if (bean[k] !== undefined) out[k] = bean[k];
  return out;
}

/**
 * One page of a group's members. Jira orders them by username; cloud hides usernames, so display name (then
 * accountId) stands in, which keeps pages stable. Inactive accounts are left out unless asked for
 * (`includeInactiveUsers` defaults to false), and `total` counts only what is listed.
 */
export function groupMemberPage(
  dir: JiraDirectory,
  group: DirectoryGroup,
  options: {
    includeInactive: boolean;
    startAt: number;
    maxResults: number;
    version: 2 | 3;
    base: string;
    query: URLSearchParams;
  },
): OffsetPage<Record<string, unknown>> {
  const members = group.members.filter((idx) => options.includeInactive || dir.users[idx]?.active === true);
  const sortKey = (idx: number): string => {
    const user = dir.users[idx];
    if (!user) return '';
    return dir.deployment === 'dc' ? user.ref.toLowerCase() : `${user.displayName.toLowerCase()}\u0000${user.ref}`;
  };
  const keyed = members
    .map((idx) => ({ idx, key: sortKey(idx) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const page = offsetPage(keyed, options.startAt, options.maxResults, options.base, options.query);
  return {
    ...page,
    values: page.values.flatMap(({ idx }) => {
      const bean = dir.userBeanAt(idx, options.version);
      return bean ? [memberBean(bean)] : [];
    }),
  };
}
