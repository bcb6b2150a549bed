import type { ConnectionKind } from '../../domain/connection-kinds.ts';
import { DEFAULT_TEAMS_API_URL } from '../../domain/connection-kinds.ts';
import type { Result } from '../../domain/result.ts';
import { err, ok } from '../../domain/result.ts';
import { AtlassianError } from '../../atlassian/atlassian-error.ts';
import { createAdminApi, createAdminDirectoryApi } from '../../atlassian/admin/client.ts';
import {
  createConfluenceCloudApi,
  createConfluenceCloudDirectoryApi,
} from '../../atlassian/confluence-cloud/client.ts';
import { confluenceCloudBases } from '../../atlassian/confluence-cloud/verify.ts';
import { createConfluenceDcApi, createConfluenceDcDirectoryApi } from '../../atlassian/confluence-dc/client.ts';
import { createJiraCloudApi, createJiraCloudDirectoryApi } from '../../atlassian/jira-cloud/client.ts';
import { createJiraDcApi, createJiraDcDirectoryApi } from '../../atlassian/jira-dc/client.ts';
import type { AtlassianAuth } from '../../atlassian/http-client.ts';
import { createTeamsApi } from '../../atlassian/teams/client.ts';
import type { HttpFactory, VerifyTarget } from '../../atlassian/verify-target.ts';
import { gatewayBaseUrl, targetAuth, targetBaseUrl } from '../../atlassian/verify-target.ts';
import { createAtlassianOrgReader } from './atlassian-org-reader.ts';
import { createConfluenceCloudReader } from './confluence-cloud-reader.ts';
import { createConfluenceDcReader } from './confluence-dc-reader.ts';
import { createJiraCloudReader } from './jira-cloud-reader.ts';
import { createJiraDcReader } from './jira-dc-reader.ts';
import type { SourceReader } from './source-reader.ts';

/** A connection as a source: its fields with the secret opened for this sync, plus what the reader needs. */
export interface SourceReaderOptions extends Omit<VerifyTarget, 'kind'> {
  /** Prefix of every record id (`${connectionId}:${type}:${externalId}`). */
  connectionId: string;
  /** Builds the clients; the hub's factory supplies guarded fetch, pacer and outcome reporting. */
  http: HttpFactory;
  /** The site's cloud id (from verify): required for cloud kinds in `gateway` auth mode. */
  cloudId?: string;
}

/**
 * The reader for a connection's kind, over clients built with `options.http`. An unusable URL (or a gateway-mode
 * cloud connection without its cloud id) is an error before anything is sent. Data Center clients pace per client
 * (one bucket per user) scoped by the connection id.
 */
export function createSourceReader(
  kind: ConnectionKind,
  options: SourceReaderOptions,
): Result<SourceReader, AtlassianError> {
  const base = targetBaseUrl(options.url);
  if (!base.ok) return base;
  const auth = targetAuth({ ...options, kind });
  const { connectionId, http } = options;
  const cloudBase = (product: 'jira' | 'confluence', direct: string): Result<string, AtlassianError> => {
    if (options.authMode === 'direct') return ok(direct);
    if (!options.cloudId) {
      return err(
        new AtlassianError('bad_url', { detail: 'gateway mode needs the site cloud id (verify the connection)' }),
      );
    }
    const gateway = gatewayBaseUrl({ ...options, kind }, product, options.cloudId);
    return ok(product === 'confluence' ? `${gateway}/wiki` : gateway);
  };
  switch (kind) {
    case 'jira-cloud': {
      const apiBase = cloudBase('jira', base.value);
      if (!apiBase.ok) return apiBase;
      const client = http({ baseUrl: apiBase.value, auth });
      return ok(
        createJiraCloudReader({
          connectionId,
          jira: { ...createJiraCloudApi(client), ...createJiraCloudDirectoryApi(client) },
        }),
      );
    }
    case 'confluence-cloud': {
      const apiBase = cloudBase('confluence', confluenceCloudBases(base.value).wiki);
      if (!apiBase.ok) return apiBase;
      const client = http({ baseUrl: apiBase.value, auth });
      return ok(
        createConfluenceCloudReader({
          connectionId,
          confluence: { ...createConfluenceCloudApi(client), ...createConfluenceCloudDirectoryApi(client) },
        }),
      );
    }
    case 'jira-dc': {
      const client = http({ baseUrl: base.value, auth, rateLimitScope: 'client', scopePrefix: connectionId });
      return ok(
        createJiraDcReader({ connectionId, jira: { ...createJiraDcApi(client), ...createJiraDcDirectoryApi(client) } }),
      );
    }
    case 'confluence-dc': {
      const client = http({ baseUrl: base.value, auth, rateLimitScope: 'client', scopePrefix: connectionId });
      return ok(
        createConfluenceDcReader({
          connectionId,
          confluence: { ...createConfluenceDcApi(client), ...createConfluenceDcDirectoryApi(client) },
        }),
      );
    }
    case 'atlassian-org': {
      if (!options.orgId)
        return err(new AtlassianError('bad_url', { detail: 'an atlassian-org connection needs its orgId' }));
      const teamsBase = targetBaseUrl(options.teamsUrl ?? DEFAULT_TEAMS_API_URL);
      if (!teamsBase.ok) return teamsBase;
      // Teams takes Basic email:API-token when one is configured, else the org API key as Bearer (api.atlassian.com).
      const teamsAuth: AtlassianAuth =
        options.teamsEmail && options.teamsSecret
          ? { type: 'basic', email: options.teamsEmail, token: options.teamsSecret }
          : auth;
      const admin = http({ baseUrl: base.value, auth });
      const teamsHttp = http({ baseUrl: teamsBase.value, auth: teamsAuth });
      return ok(
        createAtlassianOrgReader({
          connectionId,
          orgId: options.orgId,
          admin: { ...createAdminApi(admin), ...createAdminDirectoryApi(admin) },
          teams: createTeamsApi(teamsHttp),
          teamsHttp,
        }),
      );
    }
  }
}
