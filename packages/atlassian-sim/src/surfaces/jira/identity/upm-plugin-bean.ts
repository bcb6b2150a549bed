import type { DcApp } from '../../../world/types.ts';

/** UPM's media types: the list and a single plugin each have their own vendor type. */
export const UPM_INSTALLED_TYPE = 'application/vnd.atl.plugins.installed+json';
export const UPM_PLUGIN_TYPE = 'application/vnd.atl.plugins.plugin+json';

/** `/rest/plugins/1.0/{key}-key`: UPM addresses a plugin by its key with a `-key` suffix. */
export function upmPluginPath(key: string): string {
  return `/rest/plugins/1.0/${encodeURIComponent(key)}-key`;
}

/** One plugin as UPM lists it; links are relative to the instance's context path, as UPM writes them. */
export function upmPluginSummary(contextPath: string, app: DcApp): Record<string, unknown> {
  const self = `${contextPath}${upmPluginPath(app.key)}`;
  return {
    enabled: app.enabled,
    links: {
      self,
      'plugin-summary': `${self}/summary`,
      modify: self,
      'plugin-icon': `${contextPath}/rest/plugins/1.0/${encodeURIComponent(app.key)}-key/media/plugin-icon`,
      'plugin-logo': `${contextPath}/rest/plugins/1.0/${encodeURIComponent(app.key)}-key/media/plugin-logo`,
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
      marketplaceLink: `https://marketplace.atlassian.com/vendors/${encodeURIComponent(app.vendor.toLowerCase())}`,
      link: `https://www.${app.vendor.toLowerCase()}.example`,
    },
  };
}

/** The single-plugin view adds the modules list (empty here) and the licence link. */
export function upmPluginDetail(contextPath: string, app: DcApp): Record<string, unknown> {
  const summary = upmPluginSummary(contextPath, app);
  const links = summary['links'] as Record<string, string>;
  return { ...summary, links: { ...links, license: `${links['self']}/license` }, modules: [] };
}
