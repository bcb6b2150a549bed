import type { Result } from '../../domain/result.ts';
import type { AtlassianError } from '../atlassian-error.ts';
import type { AtlassianHttp } from '../http-client.ts';
import type { JiraDcProject, JiraDcServerInfo, JiraDcUser } from './schemas.ts';
import { projectListSchema, serverInfoSchema, userSchema } from './schemas.ts';

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
