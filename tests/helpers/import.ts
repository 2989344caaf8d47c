import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { importFile } from '../../main/import/stage';
import { type Db, openStore, type Store } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { listOrders } from '../../main/store/orders';
import { tempDirsPerTest } from './tmp';

/** A store per test (temp dir, real SQLCipher), and the real import path into it. */
export function importStore() {
  const tempDir = tempDirsPerTest();
  let store: Store;
  beforeEach(() => {
    store = openStore({ path: join(tempDir(), 'store.db'), key: generateKey() });
  });
  afterEach(() => store.close());
  return {
    db: (): Db => store.db,
    run: (fileName: string, bytes: Uint8Array, options: Partial<Parameters<typeof importFile>[1]> = {}) =>
      importFile(store.db, { fileName, bytes, actor: 'tester', ...options }),
    orders: (batchId: number) => listOrders(store.db, batchId),
  };
}
