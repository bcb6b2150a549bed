import type { ConnectionView } from '../../connections/connections-service.ts';
import { decodeCursor, encodeCursor } from '../../db/pagination.ts';
import type { AccessResource } from '../../domain/access-model.ts';
import { err, ok } from '../../domain/result.ts';
import type { RunDiffReport, SyncError, SyncJob, SyncSchedule, SyncService } from '../../sync/create-sync-service.ts';
import type { AccessEntry } from '../../sync/store/access-queries.ts';
import type { ExportFormat } from '../../sync/store/export-snapshot.ts';
import type { SyncRun } from '../../sync/store/sync-run.ts';

/**
 * An in-memory `SyncService` for route tests. It resolves connections through the connections fake's views, keeps
 * jobs, runs, schedules and access entries in maps a test can fill, records every call, and can fail the next call
 * of a method. `leaky: true` makes it return values carrying an extra `secret` property (and run checkpoints with a
 * URL), as a buggy service might: the API's allow-list serializers must keep them out.
 */

export const SYNC_LEAK = 'leaked-secret-value-in-sync-Qx93';

export interface Call {
  method: string;
  args: unknown[];
}

export interface FakeSync extends SyncService {
  calls: Call[];
  failNext(method: keyof SyncService, error: SyncError): void;
  jobsById: Map<string, SyncJob>;
  runsById: Map<string, SyncRun>;
  /** Schedules by connection id. */
  schedules: Map<string, SyncSchedule>;
  /** Current-snapshot access entries the access queries search. */
  entries: AccessEntry[];
  /** The report `diff` returns for two runs of one connection, lists cut to `limit`. */
  diffReport: RunDiffReport;
  /** What `exportSnapshot` writes, chunk by chunk, per format. */
  exportChunks: Record<ExportFormat, string[]>;
  /** When set, `exportSnapshot` throws after writing this many chunks. */
  exportThrowsAfter?: number;
}

const at = (iso: string) => new Date(iso);

export function sampleRun(id: string, connectionId: string, overrides: Partial<SyncRun> = {}): SyncRun {
  return {
    id,
    connectionId,
    status: 'succeeded',
    trigger: 'manual',
    createdAt: at('2026-03-01T10:00:00Z'),
    startedAt: at('2026-03-01T10:00:00Z'),
    finishedAt: at('2026-03-01T10:00:05Z'),
    durationMs: 5000,
    counts: { user: 3, group: 1, grants: 4 },
    requests: 7,
    retries: 0,
    rateLimited: 0,
    checkpoint: {},
    ...overrides,
  };
}

export function sampleEntry(connectionId: string, n: number): AccessEntry {
  return {
    connectionId,
    runId: 'r1',
    principal: {
      id: `${connectionId}:user:u${n}`,
      type: 'user',
      externalId: `u${n}`,
      displayName: `User ${n}`,
      email: `user${n}@example.com`,
    },
    entitlement: { id: `${connectionId}:group:g1:member`, slug: 'member', displayName: 'Member of devs' },
    resource: { id: `${connectionId}:group:g1`, type: 'group', displayName: 'devs' },
    via: n % 2 === 0 ? [] : [`${connectionId}:group:g0`],
  };
}

const account = (id: string): AccessResource => ({
  id,
  type: 'user',
  externalId: id,
  displayName: id,
  attributes: { email: `${id}@example.com`, active: true },
});

