import type { SealedSecret } from './sealed-secret.ts';
import type { Vault } from './vault.ts';
import type { VaultErrorCode } from './vault-error.ts';

/** One stored secret: the id of the record that owns it and its sealed value. */
export interface SealedItem {
  id: string;
  sealed: SealedSecret;
}

/**
 * A table of sealed secrets outside the connections table (data-out webhook secrets): what `keys rotate` needs to
 * re-seal it too.
 */
export interface SealedSecretStore {
  items(): AsyncIterable<SealedItem>;
  write(id: string, next: SealedSecret, previous: SealedSecret): Promise<boolean>;
  ownerOf(item: SealedItem): string;
}

export interface ResealAllOptions {
  vault: Vault;
  /** Every stored secret; read lazily, so a large table is never held in memory. */
  items: AsyncIterable<SealedItem>;
  /**
   * Stores `next` for `id` only if the stored value is still `previous` (compare-and-swap), and says whether it
   * did. A false answer means someone replaced the secret meanwhile, necessarily under the new primary key.
   */
  write: (id: string, next: SealedSecret, previous: SealedSecret) => Promise<boolean>;
  /** The owner a value is bound to (its AAD). Default: the item's id. */
  ownerOf?: (item: SealedItem) => string;
}

export interface ResealReport {
  /** Items seen. */
  total: number;
  /** Items re-sealed under the primary key. */
  resealed: number;
  /** Items already under the primary key (a second run after an interrupted one skips these). */
  alreadyCurrent: number;
  /** Items whose value changed between the read and the write; they are already under the new key. */
  changedConcurrently: number;
  /** Items that did not open; they are left as they were and keep their old key id. */
  failed: Array<{ id: string; code: VaultErrorCode }>;
}

/**
 * Re-seals every secret under the vault's primary key, online: the old keys stay in the ring, so reads keep
 * working while it runs, and each write is a compare-and-swap, so a concurrent edit is never overwritten with an
 * older secret. Idempotent: run it again after an interruption. Keep the old keys until `failed` is empty.
 */
export async function resealAll(options: ResealAllOptions): Promise<ResealReport> {
  const { vault, write } = options;
  const ownerOf = options.ownerOf ?? ((item: SealedItem) => item.id);
  const report: ResealReport = { total: 0, resealed: 0, alreadyCurrent: 0, changedConcurrently: 0, failed: [] };
  for await (const item of options.items) {
    report.total++;
    if (vault.isCurrent(item.sealed)) {
      report.alreadyCurrent++;
      continue;
    }
    const owner = ownerOf(item);
    const opened = vault.open(item.sealed, owner);
    if (!opened.ok) {
      report.failed.push({ id: item.id, code: opened.error.code });
      continue;
    }
    if (await write(item.id, vault.seal(opened.value, owner), item.sealed)) report.resealed++;
    else report.changedConcurrently++;
  }
  return report;
}
