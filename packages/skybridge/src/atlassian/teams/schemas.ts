import { z } from 'zod';

/**
 * Atlassian Teams public API responses, as far as Skybridge depends on them. There is no redistributable spec, so
 * these schemas ARE the types, written against Atlassian's Teams REST docs and API-NOTES §2.2, and checked by the
 * simulator's contract tests. Objects are not `.strict()`: only the fields listed are checked.
 */

/** `Team` (PublicApiTeamResponse). */
export const teamSchema = z.object({
  teamId: z.string(),
  displayName: z.string(),
  organizationId: z.string().optional(),
  state: z.string().optional(),
  teamType: z.string().optional(),
});
export type Team = z.output<typeof teamSchema>;

/**
 * `GET /v1/org/{orgId}/teams` → `{entities: [Team], cursor}`. Why nullish: the last page says `cursor: null`
 * rather than leaving it out.
 */
export const teamsPageSchema = z.object({
  entities: z.array(teamSchema),
  cursor: z.string().nullish(),
});

/**
 * `POST /v1/org/{orgId}/teams/{teamId}/members` → `{results: [{accountId}], pageInfo: {endCursor, hasNextPage}}`, a
 * GraphQL-style connection page (unlike the team listing's `cursor`).
 */
export const teamMembersPageSchema = z.object({
  results: z.array(z.object({ accountId: z.string().min(1) })),
  pageInfo: z.object({ endCursor: z.string().nullish(), hasNextPage: z.boolean() }),
});
