import { AtlassianError } from '../atlassian/atlassian-error.ts';
import type { JiraIssuesApi } from '../atlassian/jira-issues.ts';
import { createJiraIssuesTransportWith } from '../atlassian/jira-issues-transport.ts';
import { jiraCloudIssuesApiOver } from '../atlassian/jira-cloud/issues-client.ts';
import { jiraDcIssuesApiOver } from '../atlassian/jira-dc/issues-client.ts';
import { gatewayBaseUrl, targetAuth, targetBaseUrl } from '../atlassian/verify-target.ts';
import type { OpenedConnection } from '../connections/create-connections-service.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';

/** Connection kinds an instance can write tickets through. */
export const TICKET_CONNECTION_KINDS = ['jira-cloud', 'jira-dc'] as const;

export function isTicketConnectionKind(kind: string): kind is (typeof TICKET_CONNECTION_KINDS)[number] {
  return (TICKET_CONNECTION_KINDS as readonly string[]).includes(kind);
}

/**
 * The Jira write client of an opened connection: Cloud (REST v3, directly or through the gateway) or Data Center
 * (REST v2, paced as one bucket per connection, like its reads). Every request goes through the connection's
 * guarded client, pacer and outcome reporting.
 */
export function openIssuesApi(opened: OpenedConnection): Result<JiraIssuesApi, AtlassianError> {
  const { connection, target, http } = opened;
  const base = targetBaseUrl(target.url);
  if (!base.ok) return base;
  const auth = targetAuth(target);
  if (connection.kind === 'jira-dc') {
    const transport = createJiraIssuesTransportWith((wrapFetch) =>
      http({ baseUrl: base.value, auth, rateLimitScope: 'client', scopePrefix: connection.id, wrapFetch }),
    );
    return ok(jiraDcIssuesApiOver(transport));
  }
  if (connection.kind !== 'jira-cloud')
    return err(new AtlassianError('wrong_product', { detail: `a ${connection.kind} connection cannot hold tickets` }));
  let apiBase = base.value;
  if (target.authMode === 'gateway') {
    if (connection.siteId === undefined)
      return err(
        new AtlassianError('bad_url', { detail: 'gateway mode needs the site cloud id (verify the connection)' }),
      );
    apiBase = gatewayBaseUrl(target, 'jira', connection.siteId);
  }
  const transport = createJiraIssuesTransportWith((wrapFetch) => http({ baseUrl: apiBase, auth, wrapFetch }));
  return ok(jiraCloudIssuesApiOver(transport));
}
