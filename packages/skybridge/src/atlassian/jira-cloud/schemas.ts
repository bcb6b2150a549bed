import { z } from 'zod';
import type { components } from '../generated/jira-cloud.ts';

/**
 * Jira Cloud platform responses, as far as Skybridge depends on them. The wire types come from Atlassian's official
 * spec (`../generated/jira-cloud.ts`); each schema below lists only the fields we read, and a compile-time check
 * (`SpecAligned`) proves that every field it declares exists in the spec's type with a compatible type, so a schema
 * cannot drift from the spec unnoticed. Objects are not `.strict()`: Jira adds fields freely, and an unknown field
 * must not fail a call. A missing or mistyped field we depend on is a `bad_response` naming it.
 */

type Spec = components['schemas'];

/** The spec's shape as it arrives: every field optional (the generated types mark almost all so) and mutable. */
type Wire<T> =
  T extends ReadonlyArray<infer U>
    ? Array<Wire<U>>
    : T extends object
      ? { -readonly [K in keyof T]?: Wire<T[K]> | undefined }
      : T;

/** True when `Out` only declares fields that `T` has, each assignable to the spec's type. */
type SpecAligned<Out, T> = [Exclude<keyof Out, keyof T>] extends [never] ? (Out extends Wire<T> ? true : false) : false;
type Expect<T extends true> = T;

/** `GET /_edge/tenant_info` (not in the platform spec: an edge endpoint of every cloud site, anonymous). */
export const tenantInfoSchema = z.object({
  // Why a pattern: the cloudId becomes a path segment of the gateway URL, so it must be an id, not a path.
  cloudId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'expected a cloud id (a UUID)'),
});
export type TenantInfo = z.output<typeof tenantInfoSchema>;

/** `GET /rest/api/3/serverInfo` (getServerInfo) → `ServerInformation`. */
export const serverInfoSchema = z.object({
  baseUrl: z.string().optional(),
  version: z.string().optional(),
  deploymentType: z.string().optional(),
  buildNumber: z.number().optional(),
  serverTitle: z.string().optional(),
});
export type JiraCloudServerInfo = z.output<typeof serverInfoSchema>;
export type _ServerInfoAligned = Expect<SpecAligned<JiraCloudServerInfo, Spec['ServerInformation']>>;

/** `GET /rest/api/3/myself` (getCurrentUser) → `User`. `emailAddress` is absent when the profile hides it. */
export const userSchema = z.object({
  accountId: z.string().min(1),
  displayName: z.string(),
  emailAddress: z.string().optional(),
  active: z.boolean().optional(),
  accountType: z.enum(['atlassian', 'app', 'customer', 'unknown']).optional(),
});
export type JiraCloudUser = z.output<typeof userSchema>;
export type _UserAligned = Expect<SpecAligned<JiraCloudUser, Spec['User']>>;

/** A list item of `project/search` → `Project`. */
export const projectSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
});
export type JiraCloudProject = z.output<typeof projectSchema>;
export type _ProjectAligned = Expect<SpecAligned<JiraCloudProject, Spec['Project']>>;

/**
 * `GET /rest/api/3/project/search` (searchProjects) → `PageBeanProject`, an offset page. `total` may be missing and
 * may change between pages (API-NOTES §2.1); `nextPage` is absent on the last page.
 */
export const projectPageSchema = z.object({
  values: z.array(projectSchema),
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  total: z.number().optional(),
  isLast: z.boolean().optional(),
  nextPage: z.string().optional(),
});
export type JiraCloudProjectPage = z.output<typeof projectPageSchema>;
export type _ProjectPageAligned = Expect<SpecAligned<JiraCloudProjectPage, Spec['PageBeanProject']>>;

/** One entry of the `permissions` map → `UserPermission`. */
export const userPermissionSchema = z.object({
  key: z.string().optional(),
  havePermission: z.boolean(),
});

/** `GET /rest/api/3/mypermissions` (getMyPermissions) → `Permissions`: a map keyed by permission key. */
export const permissionsSchema = z.object({
  permissions: z.record(z.string(), userPermissionSchema),
});
export type JiraCloudPermissions = z.output<typeof permissionsSchema>;
export type _PermissionsAligned = Expect<SpecAligned<JiraCloudPermissions, Spec['Permissions']>>;

/** `GET /rest/api/3/users/search` (getAllUsers): a BARE array, paged by startAt/maxResults (API-NOTES §2.1). */
export const userListSchema = z.array(userSchema);

/** An offset PageBean's paging fields; `isLast` is what ends the walk (`total` may be missing or move). */
const pageBeanFields = {
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  total: z.number().optional(),
  isLast: z.boolean().optional(),
};

/** `GET /rest/api/3/group/bulk` (bulkGetGroups) → `PageBeanGroupDetails`. */
export const groupPageSchema = z.object({
  ...pageBeanFields,
  values: z.array(z.object({ groupId: z.string().min(1), name: z.string() })),
});
export type JiraCloudGroupPage = z.output<typeof groupPageSchema>;
export type _GroupPageAligned = Expect<SpecAligned<JiraCloudGroupPage, Spec['PageBeanGroupDetails']>>;

/** `GET /rest/api/3/group/member` (getUsersFromGroup) → `PageBeanUserDetails`. */
export const groupMemberPageSchema = z.object({ ...pageBeanFields, values: z.array(userSchema) });
export type JiraCloudGroupMemberPage = z.output<typeof groupMemberPageSchema>;
export type _GroupMemberPageAligned = Expect<SpecAligned<JiraCloudGroupMemberPage, Spec['PageBeanUserDetails']>>;

/** `GET /rest/api/3/project/{key}/role` (getProjectRoles): role name → the role's URL (`…/role/{id}`). */
export const projectRoleLinksSchema = z.record(z.string(), z.string());

/**
 * `GET /rest/api/3/project/{key}/role/{id}` (getProjectRole) → `ProjectRole` with `actors`. Cloud user actors carry
 * `actorUser.accountId` (no name, GDPR); group actors `actorGroup.groupId`. Data Center sends `name` instead. Not
 * checked with `SpecAligned`: the spec types `type` as a closed enum, and an actor type Atlassian adds later must be
 * skipped by the reader, not fail the whole role.
 */
export const projectRoleSchema = z.object({
  id: z.number(),
  name: z.string(),
  actors: z
    .array(
      z.object({
        type: z.string(),
        name: z.string().optional(),
        displayName: z.string().optional(),
        actorUser: z.object({ accountId: z.string() }).optional(),
        actorGroup: z.object({ groupId: z.string().optional(), name: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});
export type JiraProjectRole = z.output<typeof projectRoleSchema>;
