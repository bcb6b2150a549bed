import type { AtlassianErrorCode } from '../domain/atlassian-error-code.ts';
import type { ConnectionKind } from '../domain/connection-kinds.ts';
import { err } from '../domain/result.ts';
import { verifyAtlassianOrg } from './admin/verify.ts';
import { AtlassianError } from './atlassian-error.ts';
import { createConfluenceCloudApi } from './confluence-cloud/client.ts';
import { confluenceCloudBases, verifyConfluenceCloud } from './confluence-cloud/verify.ts';
import { createConfluenceDcApi } from './confluence-dc/client.ts';
import { verifyConfluenceDc } from './confluence-dc/verify.ts';
import { verifyJiraCloud } from './jira-cloud/verify.ts';
import { createJiraDcApi } from './jira-dc/client.ts';
import { verifyJiraDc } from './jira-dc/verify.ts';
import type { VerifyDeps, VerifyFn, VerifyTarget } from './verify-target.ts';
import { targetAuth, targetBaseUrl } from './verify-target.ts';

/**
 * `verifyTarget`: the one verify the connections layer calls. It dispatches by `target.kind` to the family's verify
 * (`jira-cloud/verify.ts`, ...), and when that failed because the URL does not serve the expected product's API
 * (404, or a body of another shape), it asks the URL what it is instead, so the user reads "this is Jira Data
 * Center: use kind jira-dc" rather than a bare 404.
 *
 * Requests are counted through `onOutcome`: the `deps.http` factory must pass it through to `createAtlassianHttp`.
 */

const VERIFIERS: Record<ConnectionKind, VerifyFn> = {
  'jira-cloud': verifyJiraCloud,
  'confluence-cloud': verifyConfluenceCloud,
  'jira-dc': verifyJiraDc,
  'confluence-dc': verifyConfluenceDc,
  'atlassian-org': verifyAtlassianOrg,
};

/** The kinds a product URL can turn out to be (the Admin API is never confused with a site). */
type ProductKind = Exclude<ConnectionKind, 'atlassian-org'>;

/** Failures that may mean "wrong product": the path does not exist here, or answers in another shape. */
const PROBE_AFTER: ReadonlySet<AtlassianErrorCode> = new Set(['not_found', 'bad_response']);

/**
 * Answers that prove an endpoint exists even though our credential was not accepted there: only paths that are not
 * there give 404. A probe runs only after the expected product's own path gave 404, so the host does not refuse
 * everything with 401.
 */
const EXISTS: ReadonlySet<AtlassianErrorCode> = new Set([
  'unauthorized',
  'authenticated_failed',
  'basic_auth_disabled',
  'captcha_required',
  'forbidden',
]);

const LABELS: Record<ProductKind, string> = {
  'jira-cloud': 'Jira Cloud',
  'jira-dc': 'Jira Data Center or Server',
  'confluence-cloud': 'Confluence Cloud',
  'confluence-dc': 'Confluence Data Center or Server',
};

const CREDENTIALS: Record<ProductKind, string> = {
  'jira-cloud': 'an email and API token',
  'confluence-cloud': 'an email and API token',
  'jira-dc': 'a personal access token',
  'confluence-dc': 'a personal access token',
};

interface Identified {
  kind: ProductKind;
  /** What gave it away, for the message. */
  evidence: string;
}

/**
 * What the URL is, by the cheapest tell of each product, in an order where an earlier tell cannot be mistaken for a
 * later product: Jira's serverInfo (anonymous on both deployments, and it names the deployment), Confluence Cloud's
 * v2 API (which Data Center does not have), then Confluence Data Center's server information.
 */
async function identifyProduct(target: VerifyTarget, deps: VerifyDeps): Promise<Identified | undefined> {
  const base = targetBaseUrl(target.url);
  if (!base.ok) return undefined;
  const auth = targetAuth(target);

  const jira = await createJiraDcApi(deps.http({ baseUrl: base.value, auth })).serverInfo();
  if (jira.ok && jira.value.version !== undefined) {
    const type = jira.value.deploymentType ?? 'none';
    return {
      kind: type === 'Cloud' ? 'jira-cloud' : 'jira-dc',
      evidence: `its serverInfo says deploymentType "${type}"`,
    };
  }

  const { wiki } = confluenceCloudBases(base.value);
  const cloud = await createConfluenceCloudApi(deps.http({ baseUrl: wiki, auth })).spaces({ limit: 1 });
  if (cloud.ok || EXISTS.has(cloud.error.code)) {
    return { kind: 'confluence-cloud', evidence: 'it serves the Confluence Cloud v2 API' };
  }

  const dc = await createConfluenceDcApi(deps.http({ baseUrl: base.value, auth })).serverInformation();
  if (dc.ok || EXISTS.has(dc.error.code)) {
    return { kind: 'confluence-dc', evidence: 'it serves /rest/api/server-information' };
  }
  return undefined;
}

/** A hint for the confusions that need more than "use the other kind". */
function hint(expected: ProductKind, found: ProductKind): string {
  if (expected === 'confluence-cloud' && found === 'jira-cloud')
    return '; this cloud site has no Confluence under /wiki';
  if (expected === 'jira-cloud' && found === 'confluence-cloud') {
    return '; for Jira on the same site, give the site URL without /wiki';
  }
  if (expected === 'confluence-dc' && found === 'jira-cloud') {
    return '; for the Confluence of a cloud site use kind confluence-cloud';
  }
  return '';
}

function wrongProduct(expected: ProductKind, found: Identified): AtlassianError {
  return new AtlassianError('wrong_product', {
    detail: `this URL is ${LABELS[found.kind]} (${found.evidence}), not ${LABELS[expected]}: use kind ${found.kind} with ${CREDENTIALS[found.kind]}${hint(expected, found.kind)}`,
  });
}

/**
 * Proves a credential against its target and reports what it can see (see `VerifyReport`). Read-only. Failures are
 * `AtlassianError`s with an actionable message; a URL that serves another Atlassian product than the kind expects is
 * `wrong_product` naming the kind to use.
 */
export const verifyTarget: VerifyFn = async (target, deps) => {
  const result = await VERIFIERS[target.kind](target, deps);
  if (result.ok || target.kind === 'atlassian-org' || !PROBE_AFTER.has(result.error.code)) return result;
  const found = await identifyProduct(target, deps);
  if (!found || found.kind === target.kind) return result;
  return err(wrongProduct(target.kind, found));
};
