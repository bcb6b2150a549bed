import type { DcInstance } from '../../../world/types.ts';

/** The applinks plugin version a Jira 10.3 ships. */
const APPLINKS_VERSION = '10.1.3';

/**
 * The manifest another instance reads before creating an application link. It is served without authentication,
 * which makes it the usual way to fingerprint a linked instance (API-NOTES §7.3). `buildNumber` is the Marketplace
 * build number, which for Jira is the product build number.
 */
export function applinkManifest(instance: DcInstance, baseUrl: string, applinkId: string): Record<string, unknown> {
  return {
    id: applinkId,
    name: instance.title,
    typeId: instance.product,
    version: instance.version,
    buildNumber: instance.buildNumber,
    applinksVersion: APPLINKS_VERSION,
    inboundAuthenticationTypes: [
      'com.atlassian.applinks.api.auth.types.OAuthAuthenticationProvider',
      'com.atlassian.applinks.api.auth.types.TwoLeggedOAuthAuthenticationProvider',
    ],
    outboundAuthenticationTypes: [
      'com.atlassian.applinks.api.auth.types.OAuthAuthenticationProvider',
      'com.atlassian.applinks.api.auth.types.TwoLeggedOAuthAuthenticationProvider',
    ],
    publicSignup: false,
    url: baseUrl,
    iconUrl: `${baseUrl}/s/en_US/10030012/images/fav-jsw.png`,
    iconUri: `${baseUrl}/s/en_US/10030012/images/fav-jsw.png`,
  };
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The XML form (the default representation): one element per field, lists as repeated elements. */
export function applinkManifestXml(manifest: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(manifest)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) parts.push(`<${key}>${xmlEscape(String(v))}</${key}>`);
  }
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><manifest>${parts.join('')}</manifest>`;
}
