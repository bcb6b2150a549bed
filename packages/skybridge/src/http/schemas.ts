import { z } from 'zod';
import { parseDuration } from '../config.ts';
import { FINDING_LIMITS, FINDING_SEVERITIES, FINDING_STATUSES, MAX_FINDINGS_PER_BATCH } from '../dataout/finding.ts';
import { instanceInputSchema } from '../dataout/instance-input.ts';
import { CONNECTION_KINDS } from '../domain/connection-kinds.ts';
import { API_TOKEN_ROLES } from '../domain/connection.ts';
import { parseCron } from '../jobs/cron.ts';
import type { Recurrence } from '../jobs/scheduler.ts';
import { MIN_INTERVAL_MS } from '../jobs/scheduler.ts';
import { EXPORT_FORMATS } from '../sync/store/export-snapshot.ts';

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

/** Items per page of a sync list when the request says nothing (the sync service's own default). */
export const DEFAULT_PAGE_SIZE = 50;
/** Changes per kind a diff shows when the request says nothing (the sync service's own default). */
export const DEFAULT_DIFF_LIMIT = 100;
/**
 * Longest cursor accepted. Longer than the connections list's: an access list's keyset cursor carries four ids, one
 * of them a grant's whole path through nested groups.
 */
export const MAX_CURSOR_LENGTH = 4096;
/** Longest schedule interval: a year and a day, so a yearly sync fits and the next run is always a valid date. */
export const MAX_SCHEDULE_INTERVAL_MS = 366 * 86_400_000;

const pageLimit = (fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .optional()
    .describe(`Items per page, 1 to ${MAX_PAGE_SIZE}. Default ${fallback}.`);

/** A keyset-paginated sync list: runs, access of a user, holders of an entitlement. */
export const keysetPageQuery = z
  .object({
    limit: pageLimit(DEFAULT_PAGE_SIZE),
    cursor: z
      .string()
      .min(1)
      .max(MAX_CURSOR_LENGTH)
      .optional()
      .describe('`nextCursor` of the previous page, as given (opaque). Absent for the first page.'),
  })
  .strict();

/** A connection's sync jobs, newest first: the most recent `limit`. */
export const syncJobsQuery = z.object({ limit: pageLimit(DEFAULT_PAGE_SIZE) }).strict();

export const runDiffQuery = z
  .object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE_SIZE)
      .optional()
      .describe(
        `Changes listed per kind, 1 to ${MAX_PAGE_SIZE}. Default ${DEFAULT_DIFF_LIMIT}. \`summary\` counts them all.`,
      ),
  })
  .strict();

const interval = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms < MIN_INTERVAL_MS || ms > MAX_SCHEDULE_INTERVAL_MS) {
      ctx.addIssue({ code: 'custom', message: 'must be a duration from 1m to 366d, like 30m, 6h or 1d' });
      return z.NEVER;
    }
    return ms;
  });

const cron = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .superRefine((text, ctx) => {
    const parsed = parseCron(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message });
  });

/** `{ "every": "6h" }` or `{ "cron": "0 3 * * *" }`, exactly one, as the scheduler's Recurrence. */
export const syncScheduleBody = z
  .object({
    every: interval.optional().describe('Sync at this interval: 30m, 6h, 1d (1m to 366d).'),
    cron: cron.optional().describe('Sync on this five-field cron expression, in UTC: `0 3 * * *` is 03:00 daily.'),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.every !== undefined && body.cron !== undefined) {
      for (const field of ['every', 'cron'] as const)
        ctx.addIssue({ code: 'custom', path: [field], message: 'send either `every` or `cron`, not both' });
    } else if (body.every === undefined && body.cron === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'needs `every` (like "6h") or `cron` (like "0 3 * * *")' });
    }
  })
  .transform((body): Recurrence => (body.cron !== undefined ? { cron: body.cron } : { intervalMs: body.every ?? 0 }))
  .describe('Exactly one of `every` and `cron`. The first scheduled run is one period away.');

