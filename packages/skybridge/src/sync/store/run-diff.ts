import type { Kysely } from 'kysely';
import type { AccessGrant, AccessResource } from '../../domain/access-model.ts';
import type { Result } from '../../domain/result.ts';
import { err, ok } from '../../domain/result.ts';
import type { Page } from '../../db/pagination.ts';
import type { Database } from '../../db/schema.ts';
import { grantFromRow, resourceFromRow } from './access-rows.ts';
import { decodeKeyset, encodeKeyset } from './keyset-cursor.ts';
import { idPrefix } from './stored-ids.ts';
import { SyncStoreError } from './sync-store-error.ts';

/** Account statuses that mean "can no longer sign in". A user moving into one of them is "deactivated". */
export const INACTIVE_ACCOUNT_STATUSES = ['inactive', 'deactivated', 'closed', 'suspended', 'disabled'] as const;

export const GRANT_CHANGES = ['added', 'removed'] as const;
export type GrantChange = (typeof GRANT_CHANGES)[number];
export const ACCOUNT_CHANGES = ['created', 'deactivated', 'removed'] as const;
export type AccountChange = (typeof ACCOUNT_CHANGES)[number];

export interface RunDiffSummary {
  grantsAdded: number;
  grantsRemoved: number;
  accountsCreated: number;
  accountsDeactivated: number;
  accountsRemoved: number;
}

export type RunDiffEntry =
  | { change: `grant_${GrantChange}`; grant: AccessGrant }
  | { change: `account_${AccountChange}`; account: AccessResource };

export interface DiffPageRequest {
  /** Rows per page, 1..10000. Default 1000. */
  limit?: number;
  cursor?: string;
}

const MAX_DIFF_PAGE = 10_000;
const DEFAULT_DIFF_PAGE = 1000;

/**
 * Differences between two runs of one connection (A the older, B the newer, by convention): grants added and
 * removed, accounts (user resources) created, deactivated and removed. Every list is a keyset page computed by the
 * database with `not exists`, so diffing two runs of millions of grants holds one page in memory.
 */
