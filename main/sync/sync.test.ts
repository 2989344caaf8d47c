import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { engineFor, fastSettings, localStates, mismatches, stagedStore } from '../../tests/helpers/sync';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { type Simulator, startSimulator } from '../simulator/server';
import type { Store } from '../store/database';
import { BackendClient } from './client';
import { CircuitBreaker } from './limits';
import type { SyncEngine, SyncProgress } from './engine';

const tempDir = tempDirsPerTest();
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(orders: number, simConfig: Record<string, unknown> = {}) {
  // The simulator's notification limit matches fastSettings() unless a test sets its own.
  const sim = await startSimulator({ config: { services: { notifications: { rateLimitPerSecond: 50 } } } });
  sim.setConfig(simConfig);
  const { store, batchId } = stagedStore(tempDir(), orders);
  cleanup.push(
    () => sim.close(),
    () => store.close(),
  );
  return { sim, store, batchId };
}

/** The first progress event that satisfies `test` (events, not wall-clock sleeps). */
function progressWhere(engine: SyncEngine, test: (p: SyncProgress) => boolean): Promise<SyncProgress> {
  return new Promise((resolve) => {
    const listener = (p: SyncProgress) => {
      if (!test(p)) return;
      engine.off('progress', listener);
      resolve(p);
    };
    engine.on('progress', listener);
  });
}

function expectClean(sim: Simulator, store: Store) {
  expect(sim.stats().duplicates).toEqual({ orders_per_client_reference: 0, payments_per_order: 0, notifications_for_unpaid_orders: 0 });
  expect(mismatches(store, sim)).toEqual([]);
}

describe('limits', () => {
  it('circuit breaker opens after consecutive failures, lets one probe through, closes on success', () => {
    let now = 0;
    const breaker = new CircuitBreaker(3, 1000, 8000, () => now);
    for (let i = 0; i < 3; i += 1) breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.admit()).toBe(1000);
    now = 1000;
    expect(breaker.admit()).toBe(0);
    expect(breaker.state).toBe('half_open');
    expect(breaker.admit()).toBeGreaterThan(0);
    breaker.failure();
    expect(breaker.state).toBe('open');
    now = 2999;
    expect(breaker.admit()).toBe(1);
    now = 3000;
    expect(breaker.admit()).toBe(0);
    breaker.success();
    expect(breaker.state).toBe('closed');
  });
});