export function createFakeSync(
  connections: { views: Map<string, ConnectionView> },
  options: { leaky?: boolean } = {},
): FakeSync {
  const calls: Call[] = [];
  const failures = new Map<string, SyncError>();
  const jobsById = new Map<string, SyncJob>();
  const runsById = new Map<string, SyncRun>();
  const schedules = new Map<string, SyncSchedule>();
  const entries: AccessEntry[] = [];
  const exportChunks: Record<ExportFormat, string[]> = { jsonl: [], csv: [] };
  let nextJob = 1;

  const leak = <T extends object>(value: T): T => (options.leaky ? { ...value, secret: SYNC_LEAK } : value);
  const record = (method: keyof SyncService, args: unknown[]): SyncError | undefined => {
    calls.push({ method, args });
    const failure = failures.get(method);
    failures.delete(method);
    return failure;
  };
  const find = (idOrName: string) =>
    connections.views.get(idOrName) ?? [...connections.views.values()].find((v) => v.name === idOrName);
  const noConnection = (idOrName: string): SyncError => ({
    code: 'not_found',
    message: `No connection with id or name "${idOrName}".`,
  });
  const noRun = (): SyncError => ({ code: 'not_found', message: 'No such sync run.' });
  const badCursor = (): SyncError => ({
    code: 'invalid_input',
    message: 'The pagination cursor is not valid for this list.',
  });

  /** Offset pages over a filtered list; the cursor is the offset, in decimal. */
  const offsetPage = (all: AccessEntry[], page: { limit?: number; cursor?: string } | undefined) => {
    const start = page?.cursor === undefined ? 0 : Number(page.cursor);
    if (!Number.isInteger(start) || start < 0) return err(badCursor());
    const limit = page?.limit ?? 50;
    const items = all.slice(start, start + limit).map(leak);
    return ok(start + limit < all.length ? { items, nextCursor: String(start + limit) } : { items });
  };

  const fake: FakeSync = {
    calls,
    jobsById,
    runsById,
    schedules,
    entries,
    exportChunks,
    diffReport: {
      summary: { grantsAdded: 2, grantsRemoved: 1, accountsCreated: 1, accountsDeactivated: 0, accountsRemoved: 0 },
      grantsAdded: [
        { entitlementId: 'e1', principalId: 'p1', via: [] },
        { entitlementId: 'e1', principalId: 'p2', via: ['g1'] },
      ],
      grantsRemoved: [{ entitlementId: 'e2', principalId: 'p1', via: [] }],
      accountsCreated: [account('p2')],
      accountsDeactivated: [],
      accountsRemoved: [],
    },
    failNext: (method, error) => void failures.set(method, error),

    run(actor, idOrName) {
      const failure = record('run', [actor, idOrName]);
      if (failure) return Promise.resolve(err(failure));
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(noConnection(idOrName)));
      const run = sampleRun(`r${runsById.size + 1}`, view.id);
      runsById.set(run.id, run);
      return Promise.resolve(ok(run));
    },

    request(actor, idOrName) {
      const failure = record('request', [actor, idOrName]);
      if (failure) return Promise.resolve(err(failure));
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(noConnection(idOrName)));
      const waiting = [...jobsById.values()].find((j) => j.connectionId === view.id && j.status === 'queued');
      if (waiting) return Promise.resolve(ok({ job: leak(waiting), created: false }));
      const job: SyncJob = {
        id: `j${nextJob++}`,
        connectionId: view.id,
        trigger: 'manual',
        actor,
        status: 'queued',
        attempts: 0,
        maxAttempts: 3,
        runAt: at('2026-03-01T12:00:00Z'),
        createdAt: at('2026-03-01T12:00:00Z'),
      };
      jobsById.set(job.id, job);
      return Promise.resolve(ok({ job: leak(job), created: true }));
    },

    getJob(jobId) {
      const failure = record('getJob', [jobId]);
      if (failure) return Promise.resolve(err(failure));
      const job = jobsById.get(jobId);
      return Promise.resolve(job ? ok(leak(job)) : err({ code: 'not_found', message: 'No such sync job.' }));
    },

    jobs(idOrName, jobsOptions = {}) {
      const failure = record('jobs', [idOrName, jobsOptions]);
      if (failure) return Promise.resolve(err(failure));
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(noConnection(idOrName)));
      const mine = [...jobsById.values()].filter((j) => j.connectionId === view.id).reverse();
      return Promise.resolve(ok(mine.slice(0, jobsOptions.limit ?? 50).map(leak)));
    },

    setSchedule(actor, idOrName, every) {
      const failure = record('setSchedule', [actor, idOrName, every]);
      if (failure) return Promise.resolve(err(failure));
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(noConnection(idOrName)));
      if (every === null) {
        schedules.delete(view.id);
        return Promise.resolve(ok(undefined));
      }
      const schedule: SyncSchedule = {
        connectionId: view.id,
        every,
        nextRunAt: at('2026-03-02T03:00:00Z'),
        enabled: true,
      };
      schedules.set(view.id, schedule);
      return Promise.resolve(ok(leak(schedule)));
    },

    getSchedule(idOrName) {
      const failure = record('getSchedule', [idOrName]);
      if (failure) return Promise.resolve(err(failure));
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(noConnection(idOrName)));
      const schedule = schedules.get(view.id);
      return Promise.resolve(ok(schedule === undefined ? undefined : leak(schedule)));
    },

    runs(idOrName, page) {
      const failure = record('runs', [idOrName, page]);
      if (failure) return Promise.resolve(err(failure));
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(noConnection(idOrName)));
      const mine = [...runsById.values()]
        .filter((r) => r.connectionId === view.id)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id));
      let start = 0;
      if (page?.cursor !== undefined) {
        // Like the real service: a bad cursor of this list comes back as a store error.
        const position = decodeCursor(page.cursor);
        if (!position.ok) return Promise.resolve(err({ code: 'store_error', message: 'bad cursor' }));
        start = mine.findIndex((r) => r.id === position.value.id) + 1;
      }
      const limit = page?.limit ?? 50;
      const items = mine.slice(start, start + limit);
      const last = items.at(-1);
      const leaked = items.map((r) =>
        options.leaky ? leak({ ...r, checkpoint: { users: { phase: SYNC_LEAK } } }) : r,
      );
      return Promise.resolve(
        ok(
          start + limit < mine.length && last
            ? { items: leaked, nextCursor: encodeCursor({ at: last.createdAt.toISOString(), id: last.id }) }
            : { items: leaked },
        ),
      );
    },

    getRun(runId) {
      const failure = record('getRun', [runId]);
      if (failure) return Promise.resolve(err(failure));
      const run = runsById.get(runId);
      return Promise.resolve(run ? ok(leak(run)) : err(noRun()));
    },

    accept(actor, runId) {
      const failure = record('accept', [actor, runId]);
      if (failure) return Promise.resolve(err(failure));
      const run = runsById.get(runId);
      if (!run) return Promise.resolve(err(noRun()));
      if (run.status !== 'suspicious')
        return Promise.resolve(
          err({ code: 'invalid_input', message: `Only a suspicious run can be accepted; this one is ${run.status}.` }),
        );
      const accepted: SyncRun = {
        ...run,
        status: 'accepted',
        acceptedBy: actor,
        acceptedAt: at('2026-03-01T12:00:00Z'),
      };
      runsById.set(runId, accepted);
      return Promise.resolve(ok(leak(accepted)));
    },

    diff(runA, runB, diffOptions = {}) {
      const failure = record('diff', [runA, runB, diffOptions]);
      if (failure) return Promise.resolve(err(failure));
      const a = runsById.get(runA);
      const b = runsById.get(runB);
      if (!a || !b) return Promise.resolve(err(noRun()));
      if (a.connectionId !== b.connectionId)
        return Promise.resolve(
          err({ code: 'invalid_input', message: 'Only two runs of the same connection can be diffed.' }),
        );
      const limit = diffOptions.limit ?? 100;
      const r = fake.diffReport;
      return Promise.resolve(
        ok({
          summary: leak(r.summary),
          grantsAdded: r.grantsAdded.slice(0, limit).map(leak),
          grantsRemoved: r.grantsRemoved.slice(0, limit).map(leak),
          accountsCreated: r.accountsCreated.slice(0, limit).map(leak),
          accountsDeactivated: r.accountsDeactivated.slice(0, limit).map(leak),
          accountsRemoved: r.accountsRemoved.slice(0, limit).map(leak),
        }),
      );
    },

    accessUser(who, page) {
      const failure = record('accessUser', [who, page]);
      if (failure) return Promise.resolve(err(failure));
      const lower = who.toLowerCase();
      return Promise.resolve(
        offsetPage(
          entries.filter((e) => e.principal.email === lower || e.principal.externalId === who),
          page,
        ),
      );
    },

    whoHas(id, page) {
      const failure = record('whoHas', [id, page]);
      if (failure) return Promise.resolve(err(failure));
      return Promise.resolve(
        offsetPage(
          entries.filter((e) => e.entitlement.id === id || e.resource?.id === id),
          page,
        ),
      );
    },

    async exportSnapshot(connection, format, write) {
      const failure = record('exportSnapshot', [connection, format]);
      if (failure) return err(failure);
      if (connection !== undefined && !find(connection)) return err(noConnection(connection));
      let written = 0;
      for (const chunk of exportChunks[format]) {
        if (fake.exportThrowsAfter !== undefined && written >= fake.exportThrowsAfter)
          throw new Error(`export broke: ${SYNC_LEAK}`);
        await write(chunk);
        written++;
      }
      return ok(written);
    },
  };
  return fake;
}
