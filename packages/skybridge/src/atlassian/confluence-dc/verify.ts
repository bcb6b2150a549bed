import { err, ok } from '../../domain/result.ts';
import { AtlassianError } from '../atlassian-error.ts';
import type { VerifyFn, VerifyReport } from '../verify-target.ts';
import { meterRequests, targetAuth, targetBaseUrl } from '../verify-target.ts';
import { createConfluenceDcApi } from './client.ts';

/**
 * Verify for `confluence-dc`: server information (version and build), the current user (does the token work?) and
 * a sample of spaces. A Confluence Cloud or Jira URL has no `/rest/api/server-information`: that 404 is turned into
 * a specific `wrong_product` by `../verify.ts`, which probes what the URL is instead.
 */

/** Spaces sampled. */
export const CONFLUENCE_DC_SAMPLE_SIZE = 10;

/** Atlassian Cloud sites live on `*.atlassian.net`; a Data Center instance never does. */
function isCloudHost(url: string): boolean {
  const host = URL.parse(url)?.hostname ?? '';
  return host === 'atlassian.net' || host.endsWith('.atlassian.net');
}

export const verifyConfluenceDc: VerifyFn = async (target, deps) => {
  const base = targetBaseUrl(target.url);
  if (!base.ok) return base;
  const meter = meterRequests(deps.http);
  // Data Center's rate limit is one token bucket per user, so all calls share one pacing scope.
  const api = createConfluenceDcApi(
    meter.http({ baseUrl: base.value, auth: targetAuth(target), rateLimitScope: 'client' }),
  );
  const warnings: string[] = [];

  const info = await api.serverInformation();
  if (!info.ok) return info;
  if (info.value.baseUrl !== undefined && isCloudHost(info.value.baseUrl)) {
    return err(
      new AtlassianError('wrong_product', {
        detail:
          'this is Confluence Cloud (its base URL is on atlassian.net): use kind confluence-cloud with an email and API token',
      }),
    );
  }

  const me = await api.currentUser();
  if (!me.ok) return me;
  // Why: Confluence serves a caller it did not authenticate as the anonymous Person; that proves nothing.
  if (me.value.type === 'anonymous') return err(new AtlassianError('authenticated_failed', { status: 200 }));

  const spaces = await api.spaces({ limit: CONFLUENCE_DC_SAMPLE_SIZE });
  if (!spaces.ok) return spaces;
  const sample = spaces.value.results.slice(0, CONFLUENCE_DC_SAMPLE_SIZE);
  if (sample.length === 0) {
    warnings.push(
      'The user can see no spaces, so there is nothing to sync. Give it the View permission on the spaces to sync.',
    );
  }

  const { version, buildNumber } = info.value;
  const { userKey, username, displayName } = me.value;
  return ok({
    kind: target.kind,
    product: { name: 'Confluence', version, ...(buildNumber === undefined ? {} : { buildNumber }) },
    account: { id: userKey ?? username ?? displayName, displayName },
    sample: { type: 'space', items: sample.map(({ id, key, name }) => ({ id, key, name })) },
    warnings,
    requests: meter.requests(),
  } satisfies VerifyReport);
};
