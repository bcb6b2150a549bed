import { err, ok } from '../../domain/result.ts';
import { AtlassianError } from '../atlassian-error.ts';
import type { VerifyFn, VerifyReport } from '../verify-target.ts';
import { gatewayBaseUrl, meterRequests, targetAuth, targetBaseUrl } from '../verify-target.ts';
import { createJiraCloudApi, fetchTenantInfo } from './client.ts';
import type { JiraCloudServerInfo } from './schemas.ts';

/**
 * Verify for `jira-cloud`: tenant_info (the cloudId, which becomes the report's `siteId`), serverInfo (is this
 * Cloud?), myself (does the credential work?), a sample of projects and the account's permissions on each.
 */

/** The permissions asked for on each sampled project: what sync and tickets need. */
export const JIRA_VERIFY_PERMISSIONS = [
  'BROWSE_PROJECTS',
  'CREATE_ISSUES',
  'EDIT_ISSUES',
  'TRANSITION_ISSUES',
  'ADD_COMMENTS',
  'ADMINISTER_PROJECTS',
] as const;

/** Projects sampled (and checked for permissions). */
export const JIRA_SAMPLE_SIZE = 10;

function productOf(info: JiraCloudServerInfo): VerifyReport['product'] {
  return {
    name: 'Jira',
    ...(info.version === undefined ? {} : { version: info.version }),
    ...(info.deploymentType === undefined ? {} : { deploymentType: info.deploymentType }),
    ...(info.buildNumber === undefined ? {} : { buildNumber: info.buildNumber }),
    ...(info.serverTitle === undefined ? {} : { title: info.serverTitle }),
  };
}

/** A Data Center or Server instance answers serverInfo too, with its own deployment type. */
function notCloud(info: JiraCloudServerInfo): AtlassianError | undefined {
  if (info.deploymentType === undefined || info.deploymentType === 'Cloud') return undefined;
  return new AtlassianError('wrong_product', {
    detail: `this is a Jira Data Center or Server instance (serverInfo says deploymentType "${info.deploymentType}"), not Jira Cloud: use kind jira-dc with a personal access token`,
  });
}

export const verifyJiraCloud: VerifyFn = async (target, deps) => {
  const site = targetBaseUrl(target.url);
  if (!site.ok) return site;
  const meter = meterRequests(deps.http);
  const auth = targetAuth(target);
  const siteHttp = meter.http({ baseUrl: site.value, auth });
  const siteApi = createJiraCloudApi(siteHttp);
  const warnings: string[] = [];

  // tenant_info lives on the site even when the API calls go through the gateway.
  const tenant = await fetchTenantInfo(siteHttp);
  let siteId: string | undefined;
  let serverInfo: JiraCloudServerInfo | undefined;
  if (tenant.ok) {
    siteId = tenant.value.cloudId;
  } else if (target.authMode === 'gateway' || tenant.error.code !== 'not_found') {
    // The gateway URL needs the cloudId; and any other failure (DNS, TLS, ...) would fail every next call too.
    return tenant;
  } else {
    // No tenant_info: either not a cloud site (serverInfo tells, below) or an edge that hides it.
    const info = await siteApi.serverInfo();
    if (!info.ok) return info;
    const wrong = notCloud(info.value);
    if (wrong) return err(wrong);
    serverInfo = info.value;
    warnings.push('The site did not answer /_edge/tenant_info, so its cloud id (site id) is unknown.');
  }

  const api =
    target.authMode === 'gateway' && siteId !== undefined
      ? createJiraCloudApi(meter.http({ baseUrl: gatewayBaseUrl(target, 'jira', siteId), auth }))
      : siteApi;

  if (!serverInfo) {
    const info = await api.serverInfo();
    if (!info.ok) return info;
    const wrong = notCloud(info.value);
    if (wrong) return err(wrong);
    serverInfo = info.value;
  }

  // serverInfo is served to anyone; myself is where a bad or expired credential shows.
  const me = await api.myself();
  if (!me.ok) return me;

  const projects = await api.searchProjects({ maxResults: JIRA_SAMPLE_SIZE });
  if (!projects.ok) return projects;
  const sample = projects.value.values.slice(0, JIRA_SAMPLE_SIZE);
  if (sample.length === 0) {
    warnings.push(
      'The account can browse no projects, so there is nothing to sync. Give it the Browse Projects permission (for example through a project role or group).',
    );
  }

  const permissions: Record<string, string[]> = {};
  for (const project of sample) {
    const mine = await api.myPermissions({ projectKey: project.key, permissions: JIRA_VERIFY_PERMISSIONS });
    if (!mine.ok) return mine;
    permissions[project.key] = JIRA_VERIFY_PERMISSIONS.filter((key) => mine.value.permissions[key]?.havePermission);
  }
  const missing = JIRA_VERIFY_PERMISSIONS.filter(
    // Administering projects is optional: only project setup needs it, not sync or tickets.
    (key) =>
      key !== 'ADMINISTER_PROJECTS' && sample.length > 0 && sample.every((p) => !permissions[p.key]?.includes(key)),
  );
  if (missing.length > 0) {
    warnings.push(
      `The account lacks ${missing.join(', ')} on every sampled project: tickets that need them will fail.`,
    );
  }

  const { accountId, displayName, emailAddress, active } = me.value;
  return ok({
    kind: target.kind,
    product: productOf(serverInfo),
    account: {
      id: accountId,
      displayName,
      ...(emailAddress === undefined ? {} : { email: emailAddress }),
      ...(active === undefined ? {} : { active }),
    },
    ...(siteId === undefined ? {} : { siteId }),
    sample: { type: 'project', items: sample.map(({ id, key, name }) => ({ id, key, name })) },
    permissions,
    warnings,
    requests: meter.requests(),
  } satisfies VerifyReport);
};
