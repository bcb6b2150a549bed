import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ConnectionScope } from './access-queries.ts';
import { entitlementFromRow, grantFromRow, resourceFromRow } from './access-rows.ts';
import { csvLine } from './csv.ts';
import { fromStoredId, fromStoredVia, idPrefix } from './stored-ids.ts';

export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Receives the export a page at a time; awaiting it gives backpressure (a slow HTTP client slows the export). */
export type ExportWriter = (chunk: string) => void | Promise<void>;

/** Rows per page when exporting. Default 1000. */
export const DEFAULT_EXPORT_PAGE_SIZE = 1000;

/** The CSV columns: one row per grant, flattened for a spreadsheet review. */
export const CSV_COLUMNS = [
  'connection_id',
  'principal_id',
  'principal_type',
  'principal_external_id',
  'principal_name',
  'principal_email',
  'entitlement_id',
  'entitlement_slug',
  'entitlement_name',
  'resource_id',
  'resource_type',
  'resource_name',
  'direct',
  'via',
] as const;

/**
 * Streams the current snapshots in scope, one keyset page at a time, so memory holds one page whatever the size
 * of the org.
 *
 * - `jsonl`: the model itself, Baton-style: every resource, then every entitlement, then every grant of each
 *   connection, one JSON object per line: `{"connectionId", "kind": "resource"|"entitlement"|"grant", ...}`.
 * - `csv`: one row per grant (direct and effective) with the principal, the entitlement and its resource by name,
 *   `via` as the path's ids joined with ` > `. RFC 4180 quoting, CRLF line ends, a header row.
 *
 * Returns how many records (jsonl) or grant rows (csv) were written.
 */
export async function exportSnapshot(
  db: Kysely<Database>,
  scope: ConnectionScope,
  format: ExportFormat,
  write: ExportWriter,
  pageSize = DEFAULT_EXPORT_PAGE_SIZE,
): Promise<number> {
  let snapshots = db.selectFrom('sync_snapshots').select(['connection_id', 'run_id']).orderBy('connection_id');
  if (scope !== 'all') snapshots = snapshots.where('connection_id', 'in', scope.length === 0 ? [''] : [...scope]);
  const runs = await snapshots.execute();
  let written = 0;
  if (format === 'csv') await write(csvLine(CSV_COLUMNS));
  for (const { connection_id: connectionId, run_id: runId } of runs) {
    written +=
      format === 'jsonl'
        ? await exportJsonl(db, connectionId, runId, write, pageSize)
        : await exportCsv(db, connectionId, runId, write, pageSize);
  }
  return written;
}

async function exportJsonl(
  db: Kysely<Database>,
  connectionId: string,
  runId: string,
  write: ExportWriter,
  pageSize: number,
): Promise<number> {
  let written = 0;
  const prefix = idPrefix(connectionId);
  let after: string | undefined;
  for (;;) {
    let query = db
      .selectFrom('sync_resources')
      .select(['id', 'type', 'external_id', 'display_name', 'parent_id', 'attributes'])
      .where('run_id', '=', runId);
    if (after !== undefined) query = query.where('id', '>', after);
    const rows = await query.orderBy('id').limit(pageSize).execute();
    if (rows.length === 0) break;
    await write(
      rows
        .map((r) => JSON.stringify({ connectionId, kind: 'resource', resource: resourceFromRow(r, prefix) }) + '\n')
        .join(''),
    );
    written += rows.length;
    after = rows.at(-1)?.id;
  }
  after = undefined;
  for (;;) {
    let query = db
      .selectFrom('sync_entitlements')
      .select(['id', 'resource_id', 'slug', 'display_name'])
      .where('run_id', '=', runId);
    if (after !== undefined) query = query.where('id', '>', after);
    const rows = await query.orderBy('id').limit(pageSize).execute();
    if (rows.length === 0) break;
    await write(
      rows
        .map(
          (r) =>
            JSON.stringify({ connectionId, kind: 'entitlement', entitlement: entitlementFromRow(r, prefix) }) + '\n',
        )
        .join(''),
    );
    written += rows.length;
    after = rows.at(-1)?.id;
  }
  let position: [string, string, string] | undefined;
  for (;;) {
    let query = db
      .selectFrom('sync_grants')
      .select(['entitlement_id', 'principal_id', 'via'])
      .where('run_id', '=', runId);
    if (position !== undefined) {
      const [e, p, v] = position;
      query = query.where((eb) => eb(eb.refTuple('entitlement_id', 'principal_id', 'via'), '>', eb.tuple(e, p, v)));
    }
    const rows = await query.orderBy('entitlement_id').orderBy('principal_id').orderBy('via').limit(pageSize).execute();
    const last = rows.at(-1);
    if (last === undefined) break;
    await write(
      rows.map((r) => JSON.stringify({ connectionId, kind: 'grant', grant: grantFromRow(r, prefix) }) + '\n').join(''),
    );
    written += rows.length;
    position = [last.entitlement_id, last.principal_id, last.via];
  }
  return written;
}

async function exportCsv(
  db: Kysely<Database>,
  connectionId: string,
  runId: string,
  write: ExportWriter,
  pageSize: number,
): Promise<number> {
  let written = 0;
  const prefix = idPrefix(connectionId);
  let position: [string, string, string] | undefined;
  for (;;) {
    let query = db
      .selectFrom('sync_grants as g')
      .leftJoin('sync_entitlements as e', (j) =>
        j.onRef('e.run_id', '=', 'g.run_id').onRef('e.id', '=', 'g.entitlement_id'),
      )
      .leftJoin('sync_resources as r', (j) => j.onRef('r.run_id', '=', 'g.run_id').onRef('r.id', '=', 'e.resource_id'))
      .leftJoin('sync_resources as p', (j) => j.onRef('p.run_id', '=', 'g.run_id').onRef('p.id', '=', 'g.principal_id'))
      .select([
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
      ])
      .where('g.run_id', '=', runId);
    if (position !== undefined) {
      const [e, p, v] = position;
      query = query.where((eb) =>
        eb(eb.refTuple('g.entitlement_id', 'g.principal_id', 'g.via'), '>', eb.tuple(e, p, v)),
      );
    }
    const rows = await query
      .orderBy('g.entitlement_id')
      .orderBy('g.principal_id')
      .orderBy('g.via')
      .limit(pageSize)
      .execute();
    const last = rows.at(-1);
    if (last === undefined) break;
    await write(
      rows
        .map((r) =>
          csvLine([
            connectionId,
            fromStoredId(prefix, r.principal_id),
            r.principal_type,
            r.principal_external_id,
            r.principal_name,
            r.principal_email,
            fromStoredId(prefix, r.entitlement_id),
            r.slug,
            r.entitlement_name,
            r.resource_id === null ? null : fromStoredId(prefix, r.resource_id),
            r.resource_type,
            r.resource_name,
            r.via === '' ? 'true' : 'false',
            fromStoredVia(prefix, r.via).join(' > '),
          ]),
        )
        .join(''),
    );
    written += rows.length;
    position = [last.entitlement_id, last.principal_id, last.via];
  }
  return written;
}
