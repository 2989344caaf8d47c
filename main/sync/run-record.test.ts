import { afterEach, describe, expect, it } from 'vitest';
import { engineFor, fastSettings, stagedStore } from '../../tests/helpers/sync';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { createAppContext } from '../app/context';
import { wireAppEvents } from '../handlers/events';
import { verifyAudit } from '../audit/log';
import { startSimulator } from '../simulator/server';
import { writeSetting } from '../store/settings';
import type { Db } from '../store/database';
import type { SyncProgress } from './engine';
import { acquireSyncLock } from './state';

const tempDir = tempDirsPerTest();
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(orders = 3) {
  const sim = await startSimulator({});
  const { store, batchId } = stagedStore(tempDir(), orders);
  cleanup.push(
    () => sim.close(),
    () => store.close(),
  );
  return { sim, store, batchId };
}

const runs = (db: Db) =>
  db.prepare('SELECT id, finished_at IS NOT NULL AS closed, outcome, summary FROM sync_runs ORDER BY id').all() as {
    id: number;
    closed: number;
    outcome: string | null;
    summary: string;
  }[];

const syncEntries = (db: Db) =>
  (
    db.prepare("SELECT action, details FROM audit_log WHERE action LIKE 'sync.%' ORDER BY seq").all() as {
      action: string;
      details: string;
    }[]
  ).map((e) => ({ action: e.action, details: JSON.parse(e.details) as Record<string, unknown> }));

describe('every sync run ends in the record', () => {
  it('closes a run that fails at its first call (wrong secret) in sync_runs and the audit log, and reports the failure', async () => {
    const { sim, store, batchId } = await setup();
    const { engine } = engineFor(store, sim, fastSettings(), { id: 'order-stager-demo', secret: 'wrong' });
    const progress: SyncProgress[] = [];
    engine.on('progress', (p: SyncProgress) => progress.push(p));
    await expect(engine.run([batchId])).rejects.toMatchObject({ code: 'SYNC_AUTH_FAILED' });

    const [run] = runs(store.db);
    expect(run).toMatchObject({ closed: 1, outcome: 'failed' });
    expect(JSON.parse(run?.summary ?? '{}')).toMatchObject({
      run_id: run?.id,
      outcome: 'failed',
      error: { code: 'SYNC_AUTH_FAILED', params: { status: 401 } },
      orders: { total: 3, done: 0 },
    });
    expect(syncEntries(store.db)).toEqual([
      { action: 'sync.started', details: expect.objectContaining({ run_id: run?.id, orders: 3 }) },
      {
        action: 'sync.failed',
        details: {
          run_id: run?.id,
          code: 'SYNC_AUTH_FAILED',
          params: '{"status":401}',
          done: 0,
          failed: 0,
          needs_review: 0,
          remaining: 3,
          yen_synced: 0,
        },
      },
    ]);
    expect(verifyAudit(store.db).ok).toBe(true);
    expect(progress.at(-1)).toMatchObject({ runId: run?.id, state: 'failed' });
    // Nothing was created at the backend, and the lock is free for the next run.
    expect(sim.stats().created.orders).toBe(0);
    expect(store.db.prepare('SELECT count(*) FROM sync_lock').pluck().get()).toBe(0);
  });

  it('closes a run whose store fails under it, with the code and without counts it cannot read', async () => {
    const { sim, store, batchId } = await setup();
    const { engine } = engineFor(store, sim);
    // The order lines cannot be read when the first order's payload is built: an INTERNAL error from the store.
    store.db.exec('ALTER TABLE order_lines RENAME TO order_lines_gone');
    await expect(engine.run([batchId])).rejects.toThrow();
    expect(runs(store.db)).toMatchObject([{ closed: 1, outcome: 'failed' }]);
    expect(syncEntries(store.db).map((e) => [e.action, e.details.code])).toEqual([
      ['sync.started', undefined],
      ['sync.failed', 'INTERNAL'],
    ]);
  });

  it('the shell wiring pushes sync:failed with the code; a run refused by the lock records nothing but is reported', async () => {
    const { sim, store, batchId } = await setup();
    writeSetting(store.db, 'backendUrl', sim.url);
    writeSetting(store.db, 'backendClientId', 'order-stager-demo');
    writeSetting(store.db, 'backendClientSecret', 'wrong');
    const ctx = createAppContext({ version: 'test', dataDir: tempDir(), store, actor: 'sato' });
    cleanup.push(() => ctx.sync.close());
    const sent: [string, unknown][] = [];
    const wiring = wireAppEvents(ctx, (channel, payload) => sent.push([channel, payload]));
    cleanup.push(() => wiring.dispose());
    const failed = new Promise((resolve) => ctx.sync.once('failed', resolve));
    await ctx.sync.start([batchId]);
    await failed;
    const runId = runs(store.db)[0]?.id;
    expect(sent.filter(([channel]) => channel !== 'sync:progress')).toEqual([
      ['sync:failed', { runId, batchIds: [batchId], error: { code: 'SYNC_AUTH_FAILED', params: { status: 401 } } }],
      ['batches:changed', { batchIds: [batchId] }],
    ]);
    expect(sent.filter(([channel]) => channel === 'sync:progress').at(-1)?.[1]).toMatchObject({ state: 'failed' });
    expect(ctx.sync.status()).toMatchObject({ running: false, failure: { runId, error: { code: 'SYNC_AUTH_FAILED' } } });

    // Another process holds the store's sync lock: the run never starts, records nothing, and says so.
    const other = acquireSyncLock(store.db, () => 999);
    store.db.prepare('UPDATE sync_lock SET pid = 1').run();
    cleanup.push(() => other.release());
    sent.length = 0;
    const refused = new Promise((resolve) => ctx.sync.once('failed', resolve));
    await ctx.sync.start([batchId]);
    await refused;
    expect(sent).toEqual([
      ['sync:failed', { runId: null, batchIds: [batchId], error: { code: 'SYNC_ALREADY_RUNNING', params: {} } }],
      ['batches:changed', { batchIds: [batchId] }],
    ]);
    expect(runs(store.db)).toHaveLength(1);
  });
});
