import { DEFAULT_TEAMS_API_URL } from '../../domain/connection-kinds.ts';
import type { Result } from '../../domain/result.ts';
import { err, ok } from '../../domain/result.ts';
import { AtlassianError } from '../atlassian-error.ts';
import { createTeamsApi } from '../teams/client.ts';
import type { AtlassianAuth } from '../http-client.ts';
import type { HttpFactory, VerifyFn, VerifyReport } from '../verify-target.ts';
import { meterRequests, targetAuth, targetBaseUrl } from '../verify-target.ts';
import { createAdminApi } from './client.ts';

/**
 * Verify for `atlassian-org`: the organization (does the key belong to it?), the first page of its managed accounts
 * (a sample and the total), and, when a Teams account is configured, one call to the Teams API. The Teams check is
 * reported but never fails the verify: the org connection works without it.
 */

/** Users sampled. */
export const ORG_SAMPLE_SIZE = 10;

/** The org id is in the path of every call, so a wrong one is a 404 that Atlassian words the same as "not yours". */
function orgNotFound(status: number | undefined): AtlassianError {
  return new AtlassianError('not_found', {
    ...(status === undefined ? {} : { status }),
    detail:
      'the organization was not found: either the org id is wrong, or the API key was created in another organization. Copy the id from admin.atlassian.com (it is in the URL of the organization pages) and use a key created there.',
  });
}

/** The Teams API check: `size=1`, Basic auth with the Teams account. */
async function checkTeams(
  teamsUrl: string,
  orgId: string,
  auth: AtlassianAuth,
  http: HttpFactory,
): Promise<{ teams: NonNullable<VerifyReport['teams']>; warning?: string }> {
  const base = targetBaseUrl(teamsUrl);
  const result: Result<{ teams: unknown[] }, AtlassianError> = base.ok
    ? await createTeamsApi(http({ baseUrl: base.value, auth })).teams(orgId, { size: 1 })
    : base;
  if (result.ok) return { teams: { ok: true, sampled: result.value.teams.length } };
  const message = result.error.actionableMessage();
  return {
    teams: { ok: false, error: message },
    warning: `The Teams API check failed (${result.error.code}): ${message}`,
  };
}

export const verifyAtlassianOrg: VerifyFn = async (target, deps) => {
  // A missing org id is a caller bug: the connections layer requires it for this kind (KIND_TRAITS.requires).
  const orgId = target.orgId;
  if (!orgId) throw new TypeError('verify: an atlassian-org target needs an orgId');
  const base = targetBaseUrl(target.url);
  if (!base.ok) return base;
  const meter = meterRequests(deps.http);
  const api = createAdminApi(meter.http({ baseUrl: base.value, auth: targetAuth(target) }));
  const warnings: string[] = [];

  const org = await api.org(orgId);
  if (!org.ok) return org.error.code === 'not_found' ? err(orgNotFound(org.error.status)) : org;

  const users = await api.orgUsers(orgId);
  if (!users.ok) return users;
  const sample = users.value.users.slice(0, ORG_SAMPLE_SIZE);

  // The Teams API answers on api.atlassian.com to the org API key itself, and on a site's gateway to an account's
  // email + API token (API-NOTES §2.2). With a Teams account given we use that; otherwise the org key.
  let teams: VerifyReport['teams'];
  if (target.teamsEmail || target.teamsSecret) {
    if (target.teamsEmail && target.teamsSecret) {
      const auth = { type: 'basic', email: target.teamsEmail, token: target.teamsSecret } as const;
      const checked = await checkTeams(target.teamsUrl ?? DEFAULT_TEAMS_API_URL, orgId, auth, meter.http);
      teams = checked.teams;
      if (checked.warning) warnings.push(checked.warning);
    } else warnings.push('The Teams API was not checked: it needs both a Teams account email and its API token.');
  } else if (target.teamsUrl) {
    const checked = await checkTeams(target.teamsUrl, orgId, targetAuth(target), meter.http);
    teams = checked.teams;
    if (checked.warning) warnings.push(checked.warning);
  }

  const { total } = users.value;
  return ok({
    kind: target.kind,
    product: { name: 'Atlassian Admin' },
    org: { id: org.value.id, name: org.value.attributes.name, ...(total === undefined ? {} : { users: total }) },
    sample: { type: 'user', items: sample.map((u) => ({ id: u.account_id, name: u.name })) },
    ...(teams === undefined ? {} : { teams }),
    warnings,
    requests: meter.requests(),
  } satisfies VerifyReport);
};
