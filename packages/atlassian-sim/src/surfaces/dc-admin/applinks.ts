import type { DcAppLink, DcInstance } from '../../world/types.ts';
import type { RouteContext, Router } from '../route.ts';
import { acceptNames, type DcAdminHost } from './host.ts';

/**
 * Application links (`/rest/applinks/1.0/`) as both Data Center products serve them: the list of links and the
 * unauthenticated manifest. The shapes come from admin scripts and KBs, not an OpenAPI spec ([2nd]-grade).
 */

/** A manifest field: lists (authentication types) become repeated elements in the XML form. */
export type ManifestValue = string | number | boolean | readonly string[];

/** What differs per product in the manifest. */
export interface ManifestOptions {
  /** The manifest id: Confluence uses its server id, Jira the id of its own application link. */
  id: string;
  /** The applinks plugin version the product ships. */
  applinksVersion: string;
  /** Inbound and outbound authentication provider classes, when the product lists them. */
  authenticationTypes?: readonly string[];
  /** The product icon, when the product sends one (as both `iconUrl` and `iconUri`). */
  iconUrl?: string;
}

/**
 * The manifest another instance reads before creating an application link. It is served without authentication,
 * which makes it the usual way to fingerprint a linked instance (API-NOTES §7.3). `buildNumber` is the Marketplace
 * build number, e.g. 9020006 for Confluence 9.2.6.
 */
export function applinkManifest(
  instance: DcInstance,
  baseUrl: string,
  options: ManifestOptions,
): Record<string, ManifestValue> {
  const { authenticationTypes: auth, iconUrl } = options;
  return {
    id: options.id,
    name: instance.title,
    typeId: instance.product,
    version: instance.version,
    buildNumber: instance.buildNumber,
    applinksVersion: options.applinksVersion,
    ...(auth ? { inboundAuthenticationTypes: auth, outboundAuthenticationTypes: auth } : {}),
    publicSignup: false,
    url: baseUrl,
    ...(iconUrl === undefined ? {} : { iconUrl, iconUri: iconUrl }),
  };
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The XML form (the default representation): one element per field, lists as repeated elements. */
export function applinkManifestXml(manifest: Record<string, ManifestValue>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(manifest)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) parts.push(`<${key}>${xmlEscape(String(v))}</${key}>`);
  }
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><manifest>${parts.join('')}</manifest>`;
}

/** One application link; `hrefs` adds its self link and type icon (Confluence writes them, Jira does not). */
export function appLinkBean(link: DcAppLink, baseUrl: string, hrefs: boolean): Record<string, unknown> {
  return {
    ...(hrefs ? { link: { href: `${baseUrl}/rest/applinks/1.0/applicationlink/${link.id}`, rel: 'self' } } : {}),
    id: link.id,
    typeId: link.typeId,
    name: link.name,
    displayUrl: link.displayUrl,
    ...(hrefs ? { iconUrl: `${baseUrl}/s/en_GB/-/images/icons/${link.typeId}.png` } : {}),
    rpcUrl: link.rpcUrl,
    isPrimary: link.isPrimary,
    isSystem: false,
  };
}

/** What one product's application-links resource does its own way. */
export interface ApplinkDialect {
  /** Runs before the list is served: a response refuses the caller, undefined lets them through. */
  guardList(ctx: RouteContext): Response | undefined;
  /** Whether each link carries its self link and icon URL. */
  hrefs: boolean;
  /** The product's manifest fields, read on every request (the world can be replaced). */
  manifest(instance: DcInstance): ManifestOptions;
}

/** `GET /rest/applinks/1.0/applicationlink[.json]` and the public `GET /rest/applinks/1.0/manifest`. */
export function registerApplinkRoutes(router: Router, host: DcAdminHost, dialect: ApplinkDialect): void {
  const { baseUrl } = host;
  const applicationLinks = (ctx: RouteContext): Response =>
    dialect.guardList(ctx) ??
    ctx.json(200, { applicationLinks: host.instance().appLinks.map((l) => appLinkBean(l, baseUrl, dialect.hrefs)) });
  router.get('/rest/applinks/1.0/applicationlink', applicationLinks);
  router.get('/rest/applinks/1.0/applicationlink.json', applicationLinks);

  // Unauthenticated, and XML unless JSON is asked for: discovery tools fingerprint linked instances with it.
  router.get(
    '/rest/applinks/1.0/manifest',
    (ctx) => {
      const instance = host.instance();
      const manifest = applinkManifest(instance, baseUrl, dialect.manifest(instance));
      if (acceptNames(ctx, 'application/json')) return ctx.json(200, manifest);
      return new Response(applinkManifestXml(manifest), {
        status: 200,
        headers: { 'content-type': 'application/xml;charset=UTF-8' },
      });
    },
    { access: 'public' },
  );
}
