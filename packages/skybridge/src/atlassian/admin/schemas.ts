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
