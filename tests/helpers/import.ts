import { closeSync, ftruncateSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { type ImportOptions, type ImportResult, importFile } from '../../main/import/stage';
import { AppError } from '../../main/shared/errors';
import { type Db, openStore, type Store } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { listOrders } from '../../main/store/orders';
import { SAMPLE_HEADERS, type SampleRow } from '../../scripts/fixtures/sample-sheets';
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

/** The code of the AppError a call throws; undefined when it throws nothing (anything else is named). */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${String(error)}`;
  }
  return undefined;
}

export function countRows(db: Db, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** importStore() as the import tests use it: the store, a sheet of sample lines under a title, row counts. */
export function importKit() {
  const { db, run, orders } = importStore();
  return {
    /** The test's store (a fresh one per test). */
    store: {
      get db(): Db {
        return db();
      },
    },
    run,
    orders,
    sheet: (...lines: SampleRow[]): SampleRow[] => [['2026年11月度 発注一覧'], [], SAMPLE_HEADERS, ...lines],
    rowsIn: (table: string) => countRows(db(), table),
  };
}
