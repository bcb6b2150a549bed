import { z } from 'zod';

/**
 * Confluence Data Center responses, as far as Skybridge depends on them. The DC spec is not redistributable
 * (README "Where the types come from"), so these schemas ARE the types, written against the Confluence DC 10.0.3
 * spec (`confluence-dc-10.0.3.openapi.json`) and API-NOTES §2.4 and §7.2, and checked by the simulator's contract
 * tests. Objects are not `.strict()`: only the fields listed are checked, the rest pass through.
 */

/**
 * `GET /rest/api/server-information` (getServerInformation): `{baseUrl, version, buildNumber, …}`. The build number
 * is read as a number or a numeric string, since clients in the wild see both.
 */
export const serverInformationSchema = z.object({
  baseUrl: z.string().optional(),
  version: z.string(),
  buildNumber: z
    .union([z.number(), z.string().regex(/^\d+$/)])
    .transform(Number)
    .optional(),
  buildDate: z.string().optional(),
});
export type ConfluenceDcServerInformation = z.output<typeof serverInformationSchema>;

/**
 * `GET /rest/api/user/current` (getCurrent) → `Person`: `type` is `known` for a user and `anonymous` for nobody (what
 * Confluence serves a caller without credentials).
 */
export const currentUserSchema = z.object({
  type: z.string(),
  username: z.string().optional(),
  userKey: z.string().optional(),
  displayName: z.string(),
});
export type ConfluenceDcUser = z.output<typeof currentUserSchema>;

/** An item of `GET /rest/api/space` → `Space`. Why the union: DC sends ids as numbers (longs), Cloud v2 as strings. */
export const spaceSchema = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  key: z.string(),
  name: z.string(),
  type: z.string().optional(),
});
export type ConfluenceDcSpace = z.output<typeof spaceSchema>;

/**
 * `GET /rest/api/space` (getSpaces) → `PageResponse<Space>`: `start`/`limit` paging with no total; the last page is
 * the one without `_links.next`.
 */
export const spacePageSchema = z.object({
  results: z.array(spaceSchema),
  start: z.number().optional(),
  limit: z.number().optional(),
  size: z.number().optional(),
  _links: z.object({ next: z.string().optional() }).optional(),
});
export type ConfluenceDcSpacePage = z.output<typeof spacePageSchema>;

/** A DC `Person` as lists give it: `username` is what group members and permission subjects are keyed by. */
export const personSchema = z.object({
  type: z.string().optional(),
  username: z.string().min(1),
  userKey: z.string().optional(),
  displayName: z.string(),
});
export type ConfluenceDcPerson = z.output<typeof personSchema>;

const dcPageFields = {
  start: z.number().optional(),
  limit: z.number().optional(),
  size: z.number().optional(),
  _links: z.object({ next: z.string().optional() }).optional(),
};

/** `GET /rest/api/user/list` and `GET /rest/api/group/{name}/member` → `PageResponse<Person>`. */
export const personPageSchema = z.object({ ...dcPageFields, results: z.array(personSchema) });

/** `GET /rest/api/group` → `PageResponse<Group>`: groups are known by name on DC. */
export const groupPageSchema = z.object({ ...dcPageFields, results: z.array(z.object({ name: z.string().min(1) })) });

/**
 * An item of `GET /rest/api/space/{key}/permissions` (a bare array): `subject` is a Person (`username`, or `type:
 * anonymous` with neither), or a Group (`type: group`, `name`).
 */
export const spacePermissionSchema = z.object({
  subject: z.object({ type: z.string(), username: z.string().optional(), name: z.string().optional() }),
  operation: z.object({ operationKey: z.string(), targetType: z.string() }),
});
export type ConfluenceDcSpacePermission = z.output<typeof spacePermissionSchema>;
export const spacePermissionListSchema = z.array(spacePermissionSchema);
