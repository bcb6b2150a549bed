import { confluenceV1Error } from '../errors.ts';
import type { Router } from '../route.ts';
import type { CloudConfluence } from './cloud-confluence.ts';
import { offsetPage } from './offset-page.ts';
import { v1AnonymousUser, v1Group, v1User } from './v1-beans.ts';

/**
 * Confluence Cloud REST v1 (`/wiki/rest/api`) for what v2 does not cover: groups, group members and users
 * (API-NOTES §2.3: "v2 has no group or user-directory endpoints").
 */

/** Group lists default to 25 a page; Confluence caps `limit` at a fixed system limit (200 here). */
export const V1_GROUP_DEFAULT_LIMIT = 25;
/** Member lists default to 200 a page, also the cap. */
export const V1_MEMBER_DEFAULT_LIMIT = 200;
export const V1_MAX_LIMIT = 200;

export function registerCloudV1Routes(router: Router, confluence: CloudConfluence): void {
  const { base } = confluence;

  router.get('/rest/api/group', (ctx) =>
    offsetPage(ctx, {
      items: confluence.org().groups,
      defaultLimit: V1_GROUP_DEFAULT_LIMIT,
      maxLimit: V1_MAX_LIMIT,
      base,
      context: '/wiki',
      serialize: (g) => v1Group(g, base),
    }),
  );

  router.get('/rest/api/group/member', (ctx) => {
    const groupId = ctx.query.get('groupId');
    if (!groupId) return confluenceV1Error(400, 'groupId is required');
    const org = confluence.org();
    const group = org.groups.find((g) => g.id === groupId);
    if (!group) return confluenceV1Error(404, `No group found with id : ${groupId}`);
    const members = group.members.flatMap((idx) => org.users[idx] ?? []);
    return offsetPage(ctx, {
      items: members,
      defaultLimit: V1_MEMBER_DEFAULT_LIMIT,
      maxLimit: V1_MAX_LIMIT,
      base,
      context: '/wiki',
      serialize: (user) => v1User(user, base),
    });
  });

  // The people directory: `GET /wiki/rest/api/search/user?cql=type=user` (API-NOTES §2.3) lists the accounts with
  // access to the site, each under `user` in a search result. Only `type=user` CQL is understood here; anything else
  // is answered as Confluence answers CQL it cannot parse.
  router.get('/rest/api/search/user', (ctx) => {
    const cql = (ctx.query.get('cql') ?? '').replace(/\s+/g, '');
    if (cql === '') return confluenceV1Error(400, 'cql is required');
    if (cql.toLowerCase() !== 'type=user')
      return confluenceV1Error(400, `Could not parse cql : ${ctx.query.get('cql')}`);
    const siteUsers = confluence.org().users.filter((u) => u.siteAccess.includes(confluence.siteIdx));
    return offsetPage(ctx, {
      items: siteUsers,
      defaultLimit: V1_GROUP_DEFAULT_LIMIT,
      maxLimit: V1_MAX_LIMIT,
      base,
      context: '/wiki',
      serialize: (user) => {
        const bean = v1User(user, base) as { displayName?: string };
        return {
          user: bean,
          title: bean.displayName ?? '',
          excerpt: '',
          url: `/people/${user.accountId}`,
          entityType: 'user',
          score: 0,
        };
      },
    });
  });

  router.get('/rest/api/user', (ctx) => {
    const accountId = ctx.query.get('accountId');
    if (!accountId) return confluenceV1Error(400, 'accountId is required');
    const user = confluence.org().users.find((u) => u.accountId === accountId);
    if (!user) return confluenceV1Error(404, `No user found with accountId : ${accountId}`);
    return ctx.json(200, v1User(user, base));
  });

  router.get(
    '/rest/api/user/current',
    (ctx) => {
      const user = confluence.userOf(ctx.principal);
      if (user) return ctx.json(200, v1User(user, base));
      // Why: with no Authorization header Confluence answers as the anonymous user (200, `type: anonymous`), but a
      // credential that fails is still a 401 here, unlike Jira's anonymous-capable endpoints.
      if (ctx.c.req.header('authorization')) return confluenceV1Error(401, 'This request requires authentication');
      return ctx.json(200, v1AnonymousUser(base));
    },
    { access: 'anonymous' },
  );
}
