import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { isSqlite } from './dialect-of.ts';
import { VIA_SEPARATOR } from './via-path.ts';

/** How deep nested groups are followed. Default 20: deeper nesting is a directory mistake, not a design. */
export const DEFAULT_MAX_NESTING_DEPTH = 20;

/**
 * Inserts the effective grants of a run, in one SQL statement (the rows never leave the database): for every
 * direct grant held by a group or team, a grant for each member of it, with `via` = [that group]; members that
 * are groups themselves pass it on, so a user three groups down gets `via` = [outer, middle, inner]. Membership
 * is the direct grants of a group's or team's `member` entitlement.
 *
 * Cycles (A in B in A) end where a path would visit a group twice, or reach the group whose membership is being
 * expanded (A holding A's own membership through B is noise, not access); `maxDepth` bounds the walk as a safety net.
 * Idempotent (`on conflict do nothing`) and fed only from direct grants, so running it twice changes nothing.
 * Returns how many effective grants the run holds afterwards.
 */
export async function expandEffectiveGrants(
  db: Kysely<Database>,
  runId: string,
  maxDepth = DEFAULT_MAX_NESTING_DEPTH,
): Promise<number> {
  // Casts give PostgreSQL the parameters' types where it cannot infer them (a select list, a concatenation).
  const sep = sql`cast(${VIA_SEPARATOR} as text)`;
  const run = sql`cast(${runId} as text)`;
  // Members of a group or team are the direct grants of its `member` entitlement, whose id is `${groupId}:member` by
  // the model's id rule: joining on that id uses the grants' primary key, where a join through the entitlement and
  // resource tables made every recursion step scan all memberships (46 s for 8,000 grants on SQLite; now well
  // under a second).
  const member = sql`cast(${':member'} as text)`;
  // SQLite cannot estimate a recursive CTE's size and would scan it once per membership row; `cross join` makes it
  // walk `reach` outside and look members up by the primary key (PostgreSQL plans this well on its own and does not
  // accept `cross join ... on`).
  const stepJoin = isSqlite(db) ? sql`cross join` : sql`join`;
  // The walk starts from the groups and teams (their `member` entitlements, a few thousand) and looks up the grants
  // each holds, instead of reading every direct grant of the run to find the few held by one: 0.4 s on a run of
  // 320,000 grants, now 5 ms. SQLite, without statistics, would read the grants by run instead of by principal.
  const byPrincipal = isSqlite(db) ? sql`indexed by sync_grants_principal_idx` : sql``;
  const memberSlug = sql`cast(${'member'} as text)`;
  // No `distinct` on the result: `on conflict do nothing` drops a repeated path as it is inserted, where a distinct
  // would first sort every path of the run (millions on a large org) only to find the same few repeats.
  // The path check wraps the path in separators so `g1` is not found inside `g10`; `replace` is portable
  // (SQLite has instr, PostgreSQL strpos) and the ids are never treated as patterns (LIKE would treat `_`).
  await sql`
    with recursive
      reach (entitlement_id, owner_id, principal_id, via, depth) as (
        select g.entitlement_id, coalesce(o.resource_id, ''), m.principal_id, g.principal_id, 1
        from sync_entitlements c
        ${stepJoin} sync_grants g ${byPrincipal} on g.run_id = c.run_id and g.principal_id = c.resource_id and g.via = ''
        ${stepJoin} sync_grants m on m.run_id = c.run_id and m.entitlement_id = c.id and m.via = ''
        left join sync_entitlements o on o.run_id = g.run_id and o.id = g.entitlement_id
        where c.run_id = ${run} and c.slug = ${memberSlug} and m.principal_id <> g.principal_id
          and m.principal_id <> coalesce(o.resource_id, '')
        union all
        select r.entitlement_id, r.owner_id, m.principal_id, r.via || ${sep} || r.principal_id, r.depth + 1
        from reach r
        ${stepJoin} sync_grants m on m.run_id = ${run} and m.entitlement_id = r.principal_id || ${member} and m.via = ''
        where r.depth < cast(${maxDepth} as integer)
          and m.principal_id <> r.owner_id
          and replace(${sep} || r.via || ${sep} || r.principal_id || ${sep}, ${sep} || m.principal_id || ${sep}, '')
            = ${sep} || r.via || ${sep} || r.principal_id || ${sep}
      )
    insert into sync_grants (run_id, entitlement_id, principal_id, via)
    select ${run}, entitlement_id, principal_id, via from reach where true
    on conflict do nothing
  `.execute(db);
  const row = await db
    .selectFrom('sync_grants')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('run_id', '=', runId)
    .where('via', '<>', '')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
