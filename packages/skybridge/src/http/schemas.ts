import { z } from 'zod';
import { CONNECTION_KINDS } from '../domain/connection-kinds.ts';
import { API_TOKEN_ROLES } from '../domain/connection.ts';

/**
 * Request schemas of the HTTP API: every body and query string is parsed with one of these, `.strict()` so an
 * unknown (perhaps misspelt) field is refused rather than silently ignored. The OpenAPI document is generated from
 * the same schemas, so the two cannot disagree. Which fields a kind requires is the connections service's rule
 * (`KIND_TRAITS`); it answers with the same `fields` shape.
 */

/** Longest connection or token name, in characters. */
export const MAX_NAME_LENGTH = 100;
/** Longest secret accepted. Atlassian API tokens are ~190 characters; this leaves room without inviting abuse. */
export const MAX_SECRET_LENGTH = 4096;
/** Longest PEM CA bundle, in characters: a private CA chain is a few KB; the body limit is 64 KB. */
export const MAX_CA_CERT_LENGTH = 32_768;
/** Most items per page of a list. */
export const MAX_PAGE_SIZE = 200;

// eslint-disable-next-line no-control-regex
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;

const name = z
  .string()
  .trim()
  .min(1)
  .max(MAX_NAME_LENGTH)
  .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters');

// Plain http is allowed here because Data Center hosts listed in SKYBRIDGE_ALLOWED_HOSTS may use it; the guarded
// client decides, per host, when the connection is verified.
const url = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2048);
const email = z.email({ error: 'must be an email address' }).max(254);
const identifier = z.string().trim().min(1).max(200);
const secret = z.string().min(1).max(MAX_SECRET_LENGTH);
const authMode = z.enum(['direct', 'gateway']);
const caCert = z
  .string()
  .max(MAX_CA_CERT_LENGTH)
  .regex(/-----BEGIN CERTIFICATE-----/, 'must be a PEM certificate bundle');

/** `2026-05-01` or `2026-05-01T12:00:00Z` (an offset is allowed), read as a Date. */
export const isoDateOrDateTime = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'must be an ISO date (2026-05-01) or date-time (2026-05-01T12:00:00Z)',
  })
  .transform((text) => new Date(text));

export const newConnectionBody = z
  .object({
    kind: z.enum(CONNECTION_KINDS).describe('What the connection points at; fixes the auth scheme and API family.'),
    name: name.describe('Unique name chosen by you.'),
    url: url.optional().describe('Site URL (cloud), base URL with context path (Data Center), Admin API base (org).'),
    email: email.optional().describe('Account email (cloud kinds).'),
    orgId: identifier.optional().describe('Atlassian organization id (atlassian-org).'),
    siteId: identifier.optional().describe('Cloud site id (cloudId); learnt on verify for cloud kinds.'),
    teamsUrl: url.optional().describe('Teams API base URL override (atlassian-org).'),
    teamsEmail: email.optional().describe('Account email for the Teams API (atlassian-org).'),
    authMode: authMode.optional().describe('Cloud kinds: `gateway` goes through api.atlassian.com. Default `direct`.'),
    gatewayUrl: url.optional().describe('Gateway base URL override. Default https://api.atlassian.com.'),
    caCert: caCert.optional().describe('PEM CA bundle for a Data Center instance with a private CA.'),
    tokenExpiresAt: isoDateOrDateTime.optional().describe('When the token expires, if known.'),
    secret: secret.describe('API token, org API key or personal access token. Write-only: never returned.'),
    teamsSecret: secret.optional().describe('API token for the Teams API (atlassian-org). Write-only.'),
  })
  .strict();

export const connectionEditBody = z
  .object({
    name: name.optional(),
    url: url.nullable().optional(),
    email: email.nullable().optional(),
    orgId: identifier.nullable().optional(),
    siteId: identifier.nullable().optional(),
    teamsUrl: url.nullable().optional(),
    teamsEmail: email.nullable().optional(),
    authMode: authMode.optional(),
    gatewayUrl: url.nullable().optional(),
    caCert: caCert.nullable().optional(),
    tokenExpiresAt: isoDateOrDateTime.nullable().optional(),
    secret: secret.optional().describe('A new secret; verified before it is kept. Write-only.'),
    teamsSecret: secret.nullable().optional().describe('A new Teams API token, or null to remove it. Write-only.'),
    expectedVersion: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Refuse the edit if the connection changed since this version (or send `If-Match`).'),
  })
  .strict()
  .describe('Absent fields stay as they are; `null` clears an optional field.');

export const rotateBody = z
  .object({
    secret: secret.describe('The new secret; verified before it replaces the old one. Write-only.'),
    tokenExpiresAt: isoDateOrDateTime.nullable().optional(),
    teamsSecret: secret.optional().describe('A new Teams API token. Write-only.'),
  })
  .strict();

export const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional().describe('Items per page.'),
    cursor: z.string().min(1).max(512).optional().describe('`nextCursor` of the previous page.'),
  })
  .strict();

export const deleteQuery = z
  .object({
    cascade: z
      .enum(['true', 'false'])
      .optional()
      .describe('Also delete what uses the connection (schedules, data-out instances, tracked tickets).'),
  })
  .strict();

export const createTokenBody = z
  .object({
    name: name.describe('Unique name; shown as the actor in the audit log (`token:<name>`).'),
    role: z.enum(API_TOKEN_ROLES).describe('owner > admin > viewer.'),
  })
  .strict();
