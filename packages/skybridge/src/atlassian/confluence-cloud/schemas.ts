import { z } from 'zod';

/**
 * Confluence Cloud responses, as far as Skybridge depends on them. The Confluence specs carry no licence that lets
 * us redistribute them (README "Where the types come from"), so these schemas ARE the types, written against the
 * Confluence Cloud v2 spec (`confluence-v2.openapi-v2.v3.json`), the v1 REST docs and the real payloads in
 * API-NOTES §2.3, and checked by the simulator's contract tests. Objects are not `.strict()`: only the fields listed
 * are checked, the rest pass through.
 */

/**
 * `GET /wiki/rest/api/user/current` (v1 getCurrentUser; v2 has no "current user" yet). `type` is `known` for an
 * account and `anonymous` when Confluence served the call as nobody, which is what a failed credential can look
 * like: the anonymous user has no `accountId`.
 */
export const currentUserSchema = z.object({
  type: z.string(),
  accountId: z.string().optional(),
  displayName: z.string(),
  email: z.string().optional(),
  publicName: z.string().optional(),
});
export type ConfluenceCloudUser = z.output<typeof currentUserSchema>;

/** An item of v2 `GET /wiki/api/v2/spaces` (getSpaces) → `SpaceBulk`. Ids are strings in v2. */
export const spaceSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  type: z.string().optional(),
  status: z.string().optional(),
});
export type ConfluenceCloudSpace = z.output<typeof spaceSchema>;

/**
 * A v2 cursor page → `MultiEntityResult<SpaceBulk>`: `results` and `_links.next`, which is relative to the SITE
 * (`/wiki/api/v2/spaces?cursor=…`), not to `_links.base`. There is no total count.
 */
export const spacePageSchema = z.object({
  results: z.array(spaceSchema),
  _links: z.object({ next: z.string().optional(), base: z.string().optional() }).optional(),
});
export type ConfluenceCloudSpacePage = z.output<typeof spacePageSchema>;

/** A v1 `start`/`limit` page: `results` and `_links.next` (absent on the last page). */
const v1PageFields = {
  start: z.number().optional(),
  limit: z.number().optional(),
  size: z.number().optional(),
  _links: z.object({ next: z.string().optional() }).optional(),
};

/** v1 `GET /wiki/rest/api/group` → `GroupArray`: `{type: "group", name, id}`. */
export const groupPageSchema = z.object({
  ...v1PageFields,
  results: z.array(z.object({ id: z.string().min(1), name: z.string() })),
});

/** A v1 user (`User`): identified by accountId only on Cloud (GDPR). */
export const v1UserSchema = z.object({
  accountId: z.string().min(1),
  accountType: z.string().optional(),
  displayName: z.string(),
  email: z.string().optional(),
  publicName: z.string().optional(),
});
export type ConfluenceCloudV1User = z.output<typeof v1UserSchema>;

/** v1 `GET /wiki/rest/api/search/user?cql=type=user` → search results, each holding a `user`. */
export const userSearchPageSchema = z.object({
  ...v1PageFields,
  results: z.array(z.object({ user: v1UserSchema })),
});

/** v1 `GET /wiki/rest/api/group/member?groupId=` → `UserArray`. */
export const groupMemberPageSchema = z.object({ ...v1PageFields, results: z.array(v1UserSchema) });

/**
 * An item of v2 `GET /wiki/api/v2/spaces/{id}/permissions` → `SpacePermissionAssignment`: a principal (`user` by
 * accountId or `group` by id) and an operation (`key` on a `targetType`).
 */
export const spacePermissionSchema = z.object({
  id: z.string(),
  principal: z.object({ type: z.string(), id: z.string().min(1) }),
  operation: z.object({ key: z.string(), targetType: z.string() }),
});
export type ConfluenceCloudSpacePermission = z.output<typeof spacePermissionSchema>;

export const spacePermissionPageSchema = z.object({
  results: z.array(spacePermissionSchema),
  _links: z.object({ next: z.string().optional() }).optional(),
});
