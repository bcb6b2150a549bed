import { err, ok } from '../../domain/result.ts';
import { AtlassianError } from '../atlassian-error.ts';
import type { VerifyFn, VerifyReport } from '../verify-target.ts';
import { meterRequests, targetAuth, targetBaseUrl } from '../verify-target.ts';
import { createJiraDcApi } from './client.ts';

/**
 * Verify for `jira-dc`: serverInfo (is this Data Center or Server, not Cloud?), myself (does the token work?) and a
 * sample of projects.
 */

/** Projects sampled. */
export const JIRA_DC_SAMPLE_SIZE = 10;

export const verifyJiraDc: VerifyFn = async (target, deps) => {
  const base = targetBaseUrl(target.url);
  if (!base.ok) return base;
  const meter = meterRequests(deps.http);
  // Data Center's rate limit is one token bucket per user, so all calls share one pacing scope.
  const api = createJiraDcApi(meter.http({ baseUrl: base.value, auth: targetAuth(target), rateLimitScope: 'client' }));
  const warnings: string[] = [];

  const info = await api.serverInfo();
  if (!info.ok) return info;
  if (info.value.deploymentType === 'Cloud') {
    return err(
      new AtlassianError('wrong_product', {
        detail:
          'this is a Jira Cloud site (serverInfo says deploymentType "Cloud"): use kind jira-cloud with an email and API token',
      }),
    );
  }

  // serverInfo is served to anyone; myself is where a bad, expired or revoked token shows.
  const me = await api.myself();
  if (!me.ok) return me;
  if (me.value.active === false) warnings.push('The token belongs to a deactivated user.');

  const projects = await api.projects();
  if (!projects.ok) return projects;
  const sample = projects.value.slice(0, JIRA_DC_SAMPLE_SIZE);
  if (sample.length === 0) {
    warnings.push(
      'The user can browse no projects, so there is nothing to sync. Give it the Browse Projects permission.',
    );
  }

  const { version, deploymentType, buildNumber, serverTitle } = info.value;
  const { key, name, displayName, emailAddress, active } = me.value;
  return ok({
    kind: target.kind,
    product: {
      name: 'Jira',
      ...(version === undefined ? {} : { version }),
      ...(deploymentType === undefined ? {} : { deploymentType }),
      ...(buildNumber === undefined ? {} : { buildNumber }),
      ...(serverTitle === undefined ? {} : { title: serverTitle }),
    },
    // DC users have a stable `key` and a renameable `name`; the key is the id when the server gives one.
    account: {
      id: key ?? name,
      displayName,
      ...(emailAddress === undefined ? {} : { email: emailAddress }),
      ...(active === undefined ? {} : { active }),
    },
    sample: { type: 'project', items: sample.map((p) => ({ id: p.id, key: p.key, name: p.name })) },
    warnings,
    requests: meter.requests(),
  } satisfies VerifyReport);
};
