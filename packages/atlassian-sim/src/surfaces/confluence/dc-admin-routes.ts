import { jsonResponse, type RouteContext, type Router } from '../route.ts';
import { confluenceV1Error } from '../errors.ts';
import type { DcApp, DcAppLink, DcInstance } from '../../world/types.ts';
import { DC_USERS_GROUP, type DcConfluence } from './dc-confluence.ts';

/**
 * Data Center instance metadata outside `/rest/api`: UPM (apps), application links and the licence (API-NOTES §7).
 * None of these are in Atlassian's OpenAPI specs; the shapes come from admin scripts and KBs and are [2nd]-grade.
 */

/** UPM only answers its own media type; anything else gets 406 (API-NOTES §2.4, §7.3). */
export const UPM_INSTALLED_TYPE = 'application/vnd.atl.plugins.installed+json';
export const UPM_PLUGIN_TYPE = 'application/vnd.atl.plugins.plugin+json';

const DAY = 86_400_000;

function accepts(ctx: RouteContext, mediaType: string): boolean {
  return (ctx.c.req.header('accept') ?? '').toLowerCase().includes(mediaType);
}

/** UPM and application links refuse non-administrators with 401 and their own small JSON error. */
function adminOnly(message: string): Response {
  return jsonResponse(401, { 'status-code': 401, message });
}

function upmPlugin(app: DcApp, context: string): Record<string, unknown> {
  const self = `${context}/rest/plugins/1.0/${app.key}-key`;
  return {
    enabled: app.enabled,
    links: {
      self,
      'plugin-summary': `${self}/summary`,
      modify: self,
      'plugin-icon': `${self}/media/plugin-icon`,
      'plugin-logo': `${self}/media/plugin-logo`,
      manage: `${context}/plugins/servlet/upm#manage/${app.key}`,
    },
    name: app.name,
    version: app.version,
    userInstalled: app.userInstalled,
    optional: app.userInstalled,
    static: false,
    unloadable: false,
    description: `${app.name} by ${app.vendor}`,
    key: app.key,
    usesLicensing: app.userInstalled,
    remotable: false,
    vendor: {
      name: app.vendor,
      marketplaceLink: `https://marketplace.atlassian.com/vendors/${encodeURIComponent(app.vendor)}`,
      link: `https://www.${app.vendor.toLowerCase()}.example`,
    },
  };
}

function appLinkBean(link: DcAppLink, base: string): Record<string, unknown> {
  return {
    link: { href: `${base}/rest/applinks/1.0/applicationlink/${link.id}`, rel: 'self' },
    id: link.id,
    typeId: link.typeId,
    name: link.name,
    displayUrl: link.displayUrl,
    iconUrl: `${base}/s/en_GB/-/images/icons/${link.typeId}.png`,
    rpcUrl: link.rpcUrl,
    isPrimary: link.isPrimary,
    isSystem: false,
  };
}

function manifest(instance: DcInstance, base: string): Record<string, string | number | boolean> {
  return {
    id: instance.serverId,
    name: instance.title,
    typeId: 'confluence',
    version: instance.version,
    // Why: the manifest's buildNumber is the Marketplace build number (API-NOTES §7.3), e.g. 9020006 for 9.2.6.
    buildNumber: instance.buildNumber,
    applinksVersion: '10.0.8',
    publicSignup: false,
    url: base,
  };
}

