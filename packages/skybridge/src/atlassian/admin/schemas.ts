import { z } from 'zod';

/**
 * Atlassian Admin (Organizations) API responses, as far as Skybridge depends on them. The Admin spec carries no
 * licence that lets us redistribute it (README "Where the types come from"), so these schemas ARE the types, written
 * against `admin-organization.swagger.v3.json` (Aug 2026) and API-NOTES §2.2, and checked by the simulator's contract
 * tests. Objects are not `.strict()`: only the fields listed are checked, the rest pass through.
 */

/** `links` of a v1 list (`LinkPageModel`): FULL URLs carrying `cursor=` (unlike v2, whose links are bare cursors). */
const v1LinksSchema = z.object({
  self: z.string().optional(),
  prev: z.string().optional(),
  next: z.string().optional(),
});

/** `OrgModel`: `{id, type: "orgs", attributes: {name}, …}`. */
export const orgModelSchema = z.object({
  id: z.string(),
  type: z.string().optional(),
  attributes: z.object({ name: z.string() }),
});
export type AdminOrg = z.output<typeof orgModelSchema>;

/** `GET /v1/orgs/{orgId}` (getOrgById) → `{data: OrgModel}`. */
export const orgResponseSchema = z.object({ data: orgModelSchema });

/**
 * A managed account of `GET /v1/orgs/{orgId}/users` (getUsers) → `User`. Why snake_case: the v1 managed-accounts API
 * predates the camelCase v2 directory API (Atlassian's own AX-241). App accounts have no `email`.
 */
export const orgUserSchema = z.object({
  account_id: z.string(),
  account_type: z.string().optional(),
  account_status: z.string().optional(),
  name: z.string(),
  email: z.string().optional(),
});
export type AdminOrgUser = z.output<typeof orgUserSchema>;

/** `GET /v1/orgs/{orgId}/users` → `{data: [User], links, meta: {total}}`. */
export const orgUsersPageSchema = z.object({
  data: z.array(orgUserSchema),
  links: v1LinksSchema.optional(),
  meta: z.object({ total: z.number().optional() }).optional(),
});

/** An item of `GET /v2/orgs/{orgId}/directories` (getDirectoriesForOrg). */
export const directorySchema = z.object({
  directoryId: z.string(),
  name: z.string(),
});
export type AdminDirectory = z.output<typeof directorySchema>;

/** `GET /v2/orgs/{orgId}/directories` → `{data: [...], links: LinkPageCursor}`: `links.next` is a bare cursor token. */
export const directoriesPageSchema = z.object({
  data: z.array(directorySchema),
  links: z.object({ next: z.string().nullish() }).optional(),
});

/** `links` of a v2 list (`LinkPageCursor`): bare cursor tokens; `next` is absent (or null) on the last page. */
const v2LinksSchema = z.object({ next: z.string().nullish() }).optional();

/** A product a directory user can use (`expand: ['productAccess']`): `id` is the workspace ARI, `key` the product. */
export const productAccessSchema = z.object({
  id: z.string(),
  key: z.string(),
  lastActiveTimestamp: z.string().optional(),
});

/**
 * `MultiDirectoryUser` of `POST /v2/orgs/{orgId}/directories/{directoryId}/users/search` (camelCase, unlike v1).
 * `groups`, `productAccess` and `platformRoles` are present only when asked for with `expand`.
 */
export const directoryUserSchema = z.object({
  accountId: z.string().min(1),
  accountType: z.string().optional(),
  accountStatus: z.string().optional(),
  status: z.string().optional(),
  name: z.string(),
  nickname: z.string().optional(),
  email: z.string().optional(),
  groups: z.array(z.object({ id: z.string(), name: z.string().nullish() })).optional(),
  productAccess: z.array(productAccessSchema).optional(),
  platformRoles: z.array(z.string()).optional(),
});
export type AdminDirectoryUser = z.output<typeof directoryUserSchema>;

export const directoryUsersPageSchema = z.object({ data: z.array(directoryUserSchema), links: v2LinksSchema });

/** `MultiDirectoryGroup` of `POST …/groups/search`. */
export const directoryGroupSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  description: z.string().nullish(),
  directoryId: z.string().optional(),
});
export type AdminDirectoryGroup = z.output<typeof directoryGroupSchema>;

export const directoryGroupsPageSchema = z.object({ data: z.array(directoryGroupSchema), links: v2LinksSchema });

/** An item of `POST /v2/orgs/{orgId}/workspaces`: one product on one site, `id` its ARI. */
export const workspaceSchema = z.object({
  id: z.string().min(1),
  attributes: z.object({ name: z.string(), typeKey: z.string(), hostUrl: z.string().optional() }),
});
export type AdminWorkspace = z.output<typeof workspaceSchema>;

export const workspacesPageSchema = z.object({ data: z.array(workspaceSchema), links: v2LinksSchema });
