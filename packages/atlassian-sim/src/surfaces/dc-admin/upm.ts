import type { DcApp } from '../../world/types.ts';
import type { RouteContext, Router } from '../route.ts';
import { acceptNames, acceptsJaxRs, type DcAdminHost } from './host.ts';

/**
 * The Universal Plugin Manager (`/rest/plugins/1.0/`) as both Data Center products serve it: the installed-apps
 * list and a single app. UPM is the same plugin in Jira and Confluence; what differs per product (error shapes,
 * the upm-token format, a few links) comes in as a {@link UpmDialect}.
 */

/** UPM's media types: the list and a single plugin each have their own vendor type (API-NOTES §2.4, §7.3). */
export const UPM_INSTALLED_TYPE = 'application/vnd.atl.plugins.installed+json';
export const UPM_PLUGIN_TYPE = 'application/vnd.atl.plugins.plugin+json';

const UPM_ROOT = '/rest/plugins/1.0/';

/** `/rest/plugins/1.0/{key}-key`: UPM addresses a plugin by its key with a `-key` suffix. */
export function upmPluginPath(key: string): string {
  return `${UPM_ROOT}${encodeURIComponent(key)}-key`;
}

/** One plugin as UPM lists it; links are relative to the instance's context path, as UPM writes them. */
export function upmPluginSummary(
  contextPath: string,
  app: DcApp,
  vendorSlug: (vendor: string) => string,
): Record<string, unknown> {
  const self = `${contextPath}${upmPluginPath(app.key)}`;
  return {
    enabled: app.enabled,
    links: {
      self,
      'plugin-summary': `${self}/summary`,
      modify: self,
      'plugin-icon': `${self}/media/plugin-icon`,
      'plugin-logo': `${self}/media/plugin-logo`,
      manage: `${contextPath}/plugins/servlet/upm#manage/${encodeURIComponent(app.key)}`,
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
      marketplaceLink: `https://marketplace.atlassian.com/vendors/${encodeURIComponent(vendorSlug(app.vendor))}`,
      link: `https://www.${app.vendor.toLowerCase()}.example`,
    },
  };
}

/** The single-plugin view adds the modules list (empty here) and the licence link. */
export function upmPluginDetail(
  contextPath: string,
  app: DcApp,
  vendorSlug: (vendor: string) => string,
): Record<string, unknown> {
  const summary = upmPluginSummary(contextPath, app, vendorSlug);
  const links = summary['links'] as Record<string, string>;
  return { ...summary, links: { ...links, license: `${links['self']}/license` }, modules: [] };
}

/** What one product's UPM does its own way. */
export interface UpmDialect {
  /** `named`: the vendor type must be named in Accept (Confluence); `jax-rs`: missing Accept or a wildcard is fine. */
  negotiation: 'named' | 'jax-rs';
  /** The single-plugin route, e.g. `/rest/plugins/1.0/:pluginKey`; its parameter must be `pluginKey`. */
  pluginRoute: string;
  /** Whether the vendor media types go out with `;charset=UTF-8`. */
  charset: boolean;
  /** The listing's links besides `self` and `safe-mode`, as paths below `/rest/plugins/1.0/`. */
  listLinks: Readonly<Record<string, string>>;
  /** Whether a single plugin is the detail view (modules, licence link) rather than the list's summary. */
  detail: boolean;
  /** The vendor's Marketplace slug, before URL encoding. */
  vendorSlug: (vendor: string) => string;
  /** The upm-token header a later install/modify call must echo back; it changes on every listing. */
  token(): string;
  /** The answer to a caller who is not an administrator. */
  denied(): Response;
  /** The answer for an unknown plugin: `raw` is the path segment, `key` the plugin key when it had a `-key` suffix. */
  notFound(raw: string, key: string | undefined): Response;
}

/** `GET /rest/plugins/1.0/` (with and without the slash) and `GET /rest/plugins/1.0/{key}-key`. */
export function registerUpmRoutes(router: Router, host: DcAdminHost, dialect: UpmDialect): void {
  const { contextPath } = host;
  const accepts = dialect.negotiation === 'jax-rs' ? acceptsJaxRs : acceptNames;
  const contentType = (mediaType: string): string => (dialect.charset ? `${mediaType};charset=UTF-8` : mediaType);
  const root = `${contextPath}${UPM_ROOT}`;

  const installed = (ctx: RouteContext): Response => {
    if (!accepts(ctx, UPM_INSTALLED_TYPE)) return new Response(null, { status: 406 });
    if (!host.isAdmin(ctx)) return dialect.denied();
    const links: Record<string, string> = { self: root };
    for (const [rel, path] of Object.entries(dialect.listLinks)) links[rel] = `${root}${path}`;
    links['safe-mode'] = `${root}safe-mode`;
    const body = {
      plugins: host.instance().apps.map((app) => upmPluginSummary(contextPath, app, dialect.vendorSlug)),
      links,
      safeMode: false,
    };
    return ctx.json(200, body, { 'content-type': contentType(UPM_INSTALLED_TYPE), 'upm-token': dialect.token() });
  };
  router.get(UPM_ROOT, installed);
  router.get(UPM_ROOT.slice(0, -1), installed);

  router.get(dialect.pluginRoute, (ctx) => {
    if (!accepts(ctx, UPM_PLUGIN_TYPE)) return new Response(null, { status: 406 });
    if (!host.isAdmin(ctx)) return dialect.denied();
    const raw = ctx.params['pluginKey'] ?? '';
    const key = raw.endsWith('-key') ? raw.slice(0, -4) : undefined;
    const app = key === undefined ? undefined : host.instance().apps.find((a) => a.key === key);
    if (!app) return dialect.notFound(raw, key);
    const bean = (dialect.detail ? upmPluginDetail : upmPluginSummary)(contextPath, app, dialect.vendorSlug);
    return ctx.json(200, bean, { 'content-type': contentType(UPM_PLUGIN_TYPE) });
  });
}
