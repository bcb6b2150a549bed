import type { Result } from '../../domain/result.ts';
import type { AtlassianError } from '../atlassian-error.ts';
import type { AtlassianHttp } from '../http-client.ts';
import { createJiraProjectRoleCalls } from '../jira-cloud/client.ts';
import type {
  JiraDcApplicationRole,
  JiraDcGroupMemberPage,
  JiraDcGroupPicker,
  JiraDcProject,
  JiraDcServerInfo,
  JiraDcUser,
} from './schemas.ts';
import {
  applicationRoleListSchema,
  groupMemberPageSchema,
  groupPickerSchema,
  projectListSchema,
  serverInfoSchema,
  userListSchema,
  userSchema,
} from './schemas.ts';

/**
 * A small typed API over one `AtlassianHttp` for Jira Data Center / Server REST v2. The http's base URL is the
 * instance with its context path (`https://jira.corp/jira`); auth is a personal access token as Bearer. Create the
 * http with `rateLimitScope: 'client'`: Data Center limits per user, not per endpoint.
 */
export interface JiraDcApi {
  /**
   * `GET /rest/api/2/serverInfo`. Anonymous-capable (called with `allowAnonymous`), so it proves nothing about the
   * credential; it also answers on Jira Cloud, which makes it the cheap way to tell the two apart.
   */
  serverInfo(): Promise<Result<JiraDcServerInfo, AtlassianError>>;
  /** `GET /rest/api/2/myself`: the user the token acts as; 401 for a bad, expired or revoked token. */
  myself(): Promise<Result<JiraDcUser, AtlassianError>>;
  /** `GET /rest/api/2/project`: every project the user can browse, as one bare array (DC does not page it). */
  projects(): Promise<Result<JiraDcProject[], AtlassianError>>;
}

export function createJiraDcApi(http: AtlassianHttp): JiraDcApi {
  return {
    serverInfo: () => http.get('/rest/api/2/serverInfo', { schema: serverInfoSchema, allowAnonymous: true }),
    myself: () => http.get('/rest/api/2/myself', { schema: userSchema }),
    projects: () => http.get('/rest/api/2/project', { schema: projectListSchema }),
  };
}

export interface DcOffsetOptions {
  startAt?: number;
  maxResults?: number;
  signal?: AbortSignal;
}

/** The Jira DC listings the access sync walks. */
export interface JiraDcDirectoryApi {
  /** `GET /rest/api/2/user/search?username=.&includeInactive=true`: bare array. `maxResults` default 1000 (max). */
  users(options?: DcOffsetOptions): Promise<Result<JiraDcUser[], AtlassianError>>;
  /** `GET /rest/api/2/groups/picker?maxResults=`: every group, up to `maxResults` (default 10,000). */
  groups(options?: { maxResults?: number; signal?: AbortSignal }): Promise<Result<JiraDcGroupPicker, AtlassianError>>;
  /** `GET /rest/api/2/group/member?groupname=&includeInactiveUsers=true`. `maxResults` default 50 (the cap). */
  groupMembers(groupName: string, options?: DcOffsetOptions): Promise<Result<JiraDcGroupMemberPage, AtlassianError>>;
  /** `GET /rest/api/2/applicationrole` (admin). */
  applicationRoles(options?: { signal?: AbortSignal }): Promise<Result<JiraDcApplicationRole[], AtlassianError>>;
  projectRoles: ReturnType<typeof createJiraProjectRoleCalls>['projectRoles'];
  projectRole: ReturnType<typeof createJiraProjectRoleCalls>['projectRole'];
}

export function createJiraDcDirectoryApi(http: AtlassianHttp): JiraDcDirectoryApi {
  const sig = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
  const roles = createJiraProjectRoleCalls(http, '/rest/api/2');
  return {
    users: (options = {}) =>
      http.get('/rest/api/2/user/search', {
        schema: userListSchema,
        // Why `.`: DC has no "list users"; a username query of `.` matches everyone.
        query: {
          username: '.',
          includeActive: true,
          includeInactive: true,
          startAt: options.startAt ?? 0,
          maxResults: options.maxResults ?? 1000,
        },
        ...sig(options.signal),
      }),
    groups: (options = {}) =>
      http.get('/rest/api/2/groups/picker', {
        schema: groupPickerSchema,
        query: { maxResults: options.maxResults ?? 10_000 },
        ...sig(options.signal),
      }),
    groupMembers: (groupName, options = {}) =>
      http.get('/rest/api/2/group/member', {
        schema: groupMemberPageSchema,
        query: {
          groupname: groupName,
          includeInactiveUsers: true,
          startAt: options.startAt ?? 0,
          maxResults: options.maxResults ?? 50,
        },
        ...sig(options.signal),
      }),
    applicationRoles: (options = {}) =>
      http.get('/rest/api/2/applicationrole', { schema: applicationRoleListSchema, ...sig(options.signal) }),
    projectRoles: roles.projectRoles,
    projectRole: roles.projectRole,
  };
}
