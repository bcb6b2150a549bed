import type { Kysely, Transaction } from 'kysely';
import { enumValue, fromIso, present, toIso } from '../db/columns.ts';
import type { Page, PageRequest } from '../db/pagination.ts';
import { decodeCursor, pageSize, toPage } from '../db/pagination.ts';
import type { Database, DataoutTicketRow } from '../db/schema.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import { dedupKey } from './dedup-key.ts';
import type { Finding } from './finding.ts';
import { FINDING_STATUSES } from './finding.ts';
import type { ReopenPolicy, Ticket, TicketState } from './instance.ts';
import { TICKET_STATES } from './instance.ts';

/** What recording a pushed finding did to its ticket. */
export type RecordOutcome =
  /** First seen: a ticket is to be created (or skipped, when it arrives resolved). */
  | 'new'
  /** Its content or status changed: the ticket is to be brought in step. */
  | 'changed'
  /** Pushed again as it was: nothing to do. */
  | 'unchanged'
  /** Reopened under policy `new`: a new ticket generation is to be created. */
  | 'regenerated';

export interface RecordedFinding {
  outcome: RecordOutcome;
  ticket: Ticket;
}

/** The dedup key of one generation of a finding's ticket (generation 0 is the plain key). */
export function generationKey(instanceId: string, source: string, findingId: string, generation: number): string {
  return dedupKey(instanceId, source, generation === 0 ? findingId : `${findingId}#${generation}`);
}

export function ticketFromRow(row: DataoutTicketRow): Ticket {
  return {
    instanceId: row.instance_id,
    source: row.source,
    findingId: row.finding_id,
    generation: Number(row.generation),
    dedupKey: row.dedup_key,
    findingHash: row.finding_hash,
    findingStatus: enumValue(FINDING_STATUSES, row.finding_status, 'finding_status'),
    state: enumValue(TICKET_STATES, row.state, 'state'),
    ...present('issueId', row.issue_id),
    ...present('issueKey', row.issue_key),
    ...present('appliedHash', row.applied_hash),
    ...present(
      'appliedStatus',
      row.applied_status === null ? null : enumValue(FINDING_STATUSES, row.applied_status, 'applied_status'),
    ),
    createAttempts: Number(row.create_attempts),
    ...present('lastError', row.last_error),
    ...present('lastErrorClass', row.last_error_class),
    previousIssueKeys: JSON.parse(row.previous_issue_keys) as string[],
    createdAt: fromIso(row.created_at),
    updatedAt: fromIso(row.updated_at),
  };
}

/** A ticket with the latest finding, for the job that acts on it. */
export interface TicketWork {
  ticket: Ticket;
  finding: Finding;
  /** When a create call for this ticket was last made (or about to be), if ever. */
  createCalledAt?: Date;
}

/**
 * Tickets in the database. Every change is a conditional update on the row's state, and the create protocol lives
 * in the order of calls: `claimForCreate` marks rows `creating` (committed) before any create call, so a crash at
 * any point leaves a row that says "a create may have happened: search first".
 */
