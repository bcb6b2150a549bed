import type { SimState } from '../../state.ts';
import { createRandom } from '../../random.ts';
import { jiraError } from '../errors.ts';
import type { RouteContext, Router } from '../route.ts';
import { ADMIN_REQUIRED } from './identity/cloud-user-routes.ts';
import { activeUsersIn, isDcAdmin } from './identity/dc-admin-access.ts';
import { applinkManifest, applinkManifestXml } from './identity/applink-manifest.ts';
import { dcLicenseBean } from './identity/dc-license-bean.ts';
import { UPM_INSTALLED_TYPE, UPM_PLUGIN_TYPE, upmPluginDetail, upmPluginSummary } from './identity/upm-plugin-bean.ts';

/**
 * JAX-RS content negotiation as UPM meets it: a resource that only produces a vendor type answers 406 to an
 * `Accept` that excludes it (`application/json` is the classic mistake), but a missing Accept or a wildcard is fine.
 */
function accepts(ctx: RouteContext, type: string): boolean {
  const header = ctx.c.req.header('accept');
  if (header === undefined || header.trim() === '') return true;
  return header.split(',').some((part) => {
    const media = (part.split(';')[0] ?? '').trim().toLowerCase();
    return media === type || media === '*/*' || media === 'application/*';
  });
}

function notAcceptable(): Response {
  return new Response(null, { status: 406 });
}

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

  const installedPlugins = (ctx: RouteContext) => {
    if (!accepts(ctx, UPM_INSTALLED_TYPE)) return notAcceptable();
    if (!admin(ctx)) return forbidden();
    const self = `${contextPath}/rest/plugins/1.0/`;
    const body = {
      plugins: instance().apps.map((app) => upmPluginSummary(contextPath, app)),
      links: {
        self,
        alternate: `${contextPath}/rest/plugins/1.0/?os_authType=basic`,
        available: `${contextPath}/rest/plugins/1.0/available/featured`,
        'pending-tasks': `${contextPath}/rest/plugins/1.0/pending`,
        'safe-mode': `${contextPath}/rest/plugins/1.0/safe-mode`,
      },
      safeMode: false,
    };
    // The upm-token header is what a later install (POST) must echo; it changes on every listing.
    const token = String(-Math.abs(hashCode(`${instance().serverId}|${state.now()}`)));
    return ctx.json(200, body, { 'content-type': UPM_INSTALLED_TYPE, 'upm-token': token });
  };
  router.get('/rest/plugins/1.0/', installedPlugins);
  router.get('/rest/plugins/1.0', installedPlugins);

  router.get('/rest/plugins/1.0/:pluginKey{.+-key}', (ctx) => {
    if (!accepts(ctx, UPM_PLUGIN_TYPE)) return notAcceptable();
    if (!admin(ctx)) return forbidden();
    const key = decodeURIComponent((ctx.params['pluginKey'] ?? '').replace(/-key$/, ''));
    const app = instance().apps.find((a) => a.key === key);
    if (!app) return jiraError(404, [`Plugin '${key}' was not found.`]);
    return ctx.json(200, upmPluginDetail(contextPath, app), { 'content-type': UPM_PLUGIN_TYPE });
  });

  const applicationLinks = (ctx: RouteContext) =>
    ctx.json(200, {
      applicationLinks: instance().appLinks.map((l) => ({
        id: l.id,
        typeId: l.typeId,
        name: l.name,
        displayUrl: l.displayUrl,
        rpcUrl: l.rpcUrl,
        isPrimary: l.isPrimary,
        isSystem: false,
      })),
    });
  router.get('/rest/applinks/1.0/applicationlink', applicationLinks);
  router.get('/rest/applinks/1.0/applicationlink.json', applicationLinks);

  router.get(
    '/rest/applinks/1.0/manifest',
    (ctx) => {
      const manifest = applinkManifest(instance(), baseUrl, applinkId);
      // XML unless the caller asks for JSON.
      if ((ctx.c.req.header('accept') ?? '').toLowerCase().includes('application/json')) return ctx.json(200, manifest);
      return new Response(applinkManifestXml(manifest), {
        status: 200,
        headers: { 'content-type': 'application/xml;charset=UTF-8' },
      });
    },
    { access: 'public' },
  );

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
