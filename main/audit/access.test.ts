import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { openStore } from '../store/database';
import { generateKey } from '../store/key';
import { recordAccess } from './access';
import { appendAudit, listAudit, verifyAudit } from './log';

const tempDir = tempDirsPerTest();

/** Two connections to one store, as the app's main thread and its import worker have. */
function twoConnections() {
  const path = join(tempDir(), 'store.db');
  const key = generateKey();
  const main = openStore({ path, key });
  const worker = openStore({ path, key });
  const close = () => {
    worker.close();
    main.close();
  };
  return { main, worker, close };
}

describe('access entries while another connection writes', () => {
  it('do not wait for the write lock: the entry keeps the time of the look and is written once the lock is free', async () => {
    const { main, worker, close } = twoConnections();
    appendAudit(main.db, { actor: 'sato', action: 'batch.imported', batchId: 1 });
    const lookedAt = new Date('2026-11-30T03:00:00.000Z');
    const commit = worker.db.transaction(() => {
      appendAudit(worker.db, { actor: 'sato', action: 'batch.imported', batchId: 2 });
      // The worker holds the write lock (its import's transaction) while main shows a batch.
      const started = performance.now();
      recordAccess(main.db, { actor: 'sato', batchId: 1, what: 'grid', orders: 12 }, lookedAt);
      expect(performance.now() - started).toBeLessThan(100);
    });
    commit.immediate();
    const actions = () => listAudit(main.db).map((e) => e.action);
    await expect.poll(() => actions().includes('access'), { timeout: 2000 }).toBe(true);
    const access = listAudit(main.db).find((e) => e.action === 'access');
    expect(access?.at).toBe(lookedAt.toISOString());
    expect(verifyAudit(main.db).ok).toBe(true);
    close();
  });
});
