import type { SimState } from './state.ts';

/**
 * Where each simulated product lives. Every site has its own base URL under the simulator's origin (a path prefix,
 * as Data Center context paths need anyway):
 * - Jira Cloud `/s/{host}`, Confluence Cloud `/s/{host}/wiki`, and the gateway `/ex/{jira|confluence}/{cloudId}`
 * - Admin API `/admin` (stands in for https://api.atlassian.com/admin), Teams API `/public/teams`
 * - Data Center `/dc/{name}{contextPath}`
 */
export interface SiteEntry {
  name: string;
  product: 'jira' | 'confluence';
  deployment: 'cloud' | 'dc';
  baseUrl: string;
  credentials: { email: string; apiToken: string } | { pat: string };
  /** Index into `world.cloudSites` or `world.dcInstances`. */
  index: number;
}

export function cloudJiraPath(host: string): string {
  return `/s/${host}`;
}

export function cloudConfluencePath(host: string): string {
  return `/s/${host}/wiki`;
}

export function dcPath(name: string, contextPath: string): string {
  return `/dc/${name}${contextPath}`;
}

export function listSites(state: SimState): SiteEntry[] {
  const sites: SiteEntry[] = [];
  for (const [index, site] of state.world.cloudSites.entries()) {
    const org = state.world.orgs[site.orgIdx];
    const admin = org?.users[org.adminIdx];
    const credentials = { email: admin?.email ?? '', apiToken: state.issued.orgAdminTokens[site.orgIdx] ?? '' };
    sites.push({
      name: `${site.host}-jira`,
      product: 'jira',
      deployment: 'cloud',
      baseUrl: `${state.baseUrl}${cloudJiraPath(site.host)}`,
      credentials,
      index,
    });
    sites.push({
      name: `${site.host}-confluence`,
      product: 'confluence',
      deployment: 'cloud',
      baseUrl: `${state.baseUrl}${cloudConfluencePath(site.host)}`,
      credentials,
      index,
    });
  }
  for (const [index, instance] of state.world.dcInstances.entries()) {
    sites.push({
      name: instance.name,
      product: instance.product,
      deployment: 'dc',
      baseUrl: `${state.baseUrl}${dcPath(instance.name, instance.contextPath)}`,
      credentials: { pat: state.issued.dcPats[index] ?? '' },
      index,
    });
  }
  return sites;
}

/** The first line the CLI prints with `--json`: everything a client needs to connect. */
export function describeSimulator(state: SimState) {
  return {
    url: state.baseUrl,
    control: `${state.baseUrl}/_sim`,
    orgs: state.world.orgs.map((org, i) => {
      const admin = org.users[org.adminIdx];
      return {
        id: org.id,
        name: org.name,
        adminBaseUrl: `${state.baseUrl}/admin`,
        teamsBaseUrl: `${state.baseUrl}/public/teams`,
        apiKey: org.apiKey,
        email: admin?.email ?? '',
        apiToken: state.issued.orgAdminTokens[i] ?? '',
      };
    }),
    sites: listSites(state).map(({ index: _index, ...site }) => site),
  };
}
