import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openStore, type Store } from '../../main/store/database';
import { generateKey, type StoreKey } from '../../main/store/key';
import { tempDirsPerTest } from './tmp';

export const DAY = 86_400_000;
/** "Now" for a purge, and a day 40 days before it: past a 30-day retention. */
export const NOW = new Date();
export const OLD = new Date(NOW.getTime() - 40 * DAY);

/** A fresh encrypted store per test, with its key and path (to read its raw pages after a purge). */
export function retentionStorePerTest(): { store: () => Store; key: () => StoreKey; path: () => string } {
  const tempDir = tempDirsPerTest();
  let current: { store: Store; key: StoreKey; path: string } | null = null;
  beforeEach(() => {
    const key = generateKey();
    const path = join(tempDir(), 'store.db');
    current = { store: openStore({ path, key }), key, path };
  });
  afterEach(() => current?.store.close());
  const now = () => {
    if (!current) throw new Error('no store outside a test');
    return current;
  };
  return { store: () => now().store, key: () => now().key, path: () => now().path };
}
