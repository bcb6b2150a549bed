import { confluenceV1Error } from '../errors.ts';
import type { RouteContext, Router } from '../route.ts';
import type { Space } from '../../world/types.ts';
import type { DcConfluence } from './dc-confluence.ts';
import { dcAnonymousPerson, dcGroup, dcPerson, dcSpace, dcSpacePermission, dcSpaceType } from './dc-beans.ts';
import { listParam } from './list-param.ts';
import { offsetPage } from './offset-page.ts';
import { canReadSpace, hasSpacePermission } from './space-access.ts';

/** Confluence Data Center `/rest/api`: server information, metrics, spaces, space permissions, users, groups. */

/** Page sizes from the Confluence DC 10.0.3 spec defaults; the caps stand in for Confluence's fixed system limits. */
export const DC_SPACE_DEFAULT_LIMIT = 25;
export const DC_SPACE_MAX_LIMIT = 500;
export const DC_USER_DEFAULT_LIMIT = 100;
export const DC_USER_MAX_LIMIT = 1000;
export const DC_GROUP_DEFAULT_LIMIT = 200;
export const DC_GROUP_MAX_LIMIT = 1000;

export const DC_SPACE_TYPES = ['global', 'personal'] as const;
export const DC_SPACE_STATUSES = ['current', 'archived'] as const;

const DAY = 86_400_000;

export function registerDcRestRoutes(router: Router, confluence: DcConfluence): void {
  const links = { base: confluence.base, context: confluence.context };
  const visibleSpaces = (ctx: RouteContext): Space[] => {
    const viewer = confluence.viewer(ctx.principal);
    return confluence.instance().spaces.filter((s) => canReadSpace(s, viewer));
  };
  const forbidden = (): Response => confluenceV1Error(403, 'You do not have permission to perform this operation');

  router.get('/rest/api/server-information', (ctx) => {
    const instance = confluence.instance();
    return ctx.json(200, {
      baseUrl: confluence.base,
      version: instance.version,
      buildNumber: instance.buildNumber,
      marketplaceBuildNumber: instance.buildNumber,
      buildDate: new Date(confluence.state.world.epoch - 120 * DAY).toISOString(),
    });
  });

  router.get('/rest/api/instance-metrics', (ctx) => {
    if (!confluence.isAdmin(confluence.userIdxOf(ctx.principal))) return forbidden();
    const instance = confluence.instance();
    return ctx.json(200, {
      pages: instance.pages.length,
      spaces: instance.spaces.length,
      users: instance.users.length,
    });
  });

  router.get('/rest/api/space', (ctx) => {
    const keys = listParam(ctx.query, 'spaceKey');
    const ids = listParam(ctx.query, 'spaceId');
    const type = ctx.query.get('type');
    if (type !== null && type !== '' && !(DC_SPACE_TYPES as readonly string[]).includes(type))
      return confluenceV1Error(400, `Invalid space type : ${type}`);
    const status = ctx.query.get('status');
    if (status !== null && status !== '' && !(DC_SPACE_STATUSES as readonly string[]).includes(status))
      return confluenceV1Error(400, `Invalid space status : ${status}`);
    const spaces = visibleSpaces(ctx).filter(
      (s) =>
        (keys.length === 0 || keys.includes(s.key)) &&
        (ids.length === 0 || ids.includes(s.id)) &&
        (!type || dcSpaceType(s) === type) &&
        (!status || s.status === status),
    );
    return offsetPage(ctx, {
      items: spaces,
      defaultLimit: DC_SPACE_DEFAULT_LIMIT,
      maxLimit: DC_SPACE_MAX_LIMIT,
      ...links,
      serialize: (s) => dcSpace(s, links),
    });
  });

  router.get('/rest/api/space/:spaceKey', (ctx) => {
    const key = ctx.params['spaceKey'] ?? '';
    const space = visibleSpaces(ctx).find((s) => s.key === key);
    if (!space) return confluenceV1Error(404, `No space with key : ${key}`);
    return ctx.json(200, dcSpace(space, links));
  });

  router.get('/rest/api/space/:spaceKey/permissions', (ctx) => {
    const key = ctx.params['spaceKey'] ?? '';
    const viewer = confluence.viewer(ctx.principal);
    const space = confluence.instance().spaces.find((s) => s.key === key);
    if (!space || !canReadSpace(space, viewer)) return confluenceV1Error(404, `No space with key : ${key}`);
    // Why 403 and not 404 here: the caller can see the space, but reading its permissions needs space admin.
    if (!hasSpacePermission(space, viewer, 'administer')) return forbidden();
    const { users, groups } = confluence.instance();
    return ctx.json(
      200,
      space.permissions.flatMap((p) => dcSpacePermission(p, space, users, groups, links) ?? []),
    );
  });

  router.get('/rest/api/user/list', (ctx) =>
    offsetPage(ctx, {
      items: confluence.instance().users,
      defaultLimit: DC_USER_DEFAULT_LIMIT,
      maxLimit: DC_USER_MAX_LIMIT,
      ...links,
      serialize: (u) => dcPerson(u, links),
    }),
  );

  router.get('/rest/api/user', (ctx) => {
    const username = ctx.query.get('username');
    const key = ctx.query.get('key');
    if (!username && !key) return confluenceV1Error(400, 'Either a username or a key must be provided');
    const user = confluence.instance().users.find((u) => (username ? u.name === username : u.key === key));
    if (!user)
      return confluenceV1Error(404, `No user found with ${username ? `username : ${username}` : `key : ${key ?? ''}`}`);
    return ctx.json(200, dcPerson(user, links));
  });

  router.get(
    '/rest/api/user/current',
    (ctx) => {
      const user = confluence.userOf(ctx.principal);
      if (user) return ctx.json(200, dcPerson(user, links));
      // Why: without credentials Confluence answers as the anonymous user (200), but a bad PAT is still a 401.
      if (ctx.c.req.header('authorization')) return confluenceV1Error(401, 'This request requires authentication');
      return ctx.json(200, dcAnonymousPerson(links));
    },
    { access: 'anonymous' },
  );

  router.get('/rest/api/group', (ctx) =>
    offsetPage(ctx, {
      items: confluence.instance().groups,
      defaultLimit: DC_GROUP_DEFAULT_LIMIT,
      maxLimit: DC_GROUP_MAX_LIMIT,
      ...links,
      serialize: (g) => dcGroup(g, links),
    }),
  );

  router.get('/rest/api/group/:groupName/member', (ctx) => {
    const name = ctx.params['groupName'] ?? '';
    const { users, groups } = confluence.instance();
    const group = groups.find((g) => g.name === name);
    if (!group) return confluenceV1Error(404, `No group found with name : ${name}`);
    const members = group.members.flatMap((idx) => users[idx] ?? []);
    return offsetPage(ctx, {
      items: members,
      defaultLimit: DC_GROUP_DEFAULT_LIMIT,
      maxLimit: DC_GROUP_MAX_LIMIT,
      ...links,
      serialize: (u) => dcPerson(u, links),
    });
  });
}
