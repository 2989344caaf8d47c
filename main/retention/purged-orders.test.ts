import { describe, expect, it } from 'vitest';
import { SAMPLE_HEADERS, sampleLine, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { engineFor } from '../../tests/helpers/sync';
import { NOW, OLD, retentionStorePerTest } from '../../tests/helpers/retention';
import { importFile } from '../import/stage';
import { batchOverview, queryLines } from '../review/lines';
import { startSimulator } from '../simulator/server';
import { listBatches } from '../store/batches';
import { DEFAULT_SYNC_SETTINGS } from '../sync/engine';
import { previewRun } from '../sync/preview';
import { purgeExpired } from './purge';

/**
 * Orders never sent whose personal data retention deleted: they are not "valid" any more (nothing can send
 * them), staff see why, and nothing sends them.
 */
const { store: current } = retentionStorePerTest();
const db = () => current().db;

function importAt(name: string, refs: string[], at: Date, invalid: string[] = []): number {
  const rows = refs.map((ref) => sampleLine(ref, invalid.includes(ref) ? { 数量: -1 } : {}));
  return importFile(db(), { fileName: name, bytes: workbookBytes([SAMPLE_HEADERS, ...rows], 'xlsx'), actor: 'sato', now: at }).batchId;
}

const page = (batchId: number) =>
  queryLines(db(), { batchId, sort: { column: 'row', direction: 'asc' }, offset: 0, limit: 100 }).rows.map((r) => [r.orderRef, r.status]);

describe('orders purged before they were synced', () => {
  it('show as purged (not valid, not to fix) in the grid, its filter and the dashboard', () => {
    const old = importAt('old.xlsx', ['P-1', 'P-2', 'P-3'], OLD, ['P-3']);
    const recent = importAt('new.xlsx', ['N-1'], NOW);
    purgeExpired(db(), { days: 30, actor: 'sato', now: NOW });

    expect(page(old)).toEqual([
      ['P-1', 'purged'],
      ['P-2', 'purged'],
      ['P-3', 'purged'],
    ]);
    expect(page(recent)).toEqual([['N-1', 'valid']]);
    const filtered = queryLines(db(), {
      batchId: old,
      status: 'purged',
      sort: { column: 'row', direction: 'asc' },
      offset: 0,
      limit: 100,
    });
    expect(filtered.total).toBe(3);
    expect(batchOverview(db(), old)).toMatchObject({ statuses: [{ status: 'purged', orders: 3 }], codes: [] });

    const summary = listBatches(db()).find((b) => b.id === old);
    expect(summary?.orders).toMatchObject({ total: 3, valid: 0, invalid: 0, purged: 3 });
    expect(summary?.totalAmountYen).toBe(0);
    expect(listBatches(db()).find((b) => b.id === recent)?.orders).toMatchObject({ valid: 1, purged: 0 });
  });

  it('are left out of a run and its preview, which says how many and why; the backend never sees them', async () => {
    const old = importAt('old.xlsx', ['P-1', 'P-2'], OLD);
    const recent = importAt('new.xlsx', ['N-1'], NOW);
    purgeExpired(db(), { days: 30, actor: 'sato', now: NOW });
    // A queue entry left over from before the purge (a store restored from a backup, a crash between steps):
    // the run must not send it with its blanked fields either.
    const p2 = db().prepare("SELECT id FROM orders WHERE order_ref = 'P-2'").pluck().get() as number;
    db()
      .prepare("INSERT INTO sync_state (order_id, state, idempotency_key, updated_at) VALUES (?, 'queued', 'k-p2', ?)")
      .run(p2, NOW.toISOString());

    expect(previewRun(db(), [old, recent], {}, DEFAULT_SYNC_SETTINGS)).toMatchObject({ orders: 1, purged: 2 });

    const sim = await startSimulator();
    try {
      const { engine } = engineFor(current(), sim);
      const summary = await engine.run([old, recent]);
      // One order call in all (N-1's): nothing was sent for the purged ones, not even a call the backend refused.
      expect(sim.requests().filter((r) => r.service === 'orders')).toHaveLength(1);
      expect([...sim.state.orders.values()].map((o) => o.customer_name)).toEqual([expect.stringMatching(/\S/)]);
      expect(summary.orders).toMatchObject({ done: 1 });
      const states = db()
        .prepare('SELECT o.order_ref, s.state, s.error_code FROM orders o LEFT JOIN sync_state s ON s.order_id = o.id ORDER BY o.order_ref')
        .all();
      expect(states).toEqual([
        { order_ref: 'N-1', state: 'done', error_code: null },
        { order_ref: 'P-1', state: null, error_code: null },
        { order_ref: 'P-2', state: 'needs_review', error_code: 'RETENTION_PURGED' },
      ]);
    } finally {
      await sim.close();
    }
  });
});
