import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../db/test-dialects.ts';
import { createJobQueue } from '../jobs/job-queue.ts';
import { createHubHarness, type HubHarness } from '../test-support/hub-harness.ts';
import { SYNC_QUEUE, SYNC_RETENTION_QUEUE, createRetentionJobHandler } from './sync-jobs.ts';
import { createSyncStore } from './store/sync-store.ts';

/**
 * Sync as jobs: manual requests and schedules go through the persistent queue, one run per connection at a time,
 * a run held by a process that died is taken over and resumed, permanent failures are not retried, and deleting a
 * connection takes its schedule and queued runs with it.
 */
for (const dialect of testDialects()) {
  describe(`sync jobs on ${dialect}`, () => {
    let h: HubHarness;
    let siteStats: (name: string) => Record<string, number>;

    beforeAll(async () => {
      h = await createHubHarness({ dialect });
      const info = h.sim.describe();
      const site = (name: string) => info.sites.find((s) => s.name === name)!;
      const pat = (name: string) => (site(name).credentials as { pat: string }).pat;
      for (const input of [
        { kind: 'jira-dc' as const, name: 'jira dc', url: site('jira-dc-1').baseUrl, secret: pat('jira-dc-1') },
        {
          kind: 'confluence-dc' as const,
          name: 'wiki dc',
          url: site('confluence-dc-1').baseUrl,
          secret: pat('confluence-dc-1'),
        },
      ]) {
        const added = await h.hub.connections.add('test', input);
        if (!added.ok) throw new Error(`${input.name}: ${added.error.message}`);
      }
      const stats = (await h.control('stats')).body as { sites: Array<Record<string, number | string>> };
      siteStats = (name) => stats.sites.find((s) => s['name'] === name) as Record<string, number>;
    });
    afterAll(async () => {
      await h?.close();
    });

    it('runs a manual request as a job; asking again while it waits returns the same job', async () => {
      const first = await h.hub.sync.request('alice', 'jira dc');
      const again = await h.hub.sync.request('bob', 'jira dc');
      expect(first.ok && first.value.created).toBe(true);
      expect(again.ok && again.value).toMatchObject({ created: false, job: { id: first.ok && first.value.job.id } });
      const jobId = first.ok ? first.value.job.id : '';
      const final = await h.hub.jobs.runJob(jobId);
      expect(final?.status).toBe('succeeded');
      const runs = await h.hub.sync.runs('jira dc', { limit: 1 });
      const run = runs.ok ? runs.value.items[0] : undefined;
      expect(run).toMatchObject({ status: 'succeeded', trigger: 'manual' });
      expect(run?.counts['user']).toBe(siteStats('jira-dc-1')['users']);
      const jobs = await h.hub.sync.jobs('jira dc');
      expect(jobs.ok && jobs.value[0]).toMatchObject({ id: jobId, status: 'succeeded', actor: 'alice' });
    });

    it('never runs two syncs of one connection at once, but runs different connections side by side', async () => {
      const a = await h.hub.sync.request('test', 'jira dc');
      const b = await h.hub.sync.request('test', 'wiki dc');
      // Another worker holds this connection's job: a second request for it waits in the queue.
      const other = createJobQueue({ db: h.db, dialect, clock: h.clock, workerId: 'elsewhere-1' });
      const held = await other.claim([SYNC_QUEUE], 60_000, { jobId: a.ok ? a.value.job.id : '' });
      expect(held?.status).toBe('running');
      const second = await h.hub.sync.request('test', 'jira dc');
      expect(second.ok && second.value.created).toBe(true);
      expect(await other.claim([SYNC_QUEUE], 60_000, { jobId: second.ok ? second.value.job.id : '' })).toBeUndefined();
      // The other connection is not blocked.
      const wiki = await h.hub.jobs.runJob(b.ok ? b.value.job.id : '');
      expect(wiki?.status).toBe('succeeded');
      // Once the held job finishes, the waiting one can run.
      expect((await other.complete(held!.id)).ok).toBe(true);
      const after = await h.hub.jobs.runJob(second.ok ? second.value.job.id : '');
      expect(after?.status).toBe('succeeded');
    });

    it('takes over, at once, a run whose process died, and resumes it to the same data', async () => {
      const straight = await h.hub.sync.runs('jira dc', { limit: 1 });
      const expectedCounts = straight.ok ? straight.value.items[0]?.counts : undefined;
      // A process dies mid-run: its run is left `running` with checkpoints, its job `running` with a live lease.
      const controller = new AbortController();
      let pages = 0;
      const interrupted = await h.hub.sync.run('test', 'jira dc', {
        signal: controller.signal,
        onProgress: () => {
          if (++pages === 3) controller.abort();
        },
      });
      expect(!interrupted.ok && interrupted.error.code).toBe('interrupted');
      const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
      const dead = createJobQueue({
        db: h.db,
        dialect,
        clock: h.clock,
        workerId: `${hostname()}:${deadPid}:deadbeef`,
      });
      const requested = await h.hub.sync.request('test', 'jira dc');
      const jobId = requested.ok ? requested.value.job.id : '';
      expect((await dead.claim([SYNC_QUEUE], 3_600_000, { jobId }))?.lockedBy).toContain(`:${deadPid}:`);

      const final = await h.hub.jobs.runJob(jobId);
      expect(final?.status).toBe('succeeded');
      expect(final?.attempts, 'the dead attempt counts').toBe(2);
      const runs = await h.hub.sync.runs('jira dc', { limit: 1 });
      const resumed = runs.ok ? runs.value.items[0] : undefined;
      expect(resumed?.status).toBe('succeeded');
      expect(resumed?.counts).toEqual(expectedCounts);
    });

    it('runs a schedule on its interval and lists it as a dependent of the connection', async () => {
      const set = await h.hub.sync.setSchedule('test', 'wiki dc', { intervalMs: 3_600_000 });
      expect(set.ok && set.value).toMatchObject({ every: { intervalMs: 3_600_000 }, enabled: true });
      expect(await h.hub.jobs.scheduler.tick()).toEqual([]);
      h.clock.advance(3_600_000);
      const [job] = await h.hub.jobs.scheduler.tick();
      expect(job).toBeDefined();
      expect((await h.hub.jobs.runJob(job!.id))?.status).toBe('succeeded');
      const runs = await h.hub.sync.runs('wiki dc', { limit: 1 });
      expect(runs.ok && runs.value.items[0]?.trigger).toBe('schedule');

      const bad = await h.hub.sync.setSchedule('test', 'wiki dc', { cron: '61 * * * *' });
      expect(!bad.ok && bad.error).toMatchObject({ code: 'invalid_input' });
      expect(!bad.ok && bad.error.message).toMatch(/^every: /);
      const tooOften = await h.hub.sync.setSchedule('test', 'wiki dc', { intervalMs: 1_000 });
      expect(!tooOften.ok && tooOften.error.code).toBe('invalid_input');

      const dependents = await h.hub.connections.dependents('wiki dc');
      expect(dependents.ok && dependents.value).toEqual([
        expect.objectContaining({ type: 'schedule', name: 'sync every 1h' }),
      ]);
    });

    it('gives up at once on a credential Atlassian refuses, and marks the connection', async () => {
      const info = h.sim.describe();
      const pat = (info.sites.find((s) => s.name === 'confluence-dc-1')!.credentials as { pat: string }).pat;
      await h.control('tokens/revoke', { token: pat });
      const requested = await h.hub.sync.request('test', 'wiki dc');
      const final = await h.hub.jobs.runJob(requested.ok ? requested.value.job.id : '');
      expect(final).toMatchObject({ status: 'failed', attempts: 1 });
      expect(final?.lastError).toMatch(/^unauthorized: /);
      const shown = await h.hub.connections.get('wiki dc');
      expect(shown.ok && shown.value.connection.status).toBe('needs_reauthorization');
    });

    it('deleting a connection with a schedule needs cascade, which removes the schedule and queued runs', async () => {
      const queued = await h.hub.sync.request('test', 'wiki dc');
      const refused = await h.hub.connections.delete('test', 'wiki dc');
      expect(!refused.ok && refused.error.code).toBe('has_dependents');
      const deleted = await h.hub.connections.delete('test', 'wiki dc', { cascade: true });
      expect(deleted.ok).toBe(true);
      expect(await h.hub.jobs.scheduler.list()).toEqual([]);
      expect((await h.hub.jobs.queue.get(queued.ok ? queued.value.job.id : ''))?.status).toBe('cancelled');
    });

    it('prunes old runs of every connection, keeping the newest and the snapshot', async () => {
      const before = await h.hub.sync.runs('jira dc', { limit: 100 });
      expect(before.ok && before.value.items.length).toBeGreaterThan(2);
      const queue = createJobQueue({ db: h.db, dialect, clock: h.clock });
      await queue.enqueue({ queue: SYNC_RETENTION_QUEUE, payload: { keepRuns: 1 } });
      const job = await queue.claim([SYNC_RETENTION_QUEUE], 60_000);
      const handler = createRetentionJobHandler(createSyncStore(h.db), h.hub.connections, h.hub.logger);
      await handler(job!, { signal: new AbortController().signal, workerId: queue.workerId });
      const after = await h.hub.sync.runs('jira dc', { limit: 100 });
      expect(after.ok && after.value.items.map((r) => r.status)).toEqual(['succeeded']);
    });

    it('names what is wrong in a bad request', async () => {
      expect(await h.hub.sync.request('test', 'nope')).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await h.hub.sync.getJob('nope')).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await h.hub.sync.getRun('nope')).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await h.hub.sync.jobs('jira dc', { limit: 0 })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    });
  });
}
