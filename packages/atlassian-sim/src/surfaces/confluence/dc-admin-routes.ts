import { jsonResponse, type RouteContext, type Router } from '../route.ts';
import { confluenceV1Error } from '../errors.ts';
import { registerApplinkRoutes } from '../dc-admin/applinks.ts';
import { activeUsersIn, licenceCreationDate } from '../dc-admin/licence.ts';
import { registerUpmRoutes } from '../dc-admin/upm.ts';
import { DC_USERS_GROUP, type DcConfluence } from './dc-confluence.ts';

/**
 * Data Center instance metadata outside `/rest/api`: UPM (apps), application links and the licence (API-NOTES §7).
 * None of these are in Atlassian's OpenAPI specs; the shapes come from admin scripts and KBs and are [2nd]-grade.
 */

/** UPM and application links refuse non-administrators with 401 and their own small JSON error. */
function adminOnly(message: string): Response {
  return jsonResponse(401, { 'status-code': 401, message });
}

export function registerDcAdminRoutes(router: Router, confluence: DcConfluence): void {
  const { base, context } = confluence;
  const isAdmin = (ctx: RouteContext): boolean => confluence.isAdmin(confluence.userIdxOf(ctx.principal));

  const host = { instance: () => confluence.instance(), baseUrl: base, contextPath: context, isAdmin };
  registerUpmRoutes(router, host, {
    // Confluence's UPM wants its vendor type named in Accept: no Accept at all is a 406 too.
    negotiation: 'named',
    pluginRoute: '/rest/plugins/1.0/:pluginKey',
    charset: true,
    listLinks: { 'upm-plugins': '' },
    detail: false,
    vendorSlug: (vendor) => vendor,
    token: () =>
      `${confluence.instance().serverId.replace(/-/g, '').toLowerCase()}${confluence.state.now().toString(16)}`,
    denied: () => adminOnly('Must be an administrator to access this resource.'),
    notFound: (raw) => jsonResponse(404, { 'status-code': 404, message: `Plugin not found: ${raw}` }),
  });
  registerApplinkRoutes(router, host, {
    guardList: (ctx) =>
      isAdmin(ctx) ? undefined : adminOnly('Client must be authenticated as an administrator to access this resource.'),
    hrefs: true,
    manifest: (instance) => ({ id: instance.serverId, applinksVersion: '10.0.8' }),
  });

  const licensed = (): number => activeUsersIn(confluence.instance(), [DC_USERS_GROUP]);
  const licenceRoute = (path: string, body: () => unknown): void => {
    router.get(`/rest/license/1.0/license/${path}`, (ctx) => {
      if (!isAdmin(ctx)) return confluenceV1Error(403, 'You do not have permission to view the license');
      return ctx.json(200, body());
    });
  };
  licenceRoute('details', () => {
    const instance = confluence.instance();
    const { license } = instance;
    const created = licenceCreationDate(license);
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
