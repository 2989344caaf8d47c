import { afterEach, describe, expect, it } from 'vitest';
import { engineFor, stagedStore } from '../../tests/helpers/sync';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { startSimulator } from '../simulator/server';

const tempDir = tempDirsPerTest();
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(orders: number) {
  const sim = await startSimulator({ config: { honourIdempotencyKey: true, services: { notifications: { rateLimitPerSecond: 50 } } } });
  const { store, batchId } = stagedStore(tempDir(), orders);
  cleanup.push(
    () => sim.close(),
    () => store.close(),
  );
  return { sim, store, batchId };
}

describe('Idempotency-Key', () => {
  it('goes with every POST, one key per order and step, kept by the backend that honours it', async () => {
    const { sim, store, batchId } = await setup(3);
    const summary = await engineFor(store, sim).engine.run([batchId]);
    expect(summary.orders.done).toBe(3);
    const keys = (store.db.prepare('SELECT idempotency_key AS key FROM sync_state').all() as { key: string }[]).map((r) => r.key);
    for (const key of keys) {
      expect(sim.state.reply(`/api/v1/orders ${key}-order`)?.status).toBe(201);
      expect(sim.state.reply(`/api/v1/payments ${key}-payment`)?.status).toBe(201);
      expect(sim.state.reply(`/api/v1/notifications ${key}-notification`)?.status).toBe(202);
    }
  });

  it('gives a declined payment a new key when it is retried, so a backend that replays keys does not replay the decline', async () => {
    const { sim, store, batchId } = await setup(2);
    store.db.prepare("UPDATE orders SET card_token = 'tok_declined' WHERE order_ref = 'SY-000001'").run();
    const first = await engineFor(store, sim).engine.run([batchId]);
    expect(first.orders).toMatchObject({ done: 1, failed: 1 });
    store.db.prepare("UPDATE orders SET card_token = 'tok_ok' WHERE order_ref = 'SY-000001'").run();
    const retry = await engineFor(store, sim).engine.run([batchId], { retryFailed: true });
    expect(retry.orders).toMatchObject({ done: 2, failed: 0 });
    expect(sim.stats().created).toEqual({ orders: 2, payments: 2, notifications: 2 });
  });
});
