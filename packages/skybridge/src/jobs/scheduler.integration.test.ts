import { tmpdir } from 'node:os';
import { expect, it } from 'vitest';
import { createManualClock } from '../domain/clock.ts';
import { createDatabase } from '../db/create-database.ts';
import { forEachDialect, TEST_PG_URL } from '../db/test-dialects.ts';
import { createJobQueue } from './job-queue.ts';
import { createScheduler, occurrenceKey } from './scheduler.ts';

const T0 = '2026-03-01T10:00:00.000Z';
let seq = 0;
const unique = (label: string) => `sched-${label}-${process.pid}-${++seq}`;

forEachDialect((dialect, getDb) => {
  const setup = () => {
    const clock = createManualClock(T0);
    const { db } = getDb();
    const scheduler = createScheduler({ db, clock });
    // The database is shared by the tests of this file: look only at this test's own schedule's jobs.
    const tickFor = async (id: string) => (await scheduler.tick()).filter((j) => j.queue === id);
    return { clock, scheduler, tickFor, queue: createJobQueue({ db, dialect, clock }) };
  };

  it('enqueues an interval schedule once per due occurrence', async () => {
    const { clock, scheduler, tickFor, queue } = setup();
    const id = unique('interval');
    const created = await scheduler.upsert({
      id,
      queue: id,
      payload: { connectionId: 'c1' },
      every: { intervalMs: 3_600_000 },
      exclusiveKey: `sync:${id}`,
    });
    expect(created.ok && created.value.nextRunAt.toISOString()).toBe('2026-03-01T11:00:00.000Z');
    expect(await tickFor(id)).toEqual([]);

    clock.set('2026-03-01T11:00:00.000Z');
    const [job, ...rest] = await tickFor(id);
    expect(rest).toEqual([]);
    expect(job).toMatchObject({
      queue: id,
      payload: { connectionId: 'c1' },
      exclusiveKey: `sync:${id}`,
      dedupeKey: occurrenceKey(id, new Date('2026-03-01T11:00:00.000Z')),
    });
    // Ticking again at the same time enqueues nothing more.
    expect(await tickFor(id)).toEqual([]);
    expect((await scheduler.get(id))?.nextRunAt.toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(await queue.list({ queue: id })).toHaveLength(1);
  });

  it('collapses missed occurrences into one and stays on the grid', async () => {
    const { clock, scheduler, tickFor } = setup();
    const id = unique('missed');
    await scheduler.upsert({ id, queue: id, payload: {}, every: { intervalMs: 3_600_000 } });
    clock.set('2026-03-02T09:30:00.000Z');
    const jobs = await tickFor(id);
    expect(jobs.map((j) => j.runAt.toISOString())).toEqual(['2026-03-01T11:00:00.000Z']);
    expect((await scheduler.get(id))?.nextRunAt.toISOString()).toBe('2026-03-02T10:00:00.000Z');
  });

  it('follows a cron expression', async () => {
    const { clock, scheduler, tickFor } = setup();
    const id = unique('cron');
    const created = await scheduler.upsert({ id, queue: id, payload: {}, every: { cron: '30 2 * * *' } });
    expect(created.ok && created.value.nextRunAt.toISOString()).toBe('2026-03-02T02:30:00.000Z');
    clock.set('2026-03-02T02:30:00.000Z');
    expect(await tickFor(id)).toHaveLength(1);
    expect((await scheduler.get(id))?.nextRunAt.toISOString()).toBe('2026-03-03T02:30:00.000Z');
  });

  it('refuses a bad cron or interval with a reason', async () => {
    const { scheduler } = setup();
    expect(
      await scheduler.upsert({ id: unique('bad'), queue: 'q', payload: {}, every: { cron: '* *' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_cron' },
    });
    expect(
      await scheduler.upsert({ id: unique('bad'), queue: 'q', payload: {}, every: { intervalMs: 10 } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_interval' },
    });
    expect(await scheduler.setEnabled('missing', false)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('does not enqueue a disabled schedule, and replaces a schedule on upsert', async () => {
    const { clock, scheduler, tickFor } = setup();
    const id = unique('disabled');
    await scheduler.upsert({ id, queue: id, payload: 1, every: { intervalMs: 60_000 } });
    await scheduler.setEnabled(id, false);
    clock.advance(120_000);
    expect(await tickFor(id)).toEqual([]);
    const replaced = await scheduler.upsert({ id, queue: id, payload: 2, every: { intervalMs: 300_000 } });
    expect(replaced.ok && replaced.value).toMatchObject({ payload: 2, enabled: true, every: { intervalMs: 300_000 } });
    expect((await scheduler.list()).filter((s) => s.id === id)).toHaveLength(1);
    expect(await scheduler.remove(id)).toBe(true);
    expect(await scheduler.remove(id)).toBe(false);
  });

  it('enqueues each occurrence exactly once when two schedulers tick at the same time', async () => {
    const { clock, scheduler, queue } = setup();
    const handle = getDb();
    const secondHandle =
      dialect === 'postgres'
        ? await createDatabase({
            url: TEST_PG_URL,
            dataDir: tmpdir(),
            ...(handle.schema === undefined ? {} : { schema: handle.schema }),
          })
        : undefined;
    if (secondHandle !== undefined && !secondHandle.ok) throw secondHandle.error;
    const otherDb = secondHandle?.value.db ?? handle.db;
    try {
      const other = createScheduler({ db: otherDb, clock });
      const ids = [unique('race-a'), unique('race-b'), unique('race-c')];
      for (const id of ids) await scheduler.upsert({ id, queue: id, payload: {}, every: { intervalMs: 60_000 } });
      for (let round = 0; round < 3; round++) {
        clock.advance(60_000);
        const results = await Promise.all([scheduler.tick(), other.tick(), scheduler.tick(), other.tick()]);
        expect(results.flat().filter((j) => ids.includes(j.queue))).toHaveLength(ids.length);
      }
      for (const id of ids) expect(await queue.list({ queue: id })).toHaveLength(3);
    } finally {
      await secondHandle?.value.close();
    }
  });
});
