import type { SimState } from '../../state.ts';
import type { CloudSite, Org, RoleAssignment } from '../../world/types.ts';
import { cloudConfluencePath, cloudJiraPath } from '../../site-directory.ts';
import { orgIndex } from './org-index.ts';

/** The products an org sells, as the Admin API names them (`Product.key` in the spec). */
export const PRODUCT_KEYS = ['jira-software', 'confluence'] as const;
export type ProductKey = (typeof PRODUCT_KEYS)[number];

export const PRODUCT_NAMES: Record<ProductKey, string> = { 'jira-software': 'Jira Software', confluence: 'Confluence' };

/** One product on one site that an account can use; derived from the org's role assignments. */
export interface ProductGrant {
  key: ProductKey;
  site: CloudSite;
  /** The workspace ARI, e.g. `ari:cloud:jira::site/{cloudId}`. */
  resource: string;
  url: string;
}

const SITE_ARI = /^ari:cloud:(jira|confluence)::site\/(.+)$/;

/** The workspace ARI of a site product, as role assignments and the workspaces API name it. */
export function workspaceAri(product: ProductKey, site: CloudSite): string {
  return `ari:cloud:${product === 'confluence' ? 'confluence' : 'jira'}::site/${site.cloudId}`;
}

export function productUrl(state: SimState, product: ProductKey, site: CloudSite): string {
  return `${state.baseUrl}${product === 'confluence' ? cloudConfluencePath(site.host) : cloudJiraPath(site.host)}`;
}

/**
 * Grants resolved per resource ARI, per site list (a regenerated world brings a new list). Why: every user of a
 * directory page is resolved against the same few site products, and parsing the ARI and searching the sites for
 * each of them dominated the cost of a page.
 */
const resolved = new WeakMap<readonly CloudSite[], Map<string, ProductGrant | undefined>>();

/** Resolves a role assignment's resource to the site product it grants, if it is one. */
export function grantOf(state: SimState, assignment: RoleAssignment): ProductGrant | undefined {
  const sites = state.world.cloudSites;
  let cache = resolved.get(sites);
  if (!cache) resolved.set(sites, (cache = new Map()));
  const key = `${state.baseUrl}|${assignment.resource}`;
  if (cache.has(key)) return cache.get(key);
  const grant = resolveGrant(state, assignment);
  cache.set(key, grant);
  return grant;
}

function resolveGrant(state: SimState, assignment: RoleAssignment): ProductGrant | undefined {
  const match = SITE_ARI.exec(assignment.resource);
  if (!match?.[1] || !match[2]) return undefined;
  const site = state.world.cloudSites.find((s) => s.cloudId === match[2]);
  if (!site) return undefined;
  const key: ProductKey = match[1] === 'confluence' ? 'confluence' : 'jira-software';
  return { key, site, resource: assignment.resource, url: productUrl(state, key, site) };
}

/** Every site product the user can use, one entry per product and site. */
export function productGrants(state: SimState, org: Org, userIdx: number): ProductGrant[] {
  const grants = new Map<string, ProductGrant>();
  for (const assignment of orgIndex(org).rolesByUser.get(userIdx) ?? []) {
    const grant = grantOf(state, assignment);
    if (grant) grants.set(grant.resource, grant);
  }
  return [...grants.values()];
}