export const exportQuery = z
  .object({
    format: z
      .enum(EXPORT_FORMATS)
      .default('jsonl')
      .describe('`jsonl`: every resource, entitlement and grant, one JSON object a line. `csv`: one row per grant.'),
    connection: identifier.optional().describe('Export this connection (id or name) only. Default: every connection.'),
  })
  .strict();

/**
 * `POST /instances`: the data-out service's own input schema, so the edge refuses exactly what the service would.
 * Whether the project, issue type and mapping fit what the connection can see is the service's check (createmeta).
 */
export const newInstanceBody = instanceInputSchema.describe(
  '`mapping` maps a Jira field id to `{"kind": "fixed", "value"}`, `{"kind": "template", "template"}` (Liquid), `{"kind": "finding", "path"}`, or the CLI shorthand text (`finding.<path>`, a template, or a fixed value). Every field the issue type requires must be mapped.',
);

/** Most ticket jobs listed at once: the API's page size. */
export const instanceJobsQuery = z.object({ limit: pageLimit(DEFAULT_PAGE_SIZE) }).strict();

export const testInstanceBody = z
  .object({
    live: z
      .boolean()
      .optional()
      .describe(
        'Create a real ticket labelled `skybridge-test`, then delete it (or close it where deleting is not permitted). Needs role `admin`. Default false: render and validate only, nothing is written.',
      ),
    finding: z.unknown().optional().describe('A finding to render instead of the built-in sample.'),
  })
  .strict()
  .optional();

/** Where findings come from, for producers that share an instance: part of each finding's identity. */
export const findingsQuery = z
  .object({
    source: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('The producer, 1 to 200 characters. Default `default`. A finding is identified by (source, id).'),
  })
  .strict();

/** The findings a producer waits on: comma-separated ids (at most 200), and their source. */
export const outcomesQuery = z
  .object({
    findingIds: z
      .string()
      .min(1)
      .max(100_000)
      .describe('Comma-separated finding ids, at most 200.')
      .refine((v) => v.split(',').length <= 200, 'at most 200 ids'),
    source: z.string().min(1).max(200).optional().describe('Default `default`.'),
  })
  .strict();

/**
 * A finding as the document shows it. Findings are checked by the data-out service (`parseFindings`), one by one, so
 * a bad item is reported in its outcome instead of failing its batch; this schema only describes them, from the
 * same limits the service applies.
 */
export const findingDocument = z
  .object({
    id: z.string().min(1).max(FINDING_LIMITS.idLength).describe("The tool's own id of the finding (one line)."),
    title: z.string().min(1).max(FINDING_LIMITS.titleLength),
    severity: z.enum(FINDING_SEVERITIES),
    status: z.enum(FINDING_STATUSES).optional().describe('Default `open`; `resolved` closes its ticket.'),
    description: z.string().max(FINDING_LIMITS.descriptionLength).optional(),
    resource: z
      .string()
      .min(1)
      .max(FINDING_LIMITS.resourceLength)
      .optional()
      .describe('What the finding is about: a host, an image, a repository.'),
    url: z.string().max(FINDING_LIMITS.urlLength).optional().describe('An absolute http or https URL.'),
    properties: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        `Free JSON properties (at most ${FINDING_LIMITS.propertyCount} keys, ${FINDING_LIMITS.propertyDepth} levels, ${FINDING_LIMITS.propertiesSize} characters as JSON); templates read them as \`finding.properties.<key>\`.`,
      ),
  })
  .strict();

export const findingsDocument = z
  .union([findingDocument, z.array(findingDocument).max(MAX_FINDINGS_PER_BATCH)])
  .describe(
    `One finding, or an array of up to ${MAX_FINDINGS_PER_BATCH}. Each is checked on its own: a bad one is \`rejected\` in its outcome, naming every bad field, and does not hold back the others.`,
  );
