import { z } from 'zod';

/**
 * Jira Data Center / Server REST v2 responses, as far as Skybridge depends on them. The DC spec is not
 * redistributable (README "Where the types come from"), so these schemas ARE the types, written against the Jira DC
 * 10.3 spec and the real payloads quoted in API-NOTES §2.4 and §7.1, and checked by the simulator's contract tests.
 * Objects are not `.strict()`: only the fields listed are checked, the rest pass through.
 */

/**
 * `GET /rest/api/2/serverInfo` (getServerInfo; the spec declares no schema). A single DC node reports `Server`, a
 * cluster `DataCenter`; Jira Cloud answers the same path with `Cloud`, which is how a cloud URL given as DC shows.
 */
export const serverInfoSchema = z.object({
  baseUrl: z.string().optional(),
  version: z.string().optional(),
  versionNumbers: z.array(z.number()).optional(),
  deploymentType: z.string().optional(),
  buildNumber: z.number().optional(),
  serverTitle: z.string().optional(),
});
export type JiraDcServerInfo = z.output<typeof serverInfoSchema>;

/** The deployment types a Jira Data Center or Server instance reports (both mean "not Cloud"). */
export const DC_DEPLOYMENT_TYPES = ['Server', 'DataCenter'] as const;
export type DcDeploymentType = (typeof DC_DEPLOYMENT_TYPES)[number];

/**
 * `GET /rest/api/2/myself` (getUser) → `UserBean`. DC identifies users by `name` and `key`, not `accountId`.
 */
export const userSchema = z.object({
  name: z.string().min(1),
  key: z.string().optional(),
  displayName: z.string(),
  emailAddress: z.string().optional(),
  active: z.boolean().optional(),
});
export type JiraDcUser = z.output<typeof userSchema>;

/** A project as listed by `GET /rest/api/2/project` (getAllProjects) → `ProjectBean`. */
export const projectSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
});
export type JiraDcProject = z.output<typeof projectSchema>;

/**
 * `GET /rest/api/2/project`: a bare array, not paged (the spec wrongly declares a single item, API-NOTES §1.2).
 */
export const projectListSchema = z.array(projectSchema);

/** `GET /rest/api/2/user/search?username=.` (findUsers): a bare array, paged by startAt/maxResults (≤1000). */
export const userListSchema = z.array(userSchema);

/**
 * `GET /rest/api/2/groups/picker` (findGroups): DC's only group enumeration. Not paged: `maxResults` caps it and
 * `total` says how many matched, so a truncated list is detectable.
 */
export const groupPickerSchema = z.object({
  total: z.number(),
  groups: z.array(z.object({ name: z.string().min(1) })),
});
export type JiraDcGroupPicker = z.output<typeof groupPickerSchema>;

/** `GET /rest/api/2/group/member?groupname=` → a PageBean of users (the spec mis-declares it, API-NOTES §2.4). */
export const groupMemberPageSchema = z.object({
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  total: z.number().optional(),
  isLast: z.boolean().optional(),
  values: z.array(userSchema),
});
export type JiraDcGroupMemberPage = z.output<typeof groupMemberPageSchema>;

/** `GET /rest/api/2/applicationrole`: the licence-seat view; each role is granted through its `groups` (names). */
export const applicationRoleListSchema = z.array(
  z.object({
    key: z.string().min(1),
    name: z.string(),
    groups: z.array(z.string()),
    numberOfSeats: z.number().optional(),
    userCount: z.number().optional(),
  }),
);
export type JiraDcApplicationRole = z.output<typeof applicationRoleListSchema>[number];
