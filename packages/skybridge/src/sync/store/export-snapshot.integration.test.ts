import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../domain/clock.ts';
import { forEachDialect } from '../../db/test-dialects.ts';
import { CSV_COLUMNS } from './export-snapshot.ts';
import { createSyncStore } from './sync-store.ts';
import { entitlement, grant, insertConnection, resource, rid } from './test-fixtures.ts';

/** A minimal RFC 4180 reader, enough to check that the writer's quoting round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

forEachDialect((_dialect, getDb) => {
  const clock = createManualClock('2026-03-01T10:00:00.000Z');

  async function snapshot() {
    const { db } = getDb();
    const store = createSyncStore(db, { clock, exportPageSize: 2 });
    const c = await insertConnection(db);
    const group = rid(c, 'group', 'g');
    const project = rid(c, 'project', 'p');
    const run = await store.createRun({ connectionId: c, trigger: 'manual' });
    if (!run.ok) throw run.error;
    await store.writeBatch(
      run.value.id,
      [
        resource(c, 'user', 'u1', { email: 'a@example.com', status: 'active' }, 'Doe, "Jane"\nSecond line'),
        resource(c, 'user', 'u2', {}, '=HYPERLINK("x")'),
        resource(c, 'group', 'g', {}, 'Admins'),
        resource(c, 'project', 'p', {}, 'Proj'),
        entitlement(group, 'member'),
        entitlement(project, 'role:Admin', 'Admin'),
        grant(`${group}:member`, rid(c, 'user', 'u1')),
        grant(`${group}:member`, rid(c, 'user', 'u2')),
        grant(`${project}:role:Admin`, group),
      ],
      { stream: 'main', value: { phase: 'done' } },
    );
    await store.expandEffectiveGrants(run.value.id);
    await store.finishRun(run.value.id, { requests: 0, retries: 0, rateLimited: 0 });
    return { store, c, group, project };
  }

  describe('exportSnapshot', () => {
    it('jsonl: every resource, entitlement and grant, one JSON object per line', async () => {
      const { store, c } = await snapshot();
      const chunks: string[] = [];
      const n = await store.exportSnapshot([c], 'jsonl', (chunk) => {
        chunks.push(chunk);
      });
      const lines = chunks.join('').trimEnd().split('\n');
      expect(n).toBe(4 + 2 + 5);
      expect(lines).toHaveLength(11);
      const records = lines.map((l) => JSON.parse(l) as { connectionId: string; kind: string; resource?: unknown });
      expect(records.every((r) => r.connectionId === c)).toBe(true);
      expect(records.map((r) => r.kind)).toEqual([
        ...Array(4).fill('resource'),
        'entitlement',
        'entitlement',
        ...Array(5).fill('grant'),
      ]);
      expect(records.find((r) => r.kind === 'resource')?.resource).toMatchObject({
        externalId: expect.any(String) as unknown,
      });
      // Pages of 2 rows: the writer is called per page, never with the whole export.
      expect(chunks.length).toBeGreaterThanOrEqual(6);
    });

    it('csv: one quoted row per grant with names and the path', async () => {
      const { store, c, group, project } = await snapshot();
      let text = '';
      const n = await store.exportSnapshot([c], 'csv', (chunk) => {
        text += chunk;
      });
      expect(n).toBe(5);
      const rows = parseCsv(text);
      expect(rows[0]).toEqual([...CSV_COLUMNS]);
      expect(rows).toHaveLength(6);
      const byPrincipal = (id: string, entitlementId: string) =>
        rows.find((r) => r[1] === id && r[6] === entitlementId);
      const jane = byPrincipal(rid(c, 'user', 'u1'), `${group}:member`);
      expect(jane?.[4]).toBe('Doe, "Jane"\nSecond line');
      expect(jane?.[5]).toBe('a@example.com');
      expect(text).toContain('"Doe, ""Jane""\nSecond line"');
      const formula = byPrincipal(rid(c, 'user', 'u2'), `${group}:member`);
      expect(formula?.[4]).toBe(`'=HYPERLINK("x")`);
      const effective = byPrincipal(rid(c, 'user', 'u1'), `${project}:role:Admin`);
      expect(effective?.slice(7)).toEqual(['role:Admin', 'Admin', project, 'project', 'Proj', 'false', group]);
    });
  });
});
