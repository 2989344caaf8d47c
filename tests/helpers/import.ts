import { closeSync, ftruncateSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { type ImportOptions, type ImportResult, importFile } from '../../main/import/stage';
import { AppError } from '../../main/shared/errors';
import { type Db, openStore, type Store } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { listOrders } from '../../main/store/orders';
import { tempDirsPerTest } from './tmp';

/** The AppError a call throws (anything else, or nothing, fails the test). */
export function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

/** A sparse file of `size` bytes starting with `head`: no disk is used, yet reading it would fill memory. */
export function sparseFile(path: string, size: number, head = '注文番号,数量\n'): string {
  writeFileSync(path, head);
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
  return path;
}

/** A fresh encrypted store per test, and an import into it as the user "tester". */
export function importStorePerTest(tempDir: () => string): {
  store: () => Store;
  run: (fileName: string, bytes: Uint8Array, options?: Partial<ImportOptions>) => ImportResult;
} {
  let store: Store | null = null;
  beforeEach(() => {
    store = openStore({ path: join(tempDir(), 'store.db'), key: generateKey() });
  });
  afterEach(() => store?.close());
  const current = () => {
    if (!store) throw new Error('no store outside a test');
    return store;
  };
  return {
    store: current,
    run: (fileName, bytes, options = {}) => importFile(current().db, { fileName, bytes, actor: 'tester', ...options }),
  };
}

/** The same, with its own temp dirs, plus the batch's staged orders. */
export function importStore() {
  const { store, run } = importStorePerTest(tempDirsPerTest());
  return {
    db: (): Db => store().db,
    run,
    orders: (batchId: number) => listOrders(store().db, batchId),
  };
}
