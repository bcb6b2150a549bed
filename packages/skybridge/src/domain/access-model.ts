/**
 * The access model synced from Atlassian, the one ConductorOne's Baton uses so exports can feed the tools people
 * already run:
 *
 * - **Resource type**: what kind of thing a resource is (`user`, `group`, `team`, `project`, `space`, ...).
 * - **Resource**: one thing in one connection (an account, a group, a project), with a stable id.
 * - **Entitlement**: something a resource offers that principals can hold (membership of a group, a project role,
 *   a space permission, a product's licence).
 * - **Grant**: a principal (a user, group or team resource) holding an entitlement. A grant is either direct (as
 *   Atlassian lists it) or effective (expanded through nested groups or team membership), with the path that gives it.
 *
 * Ids are stable across runs: they are derived from the connection id and Atlassian's own ids, never generated, so
 * two runs can be diffed by id.
 */

export const RESOURCE_TYPES = [
  'user',
  'group',
  'team',
  'project',
  'project_role',
  'space',
  'application_role',
  'workspace',
  'site',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export interface AccessResource {
  /** `${connectionId}:${type}:${externalId}`: stable across runs. */
  id: string;
  type: ResourceType;
  /** Atlassian's id: accountId (cloud), user key (DC), group id or name, project id, space id or key, ... */
  externalId: string;
  displayName: string;
  /** For resources that live inside another (a project role inside a project). */
  parentId?: string;
  /** Scalar facts worth keeping: email, status (active/inactive/closed), accountType, lastActive, key, ... */
  attributes: Record<string, string | number | boolean | null>;
}

export interface AccessEntitlement {
  /** `${resourceId}:${slug}`: stable across runs. */
  id: string;
  resourceId: string;
  /** e.g. `member`, `role:Developers`, `permission:read:space`, `licence:jira-software`. */
  slug: string;
  displayName: string;
}

export interface AccessGrant {
  entitlementId: string;
  /** The resource id of the user, group or team holding it. */
  principalId: string;
  /**
   * Empty for a direct grant. For an effective grant, the resource ids it was expanded through, outermost first
   * (e.g. [groupId] for a user who holds a project role through a group, [teamId] for team membership).
   */
  via: string[];
}

/** One record from a source reader, in the order they are written. */
export type AccessRecord =
  | { kind: 'resource'; resource: AccessResource }
  | { kind: 'entitlement'; entitlement: AccessEntitlement }
  | { kind: 'grant'; grant: AccessGrant };

/** Where a source reader is in its walk: serialisable, stored after every page, enough to resume exactly. */
export interface SyncCheckpoint {
  /** Which phase the reader is in (its own names, e.g. `users`, `groups`, `members:<groupId>`). */
  phase: string;
  /** The reader's position inside the phase (a cursor, a startAt, a next URL), or undefined at its start. */
  cursor?: string;
  /** Phase-specific state the reader needs to carry (small: ids still to visit, counters). */
  state?: Record<string, unknown>;
}

/** The run outcome set: `suspicious` runs shrank a type past the threshold and wait for acceptance. */
export const SYNC_RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'suspicious',
  'accepted',
  'superseded',
] as const;
export type SyncRunStatus = (typeof SYNC_RUN_STATUSES)[number];