export function createTicketsRepo(db: Kysely<Database>) {
  const work = (row: DataoutTicketRow): TicketWork => ({
    ticket: ticketFromRow(row),
    finding: JSON.parse(row.finding) as Finding,
    ...(row.create_attempt_at === null ? {} : { createCalledAt: fromIso(row.create_attempt_at) }),
  });

  return {
    /**
     * Records pushed findings of one instance and source inside `trx` (with the jobs that act on them, so neither
     * is committed without the other). Returns each finding's outcome, in input order.
     */
    async record(
      trx: Transaction<Database>,
      input: {
        instanceId: string;
        source: string;
        reopenPolicy: ReopenPolicy;
        findings: ReadonlyArray<{ finding: Finding; hash: string }>;
        at: Date;
      },
    ): Promise<RecordedFinding[]> {
      const { instanceId, source } = input;
      const now = toIso(input.at);
      const ids = input.findings.map((f) => f.finding.id);
      const existing = new Map<string, DataoutTicketRow>();
      // Chunks keep the `in (...)` list well under SQLite's and PostgreSQL's parameter limits.
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await trx
          .selectFrom('dataout_tickets')
          .selectAll()
          .where('instance_id', '=', instanceId)
          .where('source', '=', source)
          .where('finding_id', 'in', ids.slice(i, i + 500))
          .execute();
        for (const row of rows) existing.set(row.finding_id, row);
      }
      const out: RecordedFinding[] = [];
      for (const { finding, hash } of input.findings) {
        const row = existing.get(finding.id);
        if (row === undefined) {
          const inserted = await trx
            .insertInto('dataout_tickets')
            .values({
              instance_id: instanceId,
              source,
              finding_id: finding.id,
              dedup_key: generationKey(instanceId, source, finding.id, 0),
              finding: JSON.stringify(finding),
              finding_hash: hash,
              finding_status: finding.status,
              state: finding.status === 'resolved' ? 'skipped' : 'pending',
              created_at: now,
              updated_at: now,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          existing.set(finding.id, inserted);
          out.push({ outcome: 'new', ticket: ticketFromRow(inserted) });
          continue;
        }
        if (row.finding_hash === hash) {
          out.push({ outcome: 'unchanged', ticket: ticketFromRow(row) });
          continue;
        }
        const state = enumValue(TICKET_STATES, row.state, 'state');
        const reopened = finding.status === 'open' && row.applied_status === 'resolved';
        let values: Record<string, unknown> = {
          finding: JSON.stringify(finding),
          finding_hash: hash,
          finding_status: finding.status,
          updated_at: now,
        };
        let outcome: RecordOutcome = 'changed';
        if (reopened && input.reopenPolicy === 'new' && row.issue_key !== null) {
          const generation = Number(row.generation) + 1;
          const previous = [...(JSON.parse(row.previous_issue_keys) as string[]), row.issue_key];
          values = {
            ...values,
            generation,
            dedup_key: generationKey(instanceId, source, finding.id, generation),
            state: 'pending',
            issue_id: null,
            issue_key: null,
            applied_hash: null,
            applied_status: null,
            create_attempts: 0,
            create_attempt_at: null,
            last_error: null,
            last_error_class: null,
            previous_issue_keys: JSON.stringify(previous),
          };
          outcome = 'regenerated';
        } else if ((state === 'skipped' || state === 'failed') && finding.status === 'open') {
          // Never ticketed (resolved on arrival, or refused by Jira): an open finding is a new create.
          values = { ...values, state: 'pending', last_error: null, last_error_class: null };
        }
        const updated = await trx
          .updateTable('dataout_tickets')
          .set(values)
          .where('instance_id', '=', instanceId)
          .where('source', '=', source)
          .where('finding_id', '=', finding.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        existing.set(finding.id, updated);
        out.push({ outcome, ticket: ticketFromRow(updated) });
      }
      return out;
    },

    /**
     * Takes up to `limit` tickets of the instance waiting for a create (`pending`, or `creating` from an attempt
     * that did not finish), oldest first, except `skip`, and marks them `creating` with one more attempt.
     */
    async claimForCreate(
      instanceId: string,
      limit: number,
      at: Date,
      skip: readonly string[] = [],
    ): Promise<TicketWork[]> {
      return db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('dataout_tickets')
          .selectAll()
          .where('instance_id', '=', instanceId)
          .where('state', 'in', ['pending', 'creating'])
          .$if(skip.length > 0, (qb) => qb.where('dedup_key', 'not in', [...skip]))
          .orderBy('created_at')
          .orderBy('finding_id')
          .limit(limit)
          .execute();
        if (rows.length === 0) return [];
        const keys = rows.map((r) => r.dedup_key);

        const updated = await trx
          .updateTable('dataout_tickets')
          .set((eb) => ({
            state: 'creating',
            create_attempts: eb('create_attempts', '+', 1),
            updated_at: toIso(at),
          }))
          .where('dedup_key', 'in', keys)
          .returningAll()
          .execute();
        const byKey = new Map(updated.map((r) => [r.dedup_key, r]));
        // Rows as they were claimed, in the claim order; `createAttempts` tells a first attempt from a retry.
        return keys.flatMap((k) => {
          const row = byKey.get(k);
          return row === undefined ? [] : [work(row)];
        });
      });
    },

    /**
     * Records that a create call for these tickets is about to be made. Written (and committed) before the call,
     * so whatever happens next, the next attempt knows a create may have reached Jira and searches first.
     */
    async markCreateCalled(keys: readonly string[], at: Date): Promise<void> {
      if (keys.length === 0) return;
      await db
        .updateTable('dataout_tickets')
        .set({ create_attempt_at: toIso(at), updated_at: toIso(at) })
        .where('dedup_key', 'in', [...keys])
        .execute();
    },

    /** `markCreated` for a whole batch, in one transaction. `applied.hash` null: adopted, content unknown. */
    async markCreatedMany(
      items: ReadonlyArray<{
        key: string;
        issue: { id: string; key: string };
        applied: { hash: string | null; status: 'open' | 'resolved' };
      }>,
      at: Date,
    ): Promise<void> {
      if (items.length === 0) return;
      await db.transaction().execute(async (trx) => {
        for (const item of items)
          await trx
            .updateTable('dataout_tickets')
            .set({
              state: 'created',
              issue_id: item.issue.id,
              issue_key: item.issue.key,
              applied_hash: item.applied.hash,
              applied_status: item.applied.status,
              last_error: null,
              last_error_class: null,
              updated_at: toIso(at),
            })
            .where('dedup_key', '=', item.key)
            .execute();
      });
    },

    /** Tickets not in step with their finding: waiting for a create, or created and behind the latest push. */
    async outOfStep(instanceId: string): Promise<{ creates: number; updates: string[] }> {
      const creates = await db
        .selectFrom('dataout_tickets')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('instance_id', '=', instanceId)
        .where('state', 'in', ['pending', 'creating'])
        .executeTakeFirstOrThrow();
      const behind = await db
        .selectFrom('dataout_tickets')
        .select('dedup_key')
        .where('instance_id', '=', instanceId)
        .where('state', '=', 'created')
        .where((eb) =>
          eb.or([
            eb('applied_hash', 'is', null),
            eb('applied_hash', '!=', eb.ref('finding_hash')),
            eb('applied_status', '!=', eb.ref('finding_status')),
          ]),
        )
        .execute();
      return { creates: Number(creates.n), updates: behind.map((r) => r.dedup_key) };
    },

    /** Puts an instance's refused creates back in line (after the instance or the data was fixed). */
    async retryFailed(instanceId: string, at: Date): Promise<number> {
      const result = await db
        .updateTable('dataout_tickets')
        .set({ state: 'pending', updated_at: toIso(at) })
        .where('instance_id', '=', instanceId)
        .where('state', '=', 'failed')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** The issue exists: record it, with the finding hash and status it was created from. */
    async markCreated(
      key: string,
      issue: { id: string; key: string },
      applied: { hash: string; status: 'open' | 'resolved' },
      at: Date,
    ): Promise<Ticket | undefined> {
      const row = await db
        .updateTable('dataout_tickets')
        .set({
          state: 'created',
          issue_id: issue.id,
          issue_key: issue.key,
          applied_hash: applied.hash,
          applied_status: applied.status,
          last_error: null,
          last_error_class: null,
          updated_at: toIso(at),
        })
        .where('dedup_key', '=', key)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : ticketFromRow(row);
    },

    /** Leaves the ticket in `state` with the failure's safe text and class. */
    async markError(
      key: string,
      state: TicketState | undefined,
      error: { message: string; errorClass: string },
      at: Date,
    ): Promise<void> {
      await db
        .updateTable('dataout_tickets')
        .set({
          ...(state === undefined ? {} : { state }),
          last_error: error.message,
          last_error_class: error.errorClass,
          updated_at: toIso(at),
        })
        .where('dedup_key', '=', key)
        .execute();
    },

    async markSkipped(key: string, at: Date): Promise<void> {
      await db
        .updateTable('dataout_tickets')
        .set({ state: 'skipped', updated_at: toIso(at) })
        .where('dedup_key', '=', key)
        .where('state', 'in', ['pending', 'creating'])
        .execute();
    },

    /** What the issue now reflects, after an update, comment or transition. */
    async setApplied(key: string, applied: { hash: string; status: 'open' | 'resolved' }, at: Date): Promise<void> {
      await db
        .updateTable('dataout_tickets')
        .set({
          applied_hash: applied.hash,
          applied_status: applied.status,
          last_error: null,
          last_error_class: null,
          updated_at: toIso(at),
        })
        .where('dedup_key', '=', key)
        .execute();
    },

    async get(instanceId: string, source: string, findingId: string): Promise<TicketWork | undefined> {
      const row = await db
        .selectFrom('dataout_tickets')
        .selectAll()
        .where('instance_id', '=', instanceId)
        .where('source', '=', source)
        .where('finding_id', '=', findingId)
        .executeTakeFirst();
      return row === undefined ? undefined : work(row);
    },

    /** The latest pushed finding's hash of each of these tickets, by dedup key (absent: no such ticket). */
    async findingHashes(keys: readonly string[]): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      // Chunks keep the `in (...)` list well under SQLite's and PostgreSQL's parameter limits.
      for (let i = 0; i < keys.length; i += 500) {
        const rows = await db
          .selectFrom('dataout_tickets')
          .select(['dedup_key', 'finding_hash'])
          .where('dedup_key', 'in', keys.slice(i, i + 500))
          .execute();
        for (const row of rows) out.set(row.dedup_key, row.finding_hash);
      }
      return out;
    },

    async getByKey(key: string): Promise<TicketWork | undefined> {
      const row = await db.selectFrom('dataout_tickets').selectAll().where('dedup_key', '=', key).executeTakeFirst();
      return row === undefined ? undefined : work(row);
    },

    /** An instance's tickets, oldest first, keyset-paginated. */
    async list(instanceId: string, page?: PageRequest): Promise<Result<Page<Ticket>, 'bad_cursor'>> {
      const limit = pageSize(page);
      let query = db.selectFrom('dataout_tickets').selectAll().where('instance_id', '=', instanceId);
      if (page?.cursor !== undefined) {
        const position = decodeCursor(page.cursor);
        if (!position.ok) return err('bad_cursor');
        const { at, id } = position.value;
        query = query.where((eb) =>
          eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('dedup_key', '>', id)])]),
        );
      }
      const rows = await query
        .orderBy('created_at')
        .orderBy('dedup_key')
        .limit(limit + 1)
        .execute();
      return ok(toPage(rows, limit, (r) => ({ at: r.created_at, id: r.dedup_key }), ticketFromRow));
    },

    /** How many of an instance's tickets are in each state. */
    async countByState(instanceId: string): Promise<Partial<Record<TicketState, number>>> {
      const rows = await db
        .selectFrom('dataout_tickets')
        .select(['state', (eb) => eb.fn.countAll().as('n')])
        .where('instance_id', '=', instanceId)
        .groupBy('state')
        .execute();
      return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    },
  };
}
export type TicketsRepo = ReturnType<typeof createTicketsRepo>;
