import { describe, expect, it } from 'vitest';
import type { AccessRecord, SyncCheckpoint } from '../../domain/access-model.ts';
import { err, ok } from '../../domain/result.ts';
import { AtlassianError } from '../../atlassian/atlassian-error.ts';
import type { ListPage } from './page-walk.ts';
import { nextOffset, nextPageBeanOffset, offsetOf, walkList, walkNested } from './page-walk.ts';
import type { SourcePage } from './source-reader.ts';

/** A fake paged list: `pages[i]` is served for cursor `String(i)` (and for no cursor, page 0). */
function pagedList<T>(pages: T[][], calls: string[] = [], label = '') {
  return (cursor: string | undefined) => {
    const i = offsetOf(cursor);
    calls.push(`${label}${i}`);
    const items = pages[i] ?? [];
    return Promise.resolve(ok<ListPage<T>>({ items, next: i + 1 < pages.length ? String(i + 1) : undefined }));
  };
}

const rec = (id: string): AccessRecord => ({
  kind: 'resource',
  resource: { id, type: 'user', externalId: id, displayName: id, attributes: {} },
});
const ids = (pages: SourcePage[]) =>
  pages.flatMap((p) => p.records.map((r) => (r.kind === 'resource' ? r.resource.id : '?')));

async function collect(iterable: AsyncIterable<SourcePage>, limit = Infinity): Promise<SourcePage[]> {
  const out: SourcePage[] = [];
  for await (const page of iterable) {
    out.push(page);
    if (out.length >= limit) break;
  }
  return out;
}

const signal = () => new AbortController().signal;

describe('walkList', () => {
  const list = (from?: SyncCheckpoint) =>
    walkList({
      phase: 'users',
      from,
      signal: signal(),
      fetch: pagedList<string>([['a', 'b'], ['c'], ['d']]),
      toRecords: (items) => items.map(rec),
    });

  it('yields each page with the checkpoint after it, and done on the last', async () => {
    const pages = await collect(list());
    expect(ids(pages)).toEqual(['a', 'b', 'c', 'd']);
    expect(pages.map((p) => p.checkpoint)).toEqual([
      { phase: 'users', cursor: '1' },
      { phase: 'users', cursor: '2' },
      'done',
    ]);
  });

  it('resumes after the checkpointed page', async () => {
    expect(ids(await collect(list({ phase: 'users', cursor: '2' })))).toEqual(['d']);
  });

  it('throws the AtlassianError of a failed page', async () => {
    const failing = walkList({
      phase: 'users',
      from: undefined,
      signal: signal(),
      fetch: () => Promise.resolve(err(new AtlassianError('forbidden', { status: 403 }))),
      toRecords: () => [],
    });
    await expect(collect(failing)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const aborted = walkList({
      phase: 'users',
      from: undefined,
      signal: controller.signal,
      fetch: pagedList<string>([['a']]),
      toRecords: (items) => items.map(rec),
    });
    await expect(collect(aborted)).rejects.toThrow(/abort/i);
  });
});

describe('walkNested', () => {
  // Parents: [g1, g2] then [] then [g3]; children: g1 has two pages, g2 none, g3 one.
  const children: Record<string, string[][]> = { g1: [['u1', 'u2'], ['u3']], g2: [[]], g3: [['u4']] };
  const nested = (from?: SyncCheckpoint, calls: string[] = []) =>
    walkNested({
      phase: 'members',
      from,
      signal: signal(),
      parents: pagedList<string>([['g1', 'g2'], [], ['g3']], calls, 'p'),
      parentId: (g) => g,
      children: (g, cursor) => pagedList<string>(children[g] ?? [], calls, `${g}:`)(cursor),
      toRecords: (g, users) => users.map((u) => rec(`${g}/${u}`)),
    });
  const all = ['g1/u1', 'g1/u2', 'g1/u3', 'g3/u4'];

  it('visits every parent and every child page, and ends with done', async () => {
    const calls: string[] = [];
    const pages = await collect(nested(undefined, calls));
    expect(ids(pages)).toEqual(all);
    expect(calls).toEqual(['p0', 'g1:0', 'g1:1', 'g2:0', 'p1', 'p2', 'g3:0']);
    expect(pages.at(-1)?.checkpoint).toBe('done');
    expect(pages.filter((p) => p.checkpoint === 'done')).toHaveLength(1);
  });

  it('keeps only the current parent page in its state', async () => {
    const pages = await collect(nested());
    for (const page of pages) {
      if (page.checkpoint === 'done') continue;
      const pending = page.checkpoint.state?.['pending'];
      expect(Array.isArray(pending) && pending.length <= 2).toBe(true);
    }
  });

  it('resumed from the checkpoint of any page, it yields exactly the rest', async () => {
    const straight = await collect(nested());
    for (let k = 1; k < straight.length; k++) {
      const head = await collect(nested(), k);
      const checkpoint = head.at(-1)?.checkpoint;
      if (!checkpoint || checkpoint === 'done') throw new Error('ended early');
      const tail = await collect(nested(JSON.parse(JSON.stringify(checkpoint)) as SyncCheckpoint));
      expect([...ids(head), ...ids(tail)], `after page ${k}`).toEqual(all);
    }
  });

  it('an empty parent list is done after one request', async () => {
    const pages = await collect(
      walkNested({
        phase: 'members',
        from: undefined,
        signal: signal(),
        parents: pagedList<string>([[]]),
        parentId: (g) => g,
        children: () => Promise.reject(new Error('no parent, no children')),
        toRecords: () => [],
      }),
    );
    expect(pages).toEqual([{ records: [], checkpoint: 'done' }]);
  });
});

describe('offsets', () => {
  it('reads and writes offset cursors', () => {
    expect(offsetOf(undefined)).toBe(0);
    expect(offsetOf('150')).toBe(150);
    expect(() => offsetOf('-1')).toThrow(TypeError);
    expect(() => offsetOf('abc')).toThrow(TypeError);
  });

  it('a bare array continues only after a full page', () => {
    expect(nextOffset(0, 100, 100)).toBe('100');
    expect(nextOffset(100, 99, 100)).toBeUndefined();
    expect(nextOffset(100, 0, 100)).toBeUndefined();
  });

  it('a PageBean ends on isLast or an empty page, and continues from its own startAt', () => {
    expect(nextPageBeanOffset({ startAt: 50, isLast: false, values: [1, 2] }, 0)).toBe('52');
    expect(nextPageBeanOffset({ isLast: true, values: [1] }, 0)).toBeUndefined();
    expect(nextPageBeanOffset({ values: [] }, 10)).toBeUndefined();
    expect(nextPageBeanOffset({ values: [1] }, 10)).toBe('11');
  });
});
