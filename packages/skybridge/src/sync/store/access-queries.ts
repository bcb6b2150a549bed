import type { Kysely } from 'kysely';
import type { Result } from '../../domain/result.ts';
import { err, ok } from '../../domain/result.ts';
import type { Page, PageRequest } from '../../db/pagination.ts';
import { pageSize } from '../../db/pagination.ts';
import type { Database } from '../../db/schema.ts';
import { decodeKeyset, encodeKeyset } from './keyset-cursor.ts';
import { SyncStoreError } from './sync-store-error.ts';
import { fromStoredId, fromStoredVia, idPrefix } from './stored-ids.ts';

/** Which connections a query looks at: `'all'`, or a list of connection ids. Always their current snapshots. */
export type ConnectionScope = 'all' | readonly string[];

/** One grant as a reviewer reads it: who, what, on which resource, and through what. */
export interface AccessEntry {
  connectionId: string;
  runId: string;
  principal: { id: string; type?: string; externalId?: string; displayName?: string; email?: string };
  entitlement: { id: string; slug?: string; displayName?: string };
  resource?: { id: string; type: string; displayName: string };
  /** Empty when held directly; else the groups or teams it comes through, outermost first. */
  via: string[];
}

interface EntryRow {
  connection_id: string;
  run_id: string;
  entitlement_id: string;
  principal_id: string;
  via: string;
  slug: string | null;
  entitlement_name: string | null;
  resource_id: string | null;
  resource_type: string | null;
  resource_name: string | null;
  principal_type: string | null;
  principal_external_id: string | null;
  principal_name: string | null;
  principal_email: string | null;
}

/** A row as stored, its ids given back their connection's prefix (`stored-ids.ts`). */
function entryFromRow(row: EntryRow): AccessEntry {
  const prefix = idPrefix(row.connection_id);
  return {
    connectionId: row.connection_id,
    runId: row.run_id,
    principal: {
      id: fromStoredId(prefix, row.principal_id),
      ...(row.principal_type === null ? {} : { type: row.principal_type }),
      ...(row.principal_external_id === null ? {} : { externalId: row.principal_external_id }),
      ...(row.principal_name === null ? {} : { displayName: row.principal_name }),
      ...(row.principal_email === null ? {} : { email: row.principal_email }),
    },
    entitlement: {
      id: fromStoredId(prefix, row.entitlement_id),
      ...(row.slug === null ? {} : { slug: row.slug }),
      ...(row.entitlement_name === null ? {} : { displayName: row.entitlement_name }),
    },
    ...(row.resource_id === null || row.resource_type === null || row.resource_name === null
      ? {}
      : {
          resource: {
            id: fromStoredId(prefix, row.resource_id),
            type: row.resource_type,
            displayName: row.resource_name,
          },
        }),
    via: fromStoredVia(prefix, row.via),
  };
}

/**
 * `access user` and `access who`: answered from the current snapshots only (never from a running, failed or
 * suspicious run), a keyset page at a time (default 50, at most 500).
 */
