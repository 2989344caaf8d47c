import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { insertBatch } from './batches';
import { BackgroundCheckpoints } from './checkpoints';
import { keyPragmas, openStore } from './database';
import { generateKey } from './key';

const tempDir = tempDirsPerTest();

/** Writes `orders` orders with some bulk in one transaction: a commit of a few hundred WAL pages. */
function writeOrders(db: ReturnType<typeof openStore>['db'], orders: number): void {
  const now = new Date().toISOString();
  db.transaction(() => {
    const batchId = insertBatch(db, {
      sourceFileName: '発注一覧.csv',
      sourceSha256: 'b'.repeat(64),
      sheetName: null,
      encoding: 'utf-8',
      headerRow: 1,
      columnMapping: {},
      importedBy: 'tester',
      importedAt: now,
    });
    const insert = db.prepare(
      `INSERT INTO orders (batch_id, order_ref, client_reference, customer_name, shipping_address, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < orders; i += 1)
      insert.run(batchId, `A-${i}`, `ref-${batchId}-${i}`, '株式会社テスト'.repeat(10), '東京都'.repeat(40), now, now);
  })();
}

const autocheckpoint = (db: ReturnType<typeof openStore>['db']) => db.pragma('wal_autocheckpoint', { simple: true });

describe('background WAL checkpoints', () => {
  it('leaves a large commit in the WAL, then a worker folds it into the file; closing stops the worker first', async () => {
    const path = join(tempDir(), 'store.db');
    const key = generateKey();
    const reports: number[] = [];
    const store = openStore({ path, key, backgroundCheckpoints: { onCheckpoint: (r) => reports.push(r.checkpointed) } });
    expect(await store.checkpoints?.ready).toBe(true);
    // While the worker runs, commits never checkpoint on the calling thread.
    expect(autocheckpoint(store.db)).toBe(0);
    const before = statSync(path).size;
    writeOrders(store.db, 3000);
    expect(statSync(path).size).toBe(before);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(1_000_000);

    const report = await store.checkpoints?.request();
    expect(report?.busy).toBe(false);
    expect(report?.walFrames).toBeGreaterThan(50);
    expect(report?.checkpointed).toBe(report?.walFrames);
    expect(statSync(path).size).toBeGreaterThan(before + 1_000_000);
    expect(reports).toContain(report?.checkpointed);

    // The worker's connection is gone before close returns: main's connection is the last, so the WAL is
    // folded in and removed (a restore may swap the files right after).
    store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    const reopened = openStore({ path, key });
    expect(reopened.db.prepare('SELECT count(*) AS n FROM orders').get()).toEqual({ n: 3000 });
    expect(reopened.checkpoints).toBeNull();
    expect(autocheckpoint(reopened.db)).toBe(1000);
    reopened.close();
  });

  it('checkpoints on its own, without being asked', async () => {
    const path = join(tempDir(), 'store.db');
    const store = openStore({ path, key: generateKey(), backgroundCheckpoints: { intervalMs: 50 } });
    expect(await store.checkpoints?.ready).toBe(true);
    // This thread never checkpoints (so any growth is the worker's); the file is not compared right after the
    // commit, since the worker's 50 ms timer may already have fired then on a busy machine.
    expect(autocheckpoint(store.db)).toBe(0);
    const before = statSync(path).size;
    writeOrders(store.db, 3000);
    // Only the file's size is watched here: nothing on this thread checkpoints.
    const grew = await new Promise<boolean>((resolve) => {
      const started = Date.now();
      const poll = setInterval(() => {
        const size = statSync(path).size;
        if (size > before + 1_000_000 || Date.now() - started > 5000) {
          clearInterval(poll);
          resolve(size > before + 1_000_000);
        }
      }, 20);
    });
    expect(grew).toBe(true);
    store.close();
  });

  it('hands checkpoints back to SQLite when the worker cannot open the store', async () => {
    const path = join(tempDir(), 'store.db');
    const store = openStore({ path, key: generateKey() });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      // Another key: the worker's first read fails, as with a damaged or replaced file.
      const checkpoints = new BackgroundCheckpoints(store.db, { path, pragmas: keyPragmas(generateKey()) });
      expect(await checkpoints.ready).toBe(false);
      expect(autocheckpoint(store.db)).toBe(1000);
      expect(await checkpoints.request()).toBeNull();
      checkpoints.stop();
    } finally {
      console.warn = warn;
    }
    // The log names the SQLite code only: no path, no key.
    expect(warnings).toEqual(['[order-stager] background checkpoint: SQLITE_NOTADB']);
    store.close();
  });

  it('stops for a re-key: the worker is gone, automatic checkpoints resume, the re-keyed store opens', async () => {
    const path = join(tempDir(), 'store.db');
    const store = openStore({ path, key: generateKey(), backgroundCheckpoints: true });
    expect(await store.checkpoints?.ready).toBe(true);
    writeOrders(store.db, 10);
    const { rekeyStore } = await import('./database');
    const newKey = generateKey();
    rekeyStore(store, newKey);
    expect(await store.checkpoints?.request()).toBeNull();
    expect(autocheckpoint(store.db)).toBe(1000);
    store.close();
    const reopened = openStore({ path, key: newKey });
    expect(reopened.db.prepare('SELECT count(*) AS n FROM orders').get()).toEqual({ n: 10 });
    reopened.close();
  });
});
