import { afterEach, describe, expect, it } from 'vitest';
import { simClient } from '../../tests/helpers/simulator';
import { engineFor, localStates, mismatches, stagedStore } from '../../tests/helpers/sync';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { startSimulator } from '../simulator/server';
import { enqueue } from './state';

const tempDir = tempDirsPerTest();
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(orders: number, simConfig: Record<string, unknown> = {}) {
  const sim = await startSimulator({ config: { services: { notifications: { rateLimitPerSecond: 50 } }, ...simConfig } });
  const { store, batchId } = stagedStore(tempDir(), orders);
  cleanup.push(
    () => sim.close(),
    () => store.close(),
  );
  return { sim, store, batchId };
}

describe('self-healing', () => {
  it('looks up orders left in review on the next run and finishes them once the backend can settle them', async () => {
    const { sim, store, batchId } = await setup(20, {
      seed: 5,
      orderLookupEnabled: false,
      services: { orders: { faults: { commitThenFailRate: 0.25 } } },
    });
    const first = await engineFor(store, sim).engine.run([batchId]);
    expect(first.orders.needs_review).toBeGreaterThan(0);
    sim.setConfig({ orderLookupEnabled: true, services: { orders: { faults: { commitThenFailRate: 0 } } } });
    const second = await engineFor(store, sim).engine.run([batchId]);
    expect(second.orders).toMatchObject({ done: 20, needs_review: 0, failed: 0 });
    // Adopted, never sent again.
    expect(second.requests.orders).toBe(first.orders.needs_review);
    expect(sim.stats().created.orders).toBe(20);
    expect(sim.stats().duplicates).toEqual({ orders_per_client_reference: 0, payments_per_order: 0, notifications_for_unpaid_orders: 0 });
    expect(mismatches(store, sim)).toEqual([]);
  });

  it('continues an order in review whose payment went through (paid -> notify) and one whose order exists', async () => {
    const { sim, store, batchId } = await setup(3);
    enqueue(store.db, [batchId], new Date().toISOString());
    const [paidRow, createdRow] = localStates(store);
    const api = simClient(sim);
    await api.login();
    const order = (reference: string) =>
      store.db.prepare('SELECT total_amount FROM orders WHERE client_reference = ?').get(reference) as { total_amount: number };
    const paidAt = await api.createOrder(paidRow?.client_reference ?? '', order(paidRow?.client_reference ?? '').total_amount);
    const paidId = String(paidAt.body?.id);
    expect((await api.pay(paidId, order(paidRow?.client_reference ?? '').total_amount)).status).toBe(201);
    const createdAt = await api.createOrder(createdRow?.client_reference ?? '', order(createdRow?.client_reference ?? '').total_amount);
    const review = store.db.prepare(
      `UPDATE sync_state SET state = 'needs_review', backend_order_id = ?, failed_step = ?, error_class = 'unknown_outcome',
         error_code = 'HTTP_503' WHERE order_id = (SELECT id FROM orders WHERE client_reference = ?)`,
    );
    review.run(paidId, 'payment', paidRow?.client_reference);
    review.run(null, 'order', createdRow?.client_reference);

    const summary = await engineFor(store, sim).engine.run([batchId]);
    expect(summary.orders).toMatchObject({ done: 3, needs_review: 0, failed: 0 });
    expect(sim.stats().created).toEqual({ orders: 3, payments: 3, notifications: 3 });
    expect(sim.state.orders.get(String(createdAt.body?.id))?.status).toBe('CONFIRMED');
    expect(mismatches(store, sim)).toEqual([]);
    const healed = store.db.prepare("SELECT count(*) AS n FROM sync_state WHERE detail LIKE '%healed%'").get() as { n: number };
    expect(healed.n).toBe(2);
  });
});