export function createRunDiff(db: Kysely<Database>) {
  /** The id prefix of the connection both runs belong to (`stored-ids.ts`), or why they cannot be diffed. */
  async function connectionsOf(runA: string, runB: string): Promise<Result<string, SyncStoreError>> {
    const rows = await db
      .selectFrom('sync_runs')
      .select(['id', 'connection_id'])
      .where('id', 'in', [runA, runB])
      .execute();
    const a = rows.find((r) => r.id === runA);
    const b = rows.find((r) => r.id === runB);
    if (a === undefined || b === undefined) return err(new SyncStoreError('run_not_found', 'No such sync run.'));
    if (a.connection_id !== b.connection_id) {
      return err(new SyncStoreError('different_connections', 'Only two runs of the same connection can be diffed.'));
    }
    return ok(idPrefix(a.connection_id));
  }

  function limitOf(request: DiffPageRequest | undefined): number {
    const limit = request?.limit ?? DEFAULT_DIFF_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DIFF_PAGE) {
      throw new Error(`diff page limit must be an integer from 1 to ${MAX_DIFF_PAGE}`);
    }
    return limit;
  }

  const badCursor = () => new SyncStoreError('bad_cursor', 'The pagination cursor is not valid for this list.');

  function grantsQuery(to: string, from: string) {
    return db
      .selectFrom('sync_grants as b')
      .select(['b.entitlement_id', 'b.principal_id', 'b.via'])
      .where('b.run_id', '=', to)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('sync_grants as a')
              .select('a.run_id')
              .where('a.run_id', '=', from)
              .whereRef('a.entitlement_id', '=', 'b.entitlement_id')
              .whereRef('a.principal_id', '=', 'b.principal_id')
              .whereRef('a.via', '=', 'b.via'),
          ),
        ),
      );
  }

  /** Grants in `to` and not in `from`, keyset-ordered by (entitlement, principal, via). */
  async function grantsOnlyIn(
    to: string,
    from: string,
    prefix: string,
    request: DiffPageRequest | undefined,
  ): Promise<Result<Page<AccessGrant>, SyncStoreError>> {
    const limit = limitOf(request);
    let query = grantsQuery(to, from);
    if (request?.cursor !== undefined) {
      const position = decodeKeyset(request.cursor, 3);
      if (!position.ok) return err(badCursor());
      const [e = '', p = '', v = ''] = position.value;
      query = query.where((eb) =>
        eb(eb.refTuple('b.entitlement_id', 'b.principal_id', 'b.via'), '>', eb.tuple(e, p, v)),
      );
    }
    const rows = await query
      .orderBy('b.entitlement_id')
      .orderBy('b.principal_id')
      .orderBy('b.via')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return ok({
      items: items.map((r) => grantFromRow(r, prefix)),
      ...(rows.length > limit && last !== undefined
        ? { nextCursor: encodeKeyset([last.entitlement_id, last.principal_id, last.via]) }
        : {}),
    });
  }

  function accountsQuery(runA: string, runB: string, change: AccountChange) {
    // created and deactivated report the account as it is in B, removed as it was in A.
    const [here, there] = change === 'removed' ? [runA, runB] : [runB, runA];
    let query = db
      .selectFrom('sync_resources as r')
      .select(['r.id', 'r.type', 'r.external_id', 'r.display_name', 'r.parent_id', 'r.attributes'])
      .where('r.run_id', '=', here)
      .where('r.type', '=', 'user');
    switch (change) {
      case 'created':
      case 'removed':
        query = query.where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('sync_resources as o')
                .select('o.id')
                .where('o.run_id', '=', there)
                .whereRef('o.id', '=', 'r.id'),
            ),
          ),
        );
        break;
      case 'deactivated':
        query = query.where('r.status', 'in', INACTIVE_ACCOUNT_STATUSES).where((eb) =>
          eb.exists(
            eb
              .selectFrom('sync_resources as o')
              .select('o.id')
              .where('o.run_id', '=', there)
              .whereRef('o.id', '=', 'r.id')
              .where((w) => w.or([w('o.status', 'is', null), w('o.status', 'not in', INACTIVE_ACCOUNT_STATUSES)])),
          ),
        );
        break;
    }
    return query;
  }

  async function accounts(
    runA: string,
    runB: string,
    change: AccountChange,
    prefix: string,
    request: DiffPageRequest | undefined,
  ): Promise<Result<Page<AccessResource>, SyncStoreError>> {
    const limit = limitOf(request);
    let query = accountsQuery(runA, runB, change);
    if (request?.cursor !== undefined) {
      const position = decodeKeyset(request.cursor, 1);
      if (!position.ok) return err(badCursor());
      query = query.where('r.id', '>', position.value[0] ?? '');
    }
    const rows = await query
      .orderBy('r.id')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return ok({
      items: items.map((r) => resourceFromRow(r, prefix)),
      ...(rows.length > limit && last !== undefined ? { nextCursor: encodeKeyset([last.id]) } : {}),
    });
  }

  const api = {
    /** One page of grants added (in B, not A) or removed (in A, not B). */
    async grants(
      runA: string,
      runB: string,
      change: GrantChange,
      request?: DiffPageRequest,
    ): Promise<Result<Page<AccessGrant>, SyncStoreError>> {
      const checked = await connectionsOf(runA, runB);
      if (!checked.ok) return checked;
      return change === 'added'
        ? grantsOnlyIn(runB, runA, checked.value, request)
        : grantsOnlyIn(runA, runB, checked.value, request);
    },

    /** One page of user accounts created, deactivated (status moved to an inactive one) or removed. */
    async accounts(
      runA: string,
      runB: string,
      change: AccountChange,
      request?: DiffPageRequest,
    ): Promise<Result<Page<AccessResource>, SyncStoreError>> {
      const checked = await connectionsOf(runA, runB);
      if (!checked.ok) return checked;
      return accounts(runA, runB, change, checked.value, request);
    },

    /** How many of each change, counted by the database. */
    async summary(runA: string, runB: string): Promise<Result<RunDiffSummary, SyncStoreError>> {
      const checked = await connectionsOf(runA, runB);
      if (!checked.ok) return checked;
      const countGrants = async (to: string, from: string) => {
        const row = await db
          .selectFrom(grantsQuery(to, from).as('d'))
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow();
        return Number(row.n);
      };
      const countAccounts = async (change: AccountChange) => {
        const row = await db
          .selectFrom(accountsQuery(runA, runB, change).as('d'))
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow();
        return Number(row.n);
      };
      return ok({
        grantsAdded: await countGrants(runB, runA),
        grantsRemoved: await countGrants(runA, runB),
        accountsCreated: await countAccounts('created'),
        accountsDeactivated: await countAccounts('deactivated'),
        accountsRemoved: await countAccounts('removed'),
      });
    },

    /**
     * Every change, streamed a page at a time (`pageSize`, default 1000): accounts created, deactivated,
     * removed, then grants added, removed. Fails before the first entry when a run is unknown or the runs
     * belong to different connections.
     */
    async diff(
      runA: string,
      runB: string,
      pageSize = DEFAULT_DIFF_PAGE,
    ): Promise<Result<AsyncIterable<RunDiffEntry>, SyncStoreError>> {
      const checked = await connectionsOf(runA, runB);
      if (!checked.ok) return checked;
      const prefix = checked.value;
      async function* entries(): AsyncGenerator<RunDiffEntry> {
        for (const change of ACCOUNT_CHANGES) {
          let cursor: string | undefined;
          do {
            const page = await accounts(
              runA,
              runB,
              change,
              prefix,
              cursor === undefined ? { limit: pageSize } : { limit: pageSize, cursor },
            );
            if (!page.ok) throw page.error;
            for (const account of page.value.items) yield { change: `account_${change}`, account };
            cursor = page.value.nextCursor;
          } while (cursor !== undefined);
        }
        for (const change of GRANT_CHANGES) {
          const [to, from] = change === 'added' ? [runB, runA] : [runA, runB];
          let cursor: string | undefined;
          do {
            const page = await grantsOnlyIn(
              to,
              from,
              prefix,
              cursor === undefined ? { limit: pageSize } : { limit: pageSize, cursor },
            );
            if (!page.ok) throw page.error;
            for (const grant of page.value.items) yield { change: `grant_${change}`, grant };
            cursor = page.value.nextCursor;
          } while (cursor !== undefined);
        }
      }
      return ok(entries());
    },
  };
  return api;
}

export type RunDiff = ReturnType<typeof createRunDiff>;