describe('sync engine against the simulator', () => {
  it('syncs every valid order once: order, payment, notification; local state matches the backend', async () => {
    const { sim, store, batchId } = await setup(30);
    const { engine } = engineFor(store, sim);
    const progress: SyncProgress[] = [];
    engine.on('progress', (p: SyncProgress) => progress.push(p));
    const summary = await engine.run([batchId]);
    expect(summary.orders).toEqual({ total: 30, done: 30, failed: 0, needs_review: 0, remaining: 0 });
    expect(summary.requests).toEqual({ orders: 30, payments: 30, notifications: 30 });
    expect(sim.stats().created).toEqual({ orders: 30, payments: 30, notifications: 30 });
    expect(summary.yen.synced).toBe(summary.yen.staged);
    expectClean(sim, store);
    expect(progress.at(-1)).toMatchObject({ state: 'finished', done: 30, total: 30 });
    const audit = store.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'sync.%'").all();
    expect(audit).toEqual([{ action: 'sync.started' }, { action: 'sync.finished' }]);
    // A second run has nothing to do and sends nothing.
    const again = await engineFor(store, sim).engine.run([batchId]);
    expect(again.requests).toEqual({ orders: 0, payments: 0, notifications: 0 });
  });

  it('pipelines orders through the steps, bound by the slowest limit rather than the sum of latencies', async () => {
    const latency = (ms: number) => ({ faults: { latency: { kind: 'fixed', ms } } });
    const { sim, store, batchId } = await setup(40, {
      services: { orders: latency(60), payments: latency(250), notifications: { rateLimitPerSecond: 20, ...latency(30) } },
    });
    const { engine } = engineFor(
      store,
      sim,
      fastSettings({
        payments: { ratePerSecond: null, concurrency: 8, timeoutMs: 1500 },
        notifications: { ratePerSecond: 20, concurrency: 8, timeoutMs: 1500, jitterMs: 50 },
      }),
    );
    const started = performance.now();
    const summary = await engine.run([batchId]);
    const seconds = (performance.now() - started) / 1000;
    expect(summary.orders.done).toBe(40);
    // Sequentially: 40 x (60 + 250 + 30) ms = 13.6 s. The floor set by 20 notifications/s is 2 s.
    expect(seconds).toBeLessThan(4);
    const log = sim.requests();
    // Different orders at different steps at once: 40 payments at 8 x 250 ms take >= 1.25 s, and the first
    // notifications go out long before the last payment.
    const lastPayment = Math.max(...log.filter((r) => r.service === 'payments').map((r) => r.t_ms));
    const firstNotification = Math.min(...log.filter((r) => r.service === 'notifications').map((r) => r.t_ms));
    expect(firstNotification).toBeLessThan(lastPayment - 300);
    // The limiter let at most 20 notifications go in any 1,015 ms (1 s plus its smallest margin).
    // (That the backend then never sees more than 20 in a second is measured by bench:sync, with the
    // simulator in its own process: here it shares the test's event loop.)
    const sent = engine.sendTimes('notifications');
    expect(sent.length).toBeGreaterThanOrEqual(40);
    for (const at of sent) expect(sent.filter((t) => t > at - 1015 && t <= at).length).toBeLessThanOrEqual(20);
    expectClean(sim, store);
  });

  it('slows down on 429 and recovers, without losing or duplicating anything', async () => {
    const { sim, store, batchId } = await setup(30, { services: { notifications: { rateLimitPerSecond: 8 } } });
    const { engine } = engineFor(store, sim, fastSettings({ notifications: { ratePerSecond: 30, concurrency: 8, timeoutMs: 1500 } }));
    const summary = await engine.run([batchId]);
    expect(summary.orders.done).toBe(30);
    expect(summary.rate_limited).toBeGreaterThan(0);
    expect(sim.stats().rate_limited.notifications).toBe(summary.rate_limited);
    expectClean(sim, store);
  });

  it('never re-sends an order whose response was lost: it looks the reference up first', async () => {
    const { sim, store, batchId } = await setup(30, { seed: 3, services: { orders: { faults: { commitThenFailRate: 0.3 } } } });
    const { engine } = engineFor(store, sim);
    const summary = await engine.run([batchId]);
    expect(summary.orders.done).toBe(30);
    expect(sim.stats().faults.orders).toBeGreaterThan(3);
    expect(sim.stats().created.orders).toBe(30);
    expectClean(sim, store);
  });

  it('puts an order with a lost response in needs review when the backend has no look-up', async () => {
    const { sim, store, batchId } = await setup(20, {
      seed: 5,
      orderLookupEnabled: false,
      services: { orders: { faults: { commitThenFailRate: 0.25 } } },
    });
    const { engine } = engineFor(store, sim);
    const summary = await engine.run([batchId]);
    const lost = sim.stats().faults.orders;
    expect(lost).toBeGreaterThan(0);
    expect(summary.orders.needs_review).toBe(lost);
    expect(summary.orders.done).toBe(20 - lost);
    const review = store.db.prepare("SELECT error_code, detail FROM sync_state WHERE state = 'needs_review'").all() as {
      error_code: string;
      detail: string;
    }[];
    expect(review[0]?.error_code).toBe('ORDER_OUTCOME_UNKNOWN');
    expect(JSON.parse(review[0]?.detail ?? '{}')).toMatchObject({
      reason: 'NO_LOOKUP',
      client_reference: expect.stringMatching(/^os-/),
      sent_at: expect.any(String),
    });
    expect(sim.stats().duplicates.orders_per_client_reference).toBe(0);
  });

  it('reconciles a 409 on payment as already paid', async () => {
    const { sim, store, batchId } = await setup(20, { seed: 9, services: { payments: { faults: { commitThenFailRate: 0.3 } } } });
    const summary = await engineFor(store, sim).engine.run([batchId]);
    expect(summary.orders.done).toBe(20);
    expect(sim.stats().faults.payments).toBeGreaterThan(0);
    expect(sim.stats().created.payments).toBe(20);
    const reconciled = store.db.prepare("SELECT count(*) AS n FROM sync_state WHERE detail LIKE '%reconciled%'").get() as { n: number };
    expect(reconciled.n).toBeGreaterThan(0);
    expectClean(sim, store);
  });

  it('fails a declined payment, leaves the backend order PENDING, and pays it later without re-creating it', async () => {
    const { sim, store, batchId } = await setup(6);
    store.db.prepare("UPDATE orders SET card_token = 'tok_declined' WHERE order_ref = 'SY-000002'").run();
    const first = await engineFor(store, sim).engine.run([batchId]);
    expect(first.orders).toMatchObject({ done: 5, failed: 1 });
    const failed = store.db
      .prepare("SELECT failed_step, error_class, backend_order_id FROM sync_state WHERE state = 'failed'")
      .get() as Record<string, string>;
    expect(failed).toMatchObject({ failed_step: 'payment', error_class: 'declined' });
    expect(sim.state.orders.get(failed.backend_order_id ?? '')?.status).toBe('PENDING');
    sim.setConfig({ declinedTokens: [] });
    const retry = await engineFor(store, sim).engine.run([batchId], { retryFailed: true });
    expect(retry.orders).toMatchObject({ done: 6, failed: 0 });
    expect(retry.requests.orders).toBe(0);
    expect(sim.stats().created.orders).toBe(6);
    expectClean(sim, store);
  });

  it('waits out a payment outage with the breaker open instead of failing the batch', async () => {
    const { sim, store, batchId } = await setup(20);
    sim.setConfig({ services: { payments: { faults: { outages: [{ startsInMs: 0, durationMs: 2500 }] } } } });
    const summary = await engineFor(store, sim).engine.run([batchId]);
    expect(summary.orders).toMatchObject({ done: 20, failed: 0, needs_review: 0 });
    // The breaker kept the calls during the outage few: the 16 already under way, then one probe at a time.
    expect(sim.stats().faults.payments).toBeLessThan(40);
    expectClean(sim, store);
  });

  it('completes under 20% 5xx and dropped connections on every service', async () => {
    const faults = { faults: { errorRate: 0.2, resetRate: 0.05 } };
    const { sim, store, batchId } = await setup(40, {
      seed: 11,
      services: { orders: faults, payments: faults, notifications: { rateLimitPerSecond: 50, ...faults } },
    });
    const summary = await engineFor(store, sim).engine.run([batchId]);
    expect(summary.orders.done + summary.orders.needs_review).toBe(40);
    expect(summary.retries).toBeGreaterThan(5);
    expectClean(sim, store);
  });

  it('refreshes a token before it expires, not for every call', async () => {
    const { sim, store, batchId } = await setup(12, { tokenLifetimeSeconds: 2, services: { notifications: { rateLimitPerSecond: 5 } } });
    const { engine, client } = engineFor(
      store,
      sim,
      fastSettings({ notifications: { ratePerSecond: 5, concurrency: 2, timeoutMs: 1500 } }),
    );
    const summary = await engine.run([batchId]);
    expect(summary.orders.done).toBe(12);
    const calls = summary.requests.orders + summary.requests.payments + summary.requests.notifications;
    expect(summary.duration_s).toBeGreaterThan(2);
    expect(client.tokenRequests).toBeGreaterThan(1);
    expect(client.tokenRequests).toBeLessThan(calls / 4);
    expect(sim.requests().filter((r) => r.status === 401)).toEqual([]);
  });

  it('answers a 401 with one token refresh and one retry', async () => {
    const first = await startSimulator({});
    const client = new BackendClient({
      baseUrl: first.url,
      clientId: 'order-stager-demo',
      clientSecret: 'demo-secret',
      timeoutsMs: { orders: 1500, payments: 1500, notifications: 1500 },
    });
    const body = {
      customer_id: 'C1',
      customer_name: 'テスト',
      items: [{ sku: 'S', quantity: 1, unit_price: 500 }],
      total_amount: 500,
      currency: 'JPY',
      shipping_address: '東京',
      client_reference: 'ref-1',
    };
    expect((await client.createOrder(body, 'k1')).kind).toBe('ok');
    expect(client.tokenRequests).toBe(1);
    // The backend restarts with a new signing key: the cached token is no longer valid there.
    await first.close();
    // Let the connection pool drop the socket the old server closed (a POST on it would fail as sent).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await startSimulator({ port: first.port });
    cleanup.push(() => second.close());
    const outcome = await client.createOrder({ ...body, client_reference: 'ref-2' }, 'k2');
    expect(outcome.kind).toBe('ok');
    expect(client.tokenRequests).toBe(2);
    expect(second.requests().map((r) => r.status)).toEqual([401, 201]);
    expect(second.stats().created.orders).toBe(1);
  });

  it('stops with a clear error on bad credentials and releases its lock', async () => {
    const { sim, store, batchId } = await setup(3);
    await expect(
      engineFor(store, sim, fastSettings(), { id: 'order-stager-demo', secret: 'wrong' }).engine.run([batchId]),
    ).rejects.toMatchObject({
      code: 'SYNC_AUTH_FAILED',
    });
    expect(store.db.prepare('SELECT count(*) AS n FROM sync_lock').get()).toEqual({ n: 0 });
  });

  it('pauses (no new calls), resumes, and cancels letting in-flight calls finish', async () => {
    const { sim, store, batchId } = await setup(30, { services: { notifications: { rateLimitPerSecond: 10 } } });
    const { engine } = engineFor(store, sim, fastSettings({ notifications: { ratePerSecond: 10, concurrency: 4, timeoutMs: 1500 } }));
    const running = engine.run([batchId]);
    await progressWhere(engine, (p) => p.done >= 3);
    engine.pause();
    // Paused: the calls already sent finish (every call that reached the simulator is answered), then nothing moves.
    const arrived = () => Object.values(sim.stats().requests).reduce((a, b) => a + b, 0);
    await progressWhere(engine, (p) => p.state === 'paused' && arrived() === sim.requests().length);
    const during = sim.requests().length;
    for (let tick = 0; tick < 3; tick += 1) await progressWhere(engine, () => true);
    expect(sim.requests().length).toBe(during);
    engine.resume();
    await progressWhere(engine, () => sim.requests().length > during + 2);
    engine.cancel();
    const summary = await running;
    expect(summary.outcome).toBe('cancelled');
    expect(summary.orders.remaining).toBeGreaterThan(0);
    expect(localStates(store).filter((r) => r.state.endsWith('_in_flight'))).toEqual([]);
    const actions = (store.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'sync.%'").all() as { action: string }[]).map(
      (r) => r.action,
    );
    expect(actions).toEqual(['sync.started', 'sync.paused', 'sync.resumed', 'sync.cancelled']);
    // Resuming later (as after a restart) finishes the rest.
    const rest = await engineFor(
      store,
      sim,
      fastSettings({ notifications: { ratePerSecond: 10, concurrency: 4, timeoutMs: 1500 } }),
    ).engine.run([batchId]);
    expect(rest.orders).toMatchObject({ done: 30, remaining: 0 });
    expectClean(sim, store);
  });

  it('waits while the backend is unreachable and continues when it is back', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const { store, batchId } = stagedStore(tempDir(), 8);
    cleanup.push(() => store.close());
    const offline = { url: `http://127.0.0.1:${port}` } as Simulator;
    const { engine } = engineFor(store, offline);
    const running = engine.run([batchId]);
    // The engine says it cannot reach the backend (it waits) before the backend comes up.
    await progressWhere(engine, (p) => Object.values(p.services).some((service) => service.last_error === 'UNREACHABLE'));
    const sim = await startSimulator({ port });
    cleanup.push(() => sim.close());
    const summary = await running;
    expect(summary.orders).toMatchObject({ done: 8, failed: 0, needs_review: 0 });
    expectClean(sim, store);
  });

  it("lets only one run use the store at a time, across processes, and takes over a dead holder's lock", async () => {
    const { sim, store, batchId } = await setup(5);
    const { spawn } = await import('node:child_process');
    const { hostname } = await import('node:os');
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    cleanup.push(() => other.kill('SIGKILL'));
    store.db
      .prepare('INSERT INTO sync_lock (id, run_id, pid, host, heartbeat) VALUES (1, 999, ?, ?, ?)')
      .run(other.pid, hostname(), Date.now());
    await expect(engineFor(store, sim).engine.run([batchId])).rejects.toMatchObject({ code: 'SYNC_ALREADY_RUNNING' });
    expect(sim.requests()).toEqual([]);
    expect(store.db.prepare('SELECT count(*) AS n FROM sync_runs').get()).toEqual({ n: 0 });
    const exited = new Promise((resolve) => other.once('exit', resolve));
    other.kill('SIGKILL');
    await exited;
    const summary = await engineFor(store, sim).engine.run([batchId]);
    expect(summary.orders.done).toBe(5);
    expect(store.db.prepare('SELECT count(*) AS n FROM sync_lock').get()).toEqual({ n: 0 });
  });
});
