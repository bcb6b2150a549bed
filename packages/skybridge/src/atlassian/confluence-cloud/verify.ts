import { err, ok } from '../../domain/result.ts';
import { AtlassianError } from '../atlassian-error.ts';
import { fetchTenantInfo } from '../jira-cloud/client.ts';
import type { VerifyFn, VerifyReport } from '../verify-target.ts';
import { gatewayBaseUrl, meterRequests, targetAuth, targetBaseUrl } from '../verify-target.ts';
import { createConfluenceCloudApi } from './client.ts';

/**
 * Verify for `confluence-cloud`: tenant_info on the site root (the report's `siteId`), the current user (does the
 * credential work?) and a sample of spaces.
 */

/** Spaces sampled. */
export const CONFLUENCE_SAMPLE_SIZE = 10;

/**
 * The site root and the Confluence base from the URL the user gave. People paste either the site
 * (`https://acme.atlassian.net`) or a Confluence page URL's start (`https://acme.atlassian.net/wiki`); both mean the
 * same Confluence, whose REST API lives under `/wiki`.
 */
export function confluenceCloudBases(base: string): { site: string; wiki: string } {
  return base.endsWith('/wiki')
    ? { site: base.slice(0, -'/wiki'.length), wiki: base }
    : { site: base, wiki: `${base}/wiki` };
}

export const verifyConfluenceCloud: VerifyFn = async (target, deps) => {
  const base = targetBaseUrl(target.url);
  if (!base.ok) return base;
  const { site, wiki } = confluenceCloudBases(base.value);
  const meter = meterRequests(deps.http);
  const auth = targetAuth(target);
  const warnings: string[] = [];

  const tenant = await fetchTenantInfo(meter.http({ baseUrl: site, auth }));
  let siteId: string | undefined;
  if (tenant.ok) siteId = tenant.value.cloudId;
  // The gateway URL needs the cloudId; any failure other than a missing endpoint would fail every next call too.
  else if (target.authMode === 'gateway' || tenant.error.code !== 'not_found') return tenant;
  else warnings.push('The site did not answer /_edge/tenant_info, so its cloud id (site id) is unknown.');

  const apiBase =
    target.authMode === 'gateway' && siteId !== undefined
      ? `${gatewayBaseUrl(target, 'confluence', siteId)}/wiki`
      : wiki;
  const api = createConfluenceCloudApi(meter.http({ baseUrl: apiBase, auth }));

  const me = await api.currentUser();
  if (!me.ok) return me;
  // Why: a request Confluence served as nobody is not proof the credential works, whatever the status said.
  if (me.value.type === 'anonymous' || me.value.accountId === undefined) {
    return err(new AtlassianError('authenticated_failed', { status: 200 }));
  }

  const spaces = await api.spaces({ limit: CONFLUENCE_SAMPLE_SIZE });
  if (!spaces.ok) return spaces;
  const sample = spaces.value.results.slice(0, CONFLUENCE_SAMPLE_SIZE);
  if (sample.length === 0) {
    warnings.push(
      'The account can see no spaces, so there is nothing to sync. Give it the View permission on the spaces to sync.',
    );
  }

  const { accountId, displayName, email } = me.value;
  return ok({
    kind: target.kind,
    // Why "Cloud" without the server saying so: Confluence Cloud has no server-info endpoint, and the v2 API that
    // just answered exists only on Cloud.
    product: { name: 'Confluence', deploymentType: 'Cloud' },
    account: { id: accountId, displayName, ...(email === undefined ? {} : { email }) },
    ...(siteId === undefined ? {} : { siteId }),
    sample: { type: 'space', items: sample.map(({ id, key, name }) => ({ id, key, name })) },
    warnings,
    requests: meter.requests(),
  } satisfies VerifyReport);
};
