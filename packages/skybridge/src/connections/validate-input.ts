import { isIP } from 'node:net';
import { classifyAddress, describeBlockReason } from '../atlassian/address-guard.ts';
import {
  CONNECTION_KINDS,
  DEFAULT_ADMIN_API_URL,
  DEFAULT_TEAMS_API_URL,
  KIND_TRAITS,
  type ConnectionKind,
} from '../domain/connection-kinds.ts';
import type { ConnectionEdit, FieldProblem, NewConnectionInput } from './connections-service.ts';

/**
 * Input checks for connections, shared by add and edit. Every problem names its field (as the API and CLI name
 * it) and all problems are reported at once. A secret is never echoed back in a message.
 */

export const MAX_NAME_LENGTH = 100;
const MAX_SECRET_LENGTH = 4096;
const MAX_URL_LENGTH = 2048;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ORG_ID = /^[A-Za-z0-9-]{1,64}$/;
const SITE_ID = /^[A-Za-z0-9-]{1,64}$/;

export interface UrlRules {
  /** Hosts (or host:port) allowed over http and exempt from the private-address check (`SKYBRIDGE_ALLOWED_HOSTS`). */
  allowedHosts: readonly string[];
}

function isAllowed(url: URL, rules: UrlRules): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return rules.allowedHosts.some((h) => h === host || h === url.host.toLowerCase());
}

/** Parses and normalises a base URL (no trailing slash, no query, no credentials). */
export function checkUrl(field: string, raw: string, rules: UrlRules, problems: FieldProblem[]): string | undefined {
  if (raw.length > MAX_URL_LENGTH) {
    problems.push({ field, message: `is longer than ${MAX_URL_LENGTH} characters` });
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    problems.push({ field, message: 'is not a valid URL (expected something like https://your-site.atlassian.net)' });
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push({ field, message: `must use https (got ${url.protocol.replace(':', '')})` });
    return undefined;
  }
  if (url.username || url.password) {
    problems.push({ field, message: 'must not contain credentials; give the secret separately' });
    return undefined;
  }
  if (url.search || url.hash) {
    problems.push({ field, message: 'must not contain a query or fragment' });
    return undefined;
  }
  const allowed = isAllowed(url, rules);
  if (url.protocol === 'http:' && !allowed) {
    problems.push({
      field,
      message: 'must use https (plain http is allowed only for hosts listed in SKYBRIDGE_ALLOWED_HOSTS)',
    });
    return undefined;
  }
  // Literal addresses are checked here; names are resolved and checked by the guarded client at verify time.
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  const reason = isIP(literal) === 0 ? undefined : classifyAddress(literal);
  if (reason !== undefined && !allowed) {
    problems.push({
      field,
      message: `points at ${describeBlockReason(reason)}, which Skybridge refuses to connect to`,
    });
    return undefined;
  }
  return url.toString().replace(/\/+$/, '');
}

function checkName(name: unknown, problems: FieldProblem[]): string | undefined {
  if (typeof name !== 'string' || name.trim().length === 0) {
    problems.push({ field: 'name', message: 'is required' });
    return undefined;
  }
  const trimmed = name.trim();
  if (trimmed.length > MAX_NAME_LENGTH)
    problems.push({ field: 'name', message: `is longer than ${MAX_NAME_LENGTH} characters` });
  else if (/\p{Cc}/u.test(trimmed)) problems.push({ field: 'name', message: 'must not contain control characters' });
  else return trimmed;
  return undefined;
}

function checkSecret(field: string, secret: unknown, label: string, problems: FieldProblem[]): string | undefined {
  if (typeof secret !== 'string' || secret.trim().length === 0) {
    problems.push({ field, message: `is required (the ${label})` });
    return undefined;
  }
  const trimmed = secret.trim();
  if (trimmed.length > MAX_SECRET_LENGTH)
    problems.push({ field, message: `is longer than ${MAX_SECRET_LENGTH} characters` });
  else if (/\s/.test(trimmed)) problems.push({ field, message: 'must be a single token without whitespace' });
  else return trimmed;
  return undefined;
}

function checkEmail(field: string, email: string, problems: FieldProblem[]): string | undefined {
  const trimmed = email.trim();
  if (!EMAIL.test(trimmed) || trimmed.length > 320) {
    problems.push({ field, message: 'is not a valid email address' });
    return undefined;
  }
  return trimmed;
}

function checkCaCert(caCert: string, problems: FieldProblem[]): string | undefined {
  if (!caCert.includes('-----BEGIN CERTIFICATE-----') || caCert.length > 64_000) {
    problems.push({ field: 'caCert', message: 'must be a PEM certificate bundle (-----BEGIN CERTIFICATE-----)' });
    return undefined;
  }
  return caCert;
}

