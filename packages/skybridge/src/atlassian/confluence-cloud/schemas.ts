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
