/**
 * Builders for the sync store's tests: a connection row to hang runs on, and records with the model's id scheme.
 * For tests only.
 */
import type { Kysely, KyselyPlugin } from 'kysely';
import type { AccessRecord, ResourceType } from '../../domain/access-model.ts';
import { newId } from '../../db/new-id.ts';
import type { Database } from '../../db/schema.ts';

/** Inserts a bare connection (the sync tables reference it) and returns its id. */
export async function insertConnection(db: Kysely<Database>): Promise<string> {
  const id = newId();
  const now = new Date('2026-01-01T00:00:00.000Z').toISOString();
  await db
    .insertInto('connections')
    .values({
      id,
      name: `conn-${id}`,
      kind: 'jira-cloud',
      url: 'https://example.atlassian.net',
      email: null,
      org_id: null,
      site_id: null,
      teams_url: null,
      teams_email: null,
      teams_secret_hint: null,
      auth_mode: 'direct',
      gateway_url: null,
      ca_cert: null,
      sealed_secret: 'sealed' as never,
      secret_hint: '••••abcd',
      token_expires_at: null,
      status: 'connected',
      last_checked_at: null,
      last_error: null,
      last_expiry_warning_days: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export function rid(connectionId: string, type: ResourceType, externalId: string): string {
  return `${connectionId}:${type}:${externalId}`;
}

export function resource(
  connectionId: string,
  type: ResourceType,
  externalId: string,
  attributes: Record<string, string | number | boolean | null> = {},
  displayName = `${type} ${externalId}`,
): AccessRecord {
  return {
    kind: 'resource',
    resource: { id: rid(connectionId, type, externalId), type, externalId, displayName, attributes },
  };
}

export function entitlement(resourceId: string, slug: string, displayName = slug): AccessRecord {
  return { kind: 'entitlement', entitlement: { id: `${resourceId}:${slug}`, resourceId, slug, displayName } };
}

export function grant(entitlementId: string, principalId: string, via: string[] = []): AccessRecord {
  return { kind: 'grant', grant: { entitlementId, principalId, via } };
}

/** A run's rows in a stable order, to compare two runs (or a run with itself after a resume). */
export async function rowsOf(db: Kysely<Database>, runId: string) {
  const resources = await db
    .selectFrom('sync_resources')
    .select(['id', 'type', 'external_id', 'display_name', 'parent_id', 'email', 'status', 'attributes'])
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();
  const entitlements = await db
    .selectFrom('sync_entitlements')
    .select(['id', 'resource_id', 'slug', 'display_name'])
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();
  const grants = await db
    .selectFrom('sync_grants')
    .select(['entitlement_id', 'principal_id', 'via'])
    .where('run_id', '=', runId)
    .orderBy('entitlement_id')
    .orderBy('principal_id')
    .orderBy('via')
    .execute();
  return { resources, entitlements, grants };
}

/**
 * A Kysely plugin that throws `message` at the `n`th UPDATE it sees (a page's checkpoint update: the commit that
 * fails, as on a full disk or a kill), and counts the updates it saw.
 */
export function failNthUpdate(n: number, message: string): { plugin: KyselyPlugin; updates: () => number } {
  let updates = 0;
  return {
    plugin: {
      transformQuery: ({ node }) => {
        if (node.kind === 'UpdateQueryNode' && ++updates === n) throw new Error(message);
        return node;
      },
      transformResult: ({ result }) => Promise.resolve(result),
    },
    updates: () => updates,
  };
}