function checkExpiry(value: Date, now: Date, problems: FieldProblem[]): Date | undefined {
  if (Number.isNaN(value.getTime())) problems.push({ field: 'tokenExpiresAt', message: 'is not a valid date' });
  else if (value.getTime() <= now.getTime())
    problems.push({ field: 'tokenExpiresAt', message: 'is in the past: the token has already expired' });
  else return value;
  return undefined;
}

export type CheckedNewConnection = Omit<NewConnectionInput, 'secret' | 'teamsSecret'> & {
  url: string;
  secret: string;
  teamsSecret?: string;
};

/** Checks a new connection; fills in the Admin and Teams API defaults for `atlassian-org`. */
export function checkNewConnection(
  input: NewConnectionInput,
  rules: UrlRules,
  now: Date,
): { ok: true; value: CheckedNewConnection } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (!(CONNECTION_KINDS as readonly unknown[]).includes(input.kind)) {
    return { ok: false, problems: [{ field: 'kind', message: `must be one of ${CONNECTION_KINDS.join(', ')}` }] };
  }
  const kind: ConnectionKind = input.kind;
  const traits = KIND_TRAITS[kind];
  const name = checkName(input.name, problems);
  const urlRaw = input.url ?? (kind === 'atlassian-org' ? DEFAULT_ADMIN_API_URL : undefined);
  let url: string | undefined;
  if (urlRaw === undefined || urlRaw.trim() === '') problems.push({ field: 'url', message: `is required for ${kind}` });
  else url = checkUrl('url', urlRaw, rules, problems);
  let email: string | undefined;
  if (traits.requires.includes('email')) {
    if (!input.email)
      problems.push({
        field: 'email',
        message: `is required for ${kind} (the Atlassian account the API token belongs to)`,
      });
    else email = checkEmail('email', input.email, problems);
  } else if (input.email) problems.push({ field: 'email', message: `is not used by ${kind}` });
  let orgId: string | undefined;
  if (traits.requires.includes('orgId')) {
    if (!input.orgId)
      problems.push({
        field: 'orgId',
        message: 'is required for atlassian-org (admin.atlassian.com → Settings → API keys shows it)',
      });
    else if (!ORG_ID.test(input.orgId)) problems.push({ field: 'orgId', message: 'is not a valid organization id' });
    else orgId = input.orgId;
  } else if (input.orgId) problems.push({ field: 'orgId', message: `is not used by ${kind}` });
  if (input.siteId !== undefined && !SITE_ID.test(input.siteId))
    problems.push({ field: 'siteId', message: 'is not a valid site id' });
  const secret = checkSecret('secret', input.secret, traits.secretLabel, problems);
  const value: CheckedNewConnection = { kind, name: name ?? '', url: url ?? '', secret: secret ?? '' };
  if (email) value.email = email;
  if (orgId) value.orgId = orgId;
  if (input.siteId) value.siteId = input.siteId;
  if (kind === 'atlassian-org') {
    const teamsUrl = checkUrl('teamsUrl', input.teamsUrl ?? DEFAULT_TEAMS_API_URL, rules, problems);
    if (teamsUrl) value.teamsUrl = teamsUrl;
    if ((input.teamsEmail === undefined) !== (input.teamsSecret === undefined)) {
      problems.push({
        field: input.teamsEmail === undefined ? 'teamsEmail' : 'teamsSecret',
        message: 'teamsEmail and teamsSecret go together (the Teams API uses an account email and API token)',
      });
    } else if (input.teamsEmail !== undefined && input.teamsSecret !== undefined) {
      const teamsEmail = checkEmail('teamsEmail', input.teamsEmail, problems);
      const teamsSecret = checkSecret('teamsSecret', input.teamsSecret, 'Teams API token', problems);
      if (teamsEmail) value.teamsEmail = teamsEmail;
      if (teamsSecret) value.teamsSecret = teamsSecret;
    }
  } else {
    for (const field of ['teamsUrl', 'teamsEmail', 'teamsSecret'] as const)
      if (input[field] !== undefined) problems.push({ field, message: `is only used by atlassian-org` });
  }
  if (input.authMode !== undefined) {
    if (input.authMode !== 'direct' && input.authMode !== 'gateway')
      problems.push({ field: 'authMode', message: 'must be direct or gateway' });
    else if (input.authMode === 'gateway' && traits.deployment !== 'cloud')
      problems.push({ field: 'authMode', message: 'gateway applies to cloud kinds only' });
    else value.authMode = input.authMode;
  }
  if (input.gatewayUrl !== undefined) {
    const gatewayUrl = checkUrl('gatewayUrl', input.gatewayUrl, rules, problems);
    if (gatewayUrl) value.gatewayUrl = gatewayUrl;
  }
  if (input.caCert !== undefined) {
    if (traits.deployment !== 'dc') problems.push({ field: 'caCert', message: 'applies to Data Center kinds only' });
    else {
      const ca = checkCaCert(input.caCert, problems);
      if (ca) value.caCert = ca;
    }
  }
  if (input.tokenExpiresAt !== undefined) {
    const expiry = checkExpiry(input.tokenExpiresAt, now, problems);
    if (expiry) value.tokenExpiresAt = expiry;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}

