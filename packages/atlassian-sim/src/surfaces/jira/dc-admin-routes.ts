import type { SimState } from '../../state.ts';
import { createRandom } from '../../random.ts';
import { jiraError } from '../errors.ts';
import type { RouteContext, Router } from '../route.ts';
import { ADMIN_REQUIRED } from './identity/cloud-user-routes.ts';
import { registerApplinkRoutes } from '../dc-admin/applinks.ts';
import { activeUsersIn } from '../dc-admin/licence.ts';
import { registerUpmRoutes } from '../dc-admin/upm.ts';
import { isDcAdmin } from './identity/dc-admin-access.ts';
import { dcLicenseBean } from './identity/dc-license-bean.ts';

/** The applinks plugin version a Jira 10.3 ships. */
const APPLINKS_VERSION = '10.1.3';

/** The manifest lists the same providers inbound and outbound. */
const AUTHENTICATION_TYPES = [
  'com.atlassian.applinks.api.auth.types.OAuthAuthenticationProvider',
  'com.atlassian.applinks.api.auth.types.TwoLeggedOAuthAuthenticationProvider',
];

/** Data Center instance metadata: application roles, cluster nodes, UPM apps, application links, licence. */
export function registerJiraDcAdminRoutes(router: Router, state: SimState, instanceIdx: number, baseUrl: string): void {
  const instance = () => {
    const found = state.world.dcInstances[instanceIdx];
    if (!found) throw new Error(`no DC instance ${instanceIdx}`);
    return found;
  };
  const admin = (ctx: RouteContext) => isDcAdmin(instance(), instanceIdx, ctx.principal);
  const forbidden = () => jiraError(403, [ADMIN_REQUIRED]);
  // UPM writes links relative to the server root, including the context path.
  const contextPath = new URL(baseUrl).pathname;
  const applinkId = createRandom(`applink-${instance().name}`).uuid();

  router.get('/rest/api/2/applicationrole', (ctx) => {
    if (!admin(ctx)) return forbidden();
    const inst = instance();
    return ctx.json(
      200,
      inst.applicationRoles.map((role) => {
        // A seat is taken by each distinct active user in any of the role's groups.
        const userCount = activeUsersIn(inst, role.groups);
        return {
          key: role.key,
          groups: role.groups,
          name: role.name,
          defaultGroups: role.defaultGroups,
          selectedByDefault: false,
          defined: true,
          numberOfSeats: role.numberOfSeats,
          remainingSeats: role.numberOfSeats - userCount,
          userCount,
          userCountDescription: role.key === 'jira-servicedesk' ? 'agents' : 'users',
          hasUnlimitedSeats: false,
          platform: false,
        };
      }),
    );
  });

  router.get('/rest/api/2/cluster/nodes', (ctx) => {
    // The spec documents 401 (not 403) for a caller without admin permissions, and 405 on a non-DC licence.
    if (!admin(ctx)) return jiraError(401, [ADMIN_REQUIRED]);
    const inst = instance();
    if (!inst.license.dataCenter) return jiraError(405, ['This method is only available in Jira Data Center.']);
    return ctx.json(
      200,
      Array.from({ length: inst.nodeCount }, (_, i) => ({
        nodeId: `node${i + 1}`,
        state: 'ACTIVE',
        alive: true,
        ip: `10.0.0.${11 + i}`,
        cacheListenerPort: 40001,
        nodeBuildNumber: inst.buildNumber,
        nodeVersion: inst.version,
        lastStateChangeTimestamp: state.world.epoch - (i + 1) * 3_600_000,
      })),
    );
  });

  const host = { instance, baseUrl, contextPath, isAdmin: admin };
  registerUpmRoutes(router, host, {
    negotiation: 'jax-rs',
    pluginRoute: '/rest/plugins/1.0/:pluginKey{.+-key}',
    charset: false,
    listLinks: { alternate: '?os_authType=basic', available: 'available/featured', 'pending-tasks': 'pending' },
    detail: true,
    vendorSlug: (vendor) => vendor.toLowerCase(),
    token: () => String(-Math.abs(hashCode(`${instance().serverId}|${state.now()}`))),
    denied: forbidden,
    notFound: (_raw, key) => jiraError(404, [`Plugin '${key ?? ''}' was not found.`]),
  });
  // Application links need a credential (the router's default) but not an administrator.
  registerApplinkRoutes(router, host, {
    guardList: () => undefined,
    hrefs: false,
    manifest: () => ({
      id: applinkId,
      applinksVersion: APPLINKS_VERSION,
      authenticationTypes: AUTHENTICATION_TYPES,
      iconUrl: `${baseUrl}/s/en_US/10030012/images/fav-jsw.png`,
    }),
  });

  router.get('/rest/plugins/applications/1.0/installed/jira-software/license', (ctx) => {
    if (!admin(ctx)) return forbidden();
    return ctx.json(200, dcLicenseBean(instance(), state.now()));
  });
}

function hashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}
