import type { KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { AccessRecord } from '../../domain/access-model.ts';
import { createManualClock } from '../../domain/clock.ts';
import { forEachDialect } from '../../db/test-dialects.ts';
import { createSyncStore } from './sync-store.ts';
import type { SyncStore } from './sync-store.ts';
import { entitlement, grant, insertConnection, rid } from './test-fixtures.ts';

const GRANTS = 50_000;
const BATCH = 5_000;
const PAGE = 1_000;

/** Records the largest result set any query returned: the proof that nothing loads all rows at once. */
function rowSpy() {
  const spy = { maxRows: 0, queries: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: ({ node }) => node,
    transformResult: ({ result }) => {
      spy.queries++;
      spy.maxRows = Math.max(spy.maxRows, result.rows.length);
      return Promise.resolve(result);
    },
  };
  return { spy, plugin };
}

/** 50 groups x 1000 users; `shift` moves the last `shift` users of each group to new ids. */
async function bigRun(store: SyncStore, connectionId: string, shift: number): Promise<string> {
  const run = await store.createRun({ connectionId, trigger: 'manual' });
  if (!run.ok) throw run.error;
  const perGroup = GRANTS / 50;
  let batch: AccessRecord[] = [];
  let pages = 0;
  for (let g = 0; g < 50; g++) {
    const group = rid(connectionId, 'group', `g${g}`);
    batch.push(entitlement(group, 'member'));
    for (let u = 0; u < perGroup; u++) {
      const user = u >= perGroup - shift ? `new${u}` : `u${u}`;
      batch.push(grant(`${group}:member`, rid(connectionId, 'user', user)));
      if (batch.length >= BATCH) {
        const w = await store.writeBatch(run.value.id, batch, {
          stream: 'main',
          value: { phase: 'g', cursor: String(++pages) },
        });
        if (!w.ok) throw w.error;
        batch = [];
      }
    }
  }
  await store.writeBatch(run.value.id, batch, { stream: 'main', value: { phase: 'done' } });
  const finished = await store.finishRun(run.value.id, { requests: pages, retries: 0, rateLimited: 0 });
  if (!finished.ok) throw finished.error;
  expect(finished.value.counts['grants']).toBe(GRANTS);
  return run.value.id;
}

forEachDialect((_dialect, getDb) => {
  const clock = createManualClock('2026-03-01T10:00:00.000Z');

  describe('50,000 grants', () => {
    it('export and diff stream in pages: no query returns more than a page', async () => {
      const { db } = getDb();
      const writer = createSyncStore(db, { clock });
      const connectionId = await insertConnection(db);
      const runA = await bigRun(writer, connectionId, 0);
      clock.advance(1000);
      const runB = await bigRun(writer, connectionId, 20);

      const { spy, plugin } = rowSpy();
      const reader = createSyncStore(db.withPlugin(plugin), { clock, exportPageSize: PAGE });

      let lines = 0;
      let largestChunk = 0;
      const exported = await reader.exportSnapshot([connectionId], 'jsonl', (chunk) => {
        lines += chunk.split('\n').length - 1;
        largestChunk = Math.max(largestChunk, chunk.split('\n').length - 1);
      });
      expect(exported).toBe(GRANTS + 50);
      expect(lines).toBe(GRANTS + 50);
      expect(largestChunk).toBeLessThanOrEqual(PAGE);
      expect(spy.maxRows).toBeLessThanOrEqual(PAGE);
      expect(spy.queries).toBeGreaterThanOrEqual(GRANTS / PAGE);

      spy.maxRows = 0;
      const diff = await reader.diff.diff(runA, runB, PAGE);
      if (!diff.ok) throw diff.error;
      const changes = { grant_added: 0, grant_removed: 0 } as Record<string, number>;
      for await (const entry of diff.value) changes[entry.change] = (changes[entry.change] ?? 0) + 1;
      expect(changes).toEqual({ grant_added: 1000, grant_removed: 1000 });
      expect(spy.maxRows).toBeLessThanOrEqual(PAGE + 1);

      spy.maxRows = 0;
      const summary = await reader.diff.summary(runA, runB);
      expect(summary.ok && summary.value).toMatchObject({ grantsAdded: 1000, grantsRemoved: 1000 });
      expect(spy.maxRows).toBeLessThanOrEqual(PAGE + 1);
    });
  });
});