/** Checks an edit against the connection's kind. Returns the normalised edit. */
export function checkEdit(
  kind: ConnectionKind,
  edit: ConnectionEdit,
  rules: UrlRules,
  now: Date,
): { ok: true; value: ConnectionEdit } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const traits = KIND_TRAITS[kind];
  const value: ConnectionEdit = {};
  if (edit.expectedVersion !== undefined) value.expectedVersion = edit.expectedVersion;
  if (edit.name !== undefined) {
    const name = checkName(edit.name, problems);
    if (name) value.name = name;
  }
  if (edit.url !== undefined) {
    if (edit.url === null) problems.push({ field: 'url', message: 'cannot be removed' });
    else {
      const url = checkUrl('url', edit.url, rules, problems);
      if (url) value.url = url;
    }
  }
  if (edit.email !== undefined) {
    if (!traits.requires.includes('email')) problems.push({ field: 'email', message: `is not used by ${kind}` });
    else if (edit.email === null) problems.push({ field: 'email', message: `is required for ${kind}` });
    else {
      const email = checkEmail('email', edit.email, problems);
      if (email) value.email = email;
    }
  }
  if (edit.orgId !== undefined) {
    if (kind !== 'atlassian-org') problems.push({ field: 'orgId', message: `is not used by ${kind}` });
    else if (edit.orgId === null || !ORG_ID.test(edit.orgId))
      problems.push({ field: 'orgId', message: 'is not a valid organization id' });
    else value.orgId = edit.orgId;
  }
  if (edit.siteId !== undefined) {
    if (edit.siteId !== null && !SITE_ID.test(edit.siteId))
      problems.push({ field: 'siteId', message: 'is not a valid site id' });
    else value.siteId = edit.siteId;
  }
  for (const field of ['teamsUrl', 'teamsEmail', 'teamsSecret'] as const) {
    if (edit[field] !== undefined && kind !== 'atlassian-org')
      problems.push({ field, message: 'is only used by atlassian-org' });
  }
  if (kind === 'atlassian-org') {
    if (edit.teamsUrl !== undefined) {
      if (edit.teamsUrl === null) value.teamsUrl = null;
      else {
        const teamsUrl = checkUrl('teamsUrl', edit.teamsUrl, rules, problems);
        if (teamsUrl) value.teamsUrl = teamsUrl;
      }
    }
    if (edit.teamsEmail !== undefined) {
      if (edit.teamsEmail === null) value.teamsEmail = null;
      else {
        const e = checkEmail('teamsEmail', edit.teamsEmail, problems);
        if (e) value.teamsEmail = e;
      }
    }
    if (edit.teamsSecret !== undefined) {
      if (edit.teamsSecret === null) value.teamsSecret = null;
      else {
        const s = checkSecret('teamsSecret', edit.teamsSecret, 'Teams API token', problems);
        if (s) value.teamsSecret = s;
      }
    }
  }
  if (edit.authMode !== undefined) {
    if (edit.authMode !== 'direct' && edit.authMode !== 'gateway')
      problems.push({ field: 'authMode', message: 'must be direct or gateway' });
    else if (edit.authMode === 'gateway' && traits.deployment !== 'cloud')
      problems.push({ field: 'authMode', message: 'gateway applies to cloud kinds only' });
    else value.authMode = edit.authMode;
  }
  if (edit.gatewayUrl !== undefined) {
    if (edit.gatewayUrl === null) value.gatewayUrl = null;
    else {
      const g = checkUrl('gatewayUrl', edit.gatewayUrl, rules, problems);
      if (g) value.gatewayUrl = g;
    }
  }
  if (edit.caCert !== undefined) {
    if (traits.deployment !== 'dc') problems.push({ field: 'caCert', message: 'applies to Data Center kinds only' });
    else if (edit.caCert === null) value.caCert = null;
    else {
      const ca = checkCaCert(edit.caCert, problems);
      if (ca) value.caCert = ca;
    }
  }
  if (edit.tokenExpiresAt !== undefined) {
    if (edit.tokenExpiresAt === null) value.tokenExpiresAt = null;
    else {
      const e = checkExpiry(edit.tokenExpiresAt, now, problems);
      if (e) value.tokenExpiresAt = e;
    }
  }
  if (edit.secret !== undefined) {
    const s = checkSecret('secret', edit.secret, traits.secretLabel, problems);
    if (s) value.secret = s;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}