export function createAccessQueries(db: Kysely<Database>) {
  const badCursor = () => new SyncStoreError('bad_cursor', 'The pagination cursor is not valid for this list.');

  /** Grants of the snapshots in scope, joined with their entitlement, its resource and the principal. */
  function base(scope: ConnectionScope) {
    let query = db
      .selectFrom('sync_snapshots as s')
      .innerJoin('sync_grants as g', 'g.run_id', 's.run_id')
      .leftJoin('sync_entitlements as e', (j) =>
        j.onRef('e.run_id', '=', 'g.run_id').onRef('e.id', '=', 'g.entitlement_id'),
      )
      .leftJoin('sync_resources as r', (j) => j.onRef('r.run_id', '=', 'g.run_id').onRef('r.id', '=', 'e.resource_id'))
      .leftJoin('sync_resources as p', (j) => j.onRef('p.run_id', '=', 'g.run_id').onRef('p.id', '=', 'g.principal_id'))
      .select([
        's.connection_id',
        'g.run_id',
        'g.entitlement_id',
        'g.principal_id',
        'g.via',
        'e.slug',
        'e.display_name as entitlement_name',
        'e.resource_id',
        'r.type as resource_type',
        'r.display_name as resource_name',
        'p.type as principal_type',
        'p.external_id as principal_external_id',
        'p.display_name as principal_name',
        'p.email as principal_email',
      ]);
    if (scope !== 'all') query = query.where('s.connection_id', 'in', scope.length === 0 ? [''] : [...scope]);
    return query;
  }

  function pageOf(rows: EntryRow[], limit: number, key: (r: EntryRow) => string[]): Page<AccessEntry> {
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(entryFromRow),
      ...(rows.length > limit && last !== undefined ? { nextCursor: encodeKeyset(key(last)) } : {}),
    };
  }

  return {
    /**
     * Everything a person can reach: every grant (direct and effective, with its path) held by the user
     * resources whose email (case-insensitive) or Atlassian id (accountId, DC user key) is `who`.
     */
    async accessForUser(
      scope: ConnectionScope,
      who: string,
      page?: PageRequest,
    ): Promise<Result<Page<AccessEntry>, SyncStoreError>> {
      const limit = pageSize(page);
      let query = base(scope).where((eb) =>
        eb(
          'g.principal_id',
          'in',
          eb
            .selectFrom('sync_resources as u')
            .select('u.id')
            .whereRef('u.run_id', '=', 's.run_id')
            .where('u.type', '=', 'user')
            .where((w) => w.or([w('u.email', '=', who.toLowerCase()), w('u.external_id', '=', who)])),
        ),
      );
      if (page?.cursor !== undefined) {
        const position = decodeKeyset(page.cursor, 4);
        if (!position.ok) return err(badCursor());
        const [r = '', p = '', e = '', v = ''] = position.value;
        query = query.where((eb) =>
          eb(eb.refTuple('g.run_id', 'g.principal_id', 'g.entitlement_id', 'g.via'), '>', eb.tuple(r, p, e, v)),
        );
      }
      const rows = await query
        .orderBy('g.run_id')
        .orderBy('g.principal_id')
        .orderBy('g.entitlement_id')
        .orderBy('g.via')
        .limit(limit + 1)
        .execute();
      return ok(pageOf(rows, limit, (r) => [r.run_id, r.principal_id, r.entitlement_id, r.via]));
    },

    /** Everyone who holds `target`: an entitlement id, or a resource id (then every entitlement it offers). */
    async whoHas(
      target: string,
      page?: PageRequest,
      scope: ConnectionScope = 'all',
    ): Promise<Result<Page<AccessEntry>, SyncStoreError>> {
      const limit = pageSize(page);
      // An id names its connection (its prefix), and is stored without it: look in that connection's snapshot.
      const owners = await db.selectFrom('sync_snapshots').select('connection_id').execute();
      const owner = owners.find((o) => target.startsWith(idPrefix(o.connection_id)))?.connection_id;
      const inScope = owner !== undefined && (scope === 'all' || scope.includes(owner));
      const stored = owner === undefined ? '' : target.slice(idPrefix(owner).length);
      let query = base(inScope ? [owner] : []).where((eb) =>
        eb.or([
          eb('g.entitlement_id', '=', stored),
          eb(
            'g.entitlement_id',
            'in',
            eb
              .selectFrom('sync_entitlements as t')
              .select('t.id')
              .whereRef('t.run_id', '=', 's.run_id')
              .where('t.resource_id', '=', stored),
          ),
        ]),
      );
      if (page?.cursor !== undefined) {
        const position = decodeKeyset(page.cursor, 4);
        if (!position.ok) return err(badCursor());
        const [r = '', e = '', p = '', v = ''] = position.value;
        query = query.where((eb) =>
          eb(eb.refTuple('g.run_id', 'g.entitlement_id', 'g.principal_id', 'g.via'), '>', eb.tuple(r, e, p, v)),
        );
      }
      const rows = await query
        .orderBy('g.run_id')
        .orderBy('g.entitlement_id')
        .orderBy('g.principal_id')
        .orderBy('g.via')
        .limit(limit + 1)
        .execute();
      return ok(pageOf(rows, limit, (r) => [r.run_id, r.entitlement_id, r.principal_id, r.via]));
    },
  };
}

export type AccessQueries = ReturnType<typeof createAccessQueries>;
