/**
 * The simulated Atlassian world: organizations with their directories, users, groups and teams; cloud sites with
 * Jira and Confluence; Data Center instances. Everything a surface serves is read from (and written to) this
 * structure, so the control API's `stats` and the wire agree by construction.
 *
 * Memberships are kept as arrays of user indexes, not objects, so the `large` preset (50,000 users and 200,000
 * memberships) stays far below the simulator's memory budget.
 */

export const ACCOUNT_TYPES = ['atlassian', 'app', 'customer'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export const ACCOUNT_STATUSES = ['active', 'inactive', 'closed'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** An Atlassian account managed by (or visible to) an organization. */
export interface OrgUser {
  accountId: string;
  accountType: AccountType;
  status: AccountStatus;
  name: string;
  nickname: string;
  /** Absent for app accounts, as Atlassian omits it. */
  email?: string;
  timeZone: string;
  locale: string;
  jobTitle?: string;
  department?: string;
  /** ISO date-time of the last activity in any product; absent when the account never logged in. */
  lastActive?: string;
  addedToOrg: string;
  directoryId: string;
  /** Indexes into `World.cloudSites` of the sites this account has product access to. */
  siteAccess: number[];
  /** True for the organization admin that the simulator hands out credentials for. */
  orgAdmin: boolean;
}

export interface OrgGroup {
  id: string;
  name: string;
  description: string;
  directoryId: string;
  /** Indexes into `Org.users`. */
  members: number[];
  /** Site-admin groups grant Jira's Administer permission (and so `group/member`, `users/search` visibility). */
  grantsSiteAdmin: boolean;
}

export const TEAM_TYPES = ['OPEN', 'MEMBER_INVITE', 'EXTERNAL', 'ORG_ADMIN_MANAGED'] as const;
export type TeamType = (typeof TEAM_TYPES)[number];

export interface Team {
  teamId: string;
  displayName: string;
  description: string;
  state: 'ACTIVE' | 'ARCHIVED';
  teamType: TeamType;
  creatorIdx?: number;
  /** Indexes into `Org.users`. */
  members: number[];
  /** A deleted team answers 410 Gone, as Atlassian's Teams API does. */
  deleted: boolean;
}

export interface Directory {
  directoryId: string;
  name: string;
}

export interface RoleAssignment {
  userIdx: number;
  /** e.g. `atlassian/org-admin`, `jira/admin`, `jira/user`, `confluence/user`. */
  role: string;
  /** `org` for organization-wide roles, or the workspace (site product) ARI. */
  resource: string;
}

export interface Org {
  id: string;
  name: string;
  apiKey: string;
  adminIdx: number;
  directories: Directory[];
  users: OrgUser[];
  groups: OrgGroup[];
  teams: Team[];
  roleAssignments: RoleAssignment[];
}

export interface ProjectRole {
  id: number;
  name: string;
  description: string;
  /** Indexes into `Org.users`. */
  actorUsers: number[];
  /** Group ids. */
  actorGroups: string[];
}

export interface IssueType {
  id: string;
  name: string;
  description: string;
  subtask: boolean;
  /** Field ids that createmeta marks as required beyond summary/project/issuetype. */
  requiredFields: string[];
}

/** A custom field in the site's field configuration (createmeta lists it for `issueTypeIds`). */
export interface CustomField {
  /** `customfield_<n>`, the id clients send in `fields`. */
  id: string;
  name: string;
  /** Jira's custom field type key, e.g. `com.atlassian.jira.plugin.system.customfieldtypes:select`. */
  custom: string;
  /** The JSON type in the field's schema: `option` for selects, `number`, or `string` (textarea: ADF on cloud v3). */
  type: 'option' | 'number' | 'string';
  /** Options of a select field. */
  options?: { id: string; value: string }[];
  /** Issue types whose create screen has the field. */
  issueTypeIds: string[];
}

export interface Status {
  id: string;
  name: string;
  category: 'new' | 'indeterminate' | 'done';
}

export interface Transition {
  id: string;
  name: string;
  toStatusId: string;
}

export interface Project {
  id: string;
  key: string;
  name: string;
  description: string;
  projectTypeKey: 'software' | 'business' | 'service_desk';
  /** Index into the owner's user list (org users for cloud, DC users for DC). */
  leadIdx: number;
  /** When true, only role actors (and admins) can browse it; otherwise every licensed user can. */
  restricted: boolean;
  archived: boolean;
  roles: ProjectRole[];
  issueTypeIds: string[];
  /** Next issue number for keys `KEY-n`. */
  nextIssueNumber: number;
}

export interface Comment {
  id: string;
  authorRef: string;
  /** ADF on cloud, wiki markup (a string) on DC, stored as received. */
  body: unknown;
  /** Who edited the comment last; absent until someone edits it (then Jira's `updateAuthor` is the author). */
  updateAuthorRef?: string;
  created: string;
  updated: string;
}

/** A file attached to an issue; the bytes are kept so a client can read back what it uploaded. */
export interface Attachment {
  id: string;
  filename: string;
  mimeType: string;
  authorRef: string;
  created: string;
  content: Uint8Array;
}

export interface Issue {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  statusId: string;
  /** Every field as received (summary, description, labels, priority, custom fields...). */
  fields: Record<string, unknown>;
  properties: Map<string, unknown>;
  comments: Comment[];
  attachments: Attachment[];
  created: string;
  updated: string;
  creatorRef: string;
}

export interface Space {
  id: string;
  key: string;
  name: string;
  type: 'global' | 'personal' | 'knowledge_base';
  status: 'current' | 'archived';
  authorIdx: number;
  createdAt: string;
  homepageId: string;
  /** Space permissions: who may do what. Principals are user indexes or group ids. */
  permissions: SpacePermission[];
}

export interface SpacePermission {
  id: string;
  principal: { type: 'user'; idx: number } | { type: 'group'; groupId: string } | { type: 'anonymous' };
  operation: {
    key: 'read' | 'create' | 'delete' | 'administer' | 'export' | 'restrict_content';
    target: 'space' | 'page' | 'blogpost' | 'comment' | 'attachment';
  };
}

export interface Page {
  id: string;
  spaceId: string;
  title: string;
  parentId: string | null;
  authorIdx: number;
  createdAt: string;
  status: 'current' | 'draft';
  body: string;
}

/** A Jira + Confluence cloud site such as `acme.atlassian.net`; users and groups come from its organization. */
export interface CloudSite {
  /** Host label, e.g. `acme` for acme.atlassian.net. */
  host: string;
  cloudId: string;
  orgIdx: number;
  /** Whether anonymous browse is on: then anonymous-capable endpoints answer 200 to bad credentials. */
  anonymousAccess: boolean;
  jira: JiraData;
  confluence: { spaces: Space[]; pages: Page[] };
}

export interface JiraData {
  projects: Project[];
  issueTypes: IssueType[];
  statuses: Status[];
  transitions: Transition[];
  customFields: CustomField[];
  issues: Issue[];
  nextIssueId: number;
  nextCommentId: number;
  nextAttachmentId: number;
}

/** A Data Center user: identified by username and key, not accountId. */
export interface DcUser {
  key: string;
  name: string;
  displayName: string;
  emailAddress: string;
  active: boolean;
  timeZone: string;
  locale: string;
  /** ISO date-time; Confluence's `lastLogin` expansion and Jira's user bean read it. */
  lastLogin?: string;
  admin: boolean;
}

export interface DcGroup {
  name: string;
  /** Indexes into `DcInstance.users`. */
  members: number[];
}

export interface DcApp {
  key: string;
  name: string;
  version: string;
  vendor: string;
  enabled: boolean;
  userInstalled: boolean;
  /** Whether a cloud version of the app exists (the readiness insight uses it). */
  cloudAvailable: boolean;
}

export interface DcAppLink {
  id: string;
  typeId: 'jira' | 'confluence' | 'stash' | 'bamboo' | 'fecru';
  name: string;
  displayUrl: string;
  rpcUrl: string;
  isPrimary: boolean;
}

export interface DcApplicationRole {
  key: string;
  name: string;
  groups: string[];
  defaultGroups: string[];
  numberOfSeats: number;
}

export interface DcInstance {
  name: string;
  product: 'jira' | 'confluence';
  /** e.g. `/jira` or `/confluence`; Data Center instances usually run under one. */
  contextPath: string;
  version: string;
  buildNumber: number;
  serverId: string;
  title: string;
  nodeCount: number;
  users: DcUser[];
  groups: DcGroup[];
  /** Jira only. */
  jira: JiraData;
  /** Confluence only. */
  spaces: Space[];
  pages: Page[];
  applicationRoles: DcApplicationRole[];
  apps: DcApp[];
  appLinks: DcAppLink[];
  license: {
    licenseType: string;
    maximumNumberOfUsers: number;
    expiryDate: number;
    organizationName: string;
    sen: string;
    dataCenter: boolean;
  };
}

export interface World {
  seed: number;
  /** When the world was generated; relative dates in the data are computed from it. */
  epoch: number;
  orgs: Org[];
  cloudSites: CloudSite[];
  dcInstances: DcInstance[];
}