function manifestXml(fields: Record<string, string | number | boolean>): string {
  const escape = (v: string): string => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = Object.entries(fields)
    .map(([k, v]) => `<${k}>${escape(String(v))}</${k}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><manifest>${body}</manifest>`;
}

export function registerDcAdminRoutes(router: Router, confluence: DcConfluence): void {
  const { base, context } = confluence;
  const isAdmin = (ctx: RouteContext): boolean => confluence.isAdmin(confluence.userIdxOf(ctx.principal));

  const installed = (ctx: RouteContext): Response => {
    if (!accepts(ctx, UPM_INSTALLED_TYPE)) return new Response(null, { status: 406 });
    if (!isAdmin(ctx)) return adminOnly('Must be an administrator to access this resource.');
    const instance = confluence.instance();
    const body = {
      plugins: instance.apps.map((app) => upmPlugin(app, context)),
      links: {
        self: `${context}/rest/plugins/1.0/`,
        'upm-plugins': `${context}/rest/plugins/1.0/`,
        'safe-mode': `${context}/rest/plugins/1.0/safe-mode`,
      },
      safeMode: false,
    };
    // The upm-token header is what a later install/modify call must echo back.
    const token = `${instance.serverId.replace(/-/g, '').toLowerCase()}${confluence.state.now().toString(16)}`;
    return ctx.json(200, body, { 'content-type': `${UPM_INSTALLED_TYPE};charset=UTF-8`, 'upm-token': token });
  };
  router.get('/rest/plugins/1.0/', installed);
  router.get('/rest/plugins/1.0', installed);

  router.get('/rest/plugins/1.0/:pluginKey', (ctx) => {
    if (!accepts(ctx, UPM_PLUGIN_TYPE)) return new Response(null, { status: 406 });
    if (!isAdmin(ctx)) return adminOnly('Must be an administrator to access this resource.');
    const raw = ctx.params['pluginKey'] ?? '';
    const app = raw.endsWith('-key') ? confluence.instance().apps.find((a) => a.key === raw.slice(0, -4)) : undefined;
    if (!app) return jsonResponse(404, { 'status-code': 404, message: `Plugin not found: ${raw}` });
    return ctx.json(200, upmPlugin(app, context), { 'content-type': `${UPM_PLUGIN_TYPE};charset=UTF-8` });
  });

  const applicationLinks = (ctx: RouteContext): Response => {
    if (!isAdmin(ctx)) return adminOnly('Client must be authenticated as an administrator to access this resource.');
    return ctx.json(200, { applicationLinks: confluence.instance().appLinks.map((l) => appLinkBean(l, base)) });
  };
  router.get('/rest/applinks/1.0/applicationlink', applicationLinks);
  router.get('/rest/applinks/1.0/applicationlink.json', applicationLinks);

  // Unauthenticated, and XML unless JSON is asked for: discovery tools fingerprint linked instances with it.
  router.get(
    '/rest/applinks/1.0/manifest',
    (ctx) => {
      const fields = manifest(confluence.instance(), base);
      if (accepts(ctx, 'application/json')) return ctx.json(200, fields);
      return new Response(manifestXml(fields), {
        status: 200,
        headers: { 'content-type': 'application/xml;charset=UTF-8' },
      });
    },
    { access: 'public' },
  );

  const licensed = (): number => {
    const { users, groups } = confluence.instance();
    const group = groups.find((g) => g.name === DC_USERS_GROUP);
    return (group?.members ?? []).filter((idx) => users[idx]?.active).length;
  };
  const licenceRoute = (path: string, body: () => unknown): void => {
    router.get(`/rest/license/1.0/license/${path}`, (ctx) => {
      if (!isAdmin(ctx)) return confluenceV1Error(403, 'You do not have permission to view the license');
      return ctx.json(200, body());
    });
  };
  licenceRoute('details', () => {
    const instance = confluence.instance();
    const { license } = instance;
    const created = license.expiryDate - 365 * DAY;
    // Only expiryDate and maintenanceExpiryDate (epoch ms) are corroborated (API-NOTES §7.2); the rest follows the
    // Jira licence bean's vocabulary.
    return {
      licenseType: license.licenseType,
      dataCenter: license.dataCenter,
      evaluation: false,
      subscription: false,
      creationDate: created,
      purchaseDate: created,
      expiryDate: license.expiryDate,
      maintenanceExpiryDate: license.expiryDate,
      expired: confluence.state.now() > license.expiryDate,
      organisationName: license.organizationName,
      supportEntitlementNumber: license.sen,
      serverId: instance.serverId,
      maximumNumberOfUsers: license.maximumNumberOfUsers,
      unlimitedNumberOfUsers: license.maximumNumberOfUsers < 0,
    };
  });
  licenceRoute('userCount', () => ({ count: licensed() }));
  licenceRoute('maxUsers', () => ({ count: confluence.instance().license.maximumNumberOfUsers }));
  licenceRoute('remainingSeats', () => ({
    count: Math.max(0, confluence.instance().license.maximumNumberOfUsers - licensed()),
  }));
}
