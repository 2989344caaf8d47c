import { afterEach, describe, expect, it } from 'vitest';
import { engineFor, fastSettings, localStates, progressWhere, stagedStore } from '../../tests/helpers/sync';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { batchOverview } from '../review/lines';
import { startSimulator } from '../simulator/server';
import { listBatches } from '../store/batches';
import { previewRun } from './preview';
import { resolveSyncSettings } from './settings';

const tempDir = tempDirsPerTest();
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

// Eight orders in the pipeline at a time, so the cancel also leaves orders never started in the queue.
const slowNotify = () => fastSettings({ maxActive: 8, notifications: { ratePerSecond: 2, concurrency: 1, timeoutMs: 1500, jitterMs: 50 } });

describe('after a cancel: orders paid but not notified', () => {
  it('are counted, previewed as notifications only, and a notify-only run finishes them without creating or paying again', async () => {
    const sim = await startSimulator({});
    const { store, batchId } = stagedStore(tempDir(), 30);
    cleanup.push(
      () => sim.close(),
      () => store.close(),
    );
    const { engine } = engineFor(store, sim, slowNotify());
    const running = engine.run([batchId]);
    await progressWhere(engine, (p) => p.services.payments.done >= 6);
    engine.cancel();
    expect((await running).outcome).toBe('cancelled');

    const paid = localStates(store).filter((r) => r.state === 'paid').length;
    expect(paid).toBeGreaterThan(0);
    // The review grid and batch list name them as their own state.
    expect(batchOverview(store.db, batchId).statuses.find((s) => s.status === 'paid_unnotified')?.orders).toBe(paid);
    expect(listBatches(store.db)[0]?.orders.paidUnnotified).toBe(paid);
    expect(engine.progress([batchId]).paidUnnotified).toBe(paid);

    const settings = resolveSyncSettings(slowNotify());
    const preview = previewRun(store.db, [batchId], { notifyOnly: true }, settings);
    expect(preview.orders).toBe(paid);
    expect(preview.calls).toEqual({ orders: 0, payments: 0, notifications: paid });
    expect(preview.etaS).toBe(paid / 2);
    // A full run would also create and pay the orders the cancel left in the queue.
    const full = previewRun(store.db, [batchId], {}, settings);
    const queued = localStates(store).filter((r) => r.state === 'queued').length;
    expect(queued).toBeGreaterThan(0);
    expect(full.calls).toEqual({ orders: queued, payments: queued, notifications: queued + paid });

    const before = sim.stats();
    const summary = await engineFor(store, sim, slowNotify()).engine.run([batchId], { notifyOnly: true });
    const after = sim.stats();
    expect(summary.outcome).toBe('finished');
    expect(after.requests.orders).toBe(before.requests.orders);
    expect(after.requests.payments).toBe(before.requests.payments);
    expect(after.created.notifications - before.created.notifications).toBe(paid);
    expect(after.notifications_repeated).toBe(0);
    expect(after.duplicates).toEqual({ orders_per_client_reference: 0, payments_per_order: 0, notifications_for_unpaid_orders: 0 });
    const states = localStates(store);
    expect(states.filter((r) => r.state === 'paid')).toEqual([]);
    expect(states.filter((r) => r.state === 'queued').length).toBe(queued);
    const started = store.db.prepare("SELECT details FROM audit_log WHERE action = 'sync.started' ORDER BY seq DESC LIMIT 1").pluck().get();
    expect(JSON.parse(String(started))).toMatchObject({ scope: 'notify_only' });
  });
});
