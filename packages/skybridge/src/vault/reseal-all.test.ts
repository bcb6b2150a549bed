import { describe, expect, it } from 'vitest';
import { createKeyRing } from './key-ring.ts';
import type { SealedItem } from './reseal-all.ts';
import { resealAll } from './reseal-all.ts';
import type { SealedSecret } from './sealed-secret.ts';
import { sealedKeyId } from './sealed-secret.ts';
import { createVault } from './vault.ts';

/** An in-memory store with the compare-and-swap write the repository offers. */
function createStore(entries: Array<[string, SealedSecret]>) {
  const rows = new Map(entries);
  return {
    rows,
    async *items(): AsyncIterable<SealedItem> {
      for (const [id, sealed] of [...rows]) yield await Promise.resolve({ id, sealed });
    },
    write: (id: string, next: SealedSecret, previous: SealedSecret) => {
      if (rows.get(id) !== previous) return Promise.resolve(false);
      rows.set(id, next);
      return Promise.resolve(true);
    },
  };
}

describe('resealAll', () => {
  it('re-seals every secret under the new primary key, and old reads work throughout', async () => {
    const ring = createKeyRing();
    const vault = createVault(ring);
    const oldId = ring.primaryKeyId;
    const store = createStore([
      ['a', vault.seal('secret-a-000000', 'a')],
      ['b', vault.seal('secret-b-000000', 'b')],
    ]);
    const newId = ring.rotate();
    // Before re-sealing, the old values still open.
    expect(vault.open(store.rows.get('a') as SealedSecret, 'a').ok).toBe(true);
    store.rows.set('c', vault.seal('secret-c-000000', 'c'));

    const report = await resealAll({ vault, items: store.items(), write: store.write });
    expect(report).toEqual({ total: 3, resealed: 2, alreadyCurrent: 1, changedConcurrently: 0, failed: [] });
    for (const [id, sealed] of store.rows) {
      expect(sealedKeyId(sealed)).toBe(newId);
      const opened = vault.open(sealed, id);
      expect(opened.ok && opened.value.reveal()).toBe(`secret-${id}-000000`);
    }
    expect(sealedKeyId(store.rows.get('a') ?? '')).not.toBe(oldId);

    // Idempotent: a second run has nothing to do.
    expect(await resealAll({ vault, items: store.items(), write: store.write })).toMatchObject({
      resealed: 0,
      alreadyCurrent: 3,
    });
  });

  it('reports items that do not open and leaves them as they were', async () => {
    const ring = createKeyRing();
    const vault = createVault(ring);
    const foreign = createVault(createKeyRing()).seal('foreign-secret-0', 'x');
    const misplaced = vault.seal('misplaced-secret', 'someone-else');
    const store = createStore([
      ['x', foreign],
      ['y', misplaced],
    ]);
    ring.rotate();
    const report = await resealAll({ vault, items: store.items(), write: store.write });
    expect(report.failed).toEqual([
      { id: 'x', code: 'unknown_key' },
      { id: 'y', code: 'tampered' },
    ]);
    expect(store.rows.get('x')).toBe(foreign);
    expect(store.rows.get('y')).toBe(misplaced);
  });

  it('does not overwrite a secret replaced while it ran', async () => {
    const ring = createKeyRing();
    const vault = createVault(ring);
    const store = createStore([['a', vault.seal('old-secret-0000', 'a')]]);
    ring.rotate();
    const replaced = vault.seal('new-secret-0000', 'a');
    const report = await resealAll({
      vault,
      items: store.items(),
      // The user's edit lands between the read and the write.
      write: (id, next, previous) => {
        store.rows.set(id, replaced);
        return store.write(id, next, previous);
      },
    });
    expect(report).toMatchObject({ resealed: 0, changedConcurrently: 1 });
    expect(store.rows.get('a')).toBe(replaced);
  });

  it('binds to a custom owner', async () => {
    const ring = createKeyRing();
    const vault = createVault(ring);
    const store = createStore([['a', vault.seal('owned-secret-00', 'connection:a')]]);
    ring.rotate();
    const report = await resealAll({
      vault,
      items: store.items(),
      write: store.write,
      ownerOf: (i) => `connection:${i.id}`,
    });
    expect(report.resealed).toBe(1);
    expect(vault.open(store.rows.get('a') as SealedSecret, 'connection:a').ok).toBe(true);
  });
});
