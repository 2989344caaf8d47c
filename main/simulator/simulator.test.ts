import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { SlidingWindowLimiter } from './rate-limiter';
import { type Simulator, startSimulator } from './server';
import { simClient } from '../../tests/helpers/simulator';

const tempDir = tempDirsPerTest();
const running: Simulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function start(config: unknown = {}, persistFile?: string) {
  const sim = await startSimulator({ config, persistFile });
  running.push(sim);
  const client = simClient(sim);
  return { sim, client };
}

async function loggedIn(config: unknown = {}) {
  const started = await start(config);
  expect((await started.client.login()).status).toBe(200);
  return started;
}

describe('OAuth and tokens', () => {
  it('issues a signed JWT for the demo client and refuses bad credentials', async () => {
    const { client } = await start();
    const ok = await client.login();
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(String(ok.body.access_token).split('.')).toHaveLength(3);
    expect((await client.login('order-stager-demo', 'wrong')).status).toBe(401);
    expect((await client.login('someone-else', 'demo-secret')).status).toBe(401);
  });

  it('answers 401 for a missing, forged or expired token', async () => {
    const { sim, client } = await start({ tokenLifetimeSeconds: 1 });
    expect((await client.createOrder('R-1')).status).toBe(401);
    client.setToken('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl');
    expect((await client.createOrder('R-1')).status).toBe(401);
    await client.login();
    expect((await client.createOrder('R-1')).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await client.createOrder('R-2');
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ error: { code: 'TOKEN_EXPIRED' } });
    expect(sim.stats().created.orders).toBe(1);
  });
});

describe('orders', () => {
  it('creates PENDING orders, finds them by id and by client reference', async () => {
    const { client } = await loggedIn();
    const created = await client.createOrder('REF-1', 2400);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'PENDING', total_amount: 2400, client_reference: 'REF-1' });
    const id = String(created.body?.id);
    expect((await client.call('GET', `/api/v1/orders/${id}`)).body).toMatchObject({ id, status: 'PENDING' });
    expect((await client.call('GET', '/api/v1/orders/ord_missing')).status).toBe(404);
    const found = await client.call('GET', '/api/v1/orders?client_reference=REF-1');
    expect(found.status).toBe(200);
    expect(found.body).toEqual([expect.objectContaining({ id })]);
    expect((await client.call('GET', '/api/v1/orders?client_reference=NONE')).body).toEqual([]);
  });

  it('can model a backend without the client_reference look-up', async () => {
    const { client } = await loggedIn({ orderLookupEnabled: false });
    await client.createOrder('REF-1');
    expect((await client.call('GET', '/api/v1/orders?client_reference=REF-1')).status).toBe(404);
  });

  it('rejects invalid orders without committing and without echoing their data', async () => {
    const { sim, client } = await loggedIn();
    const bad = await client.createOrder('REF-1', 1000, { total_amount: 999 });
    expect(bad).toMatchObject({ status: 422, body: { error: { code: 'TOTAL_MISMATCH' } } });
    const noName = await client.createOrder('REF-2', 1000, { customer_name: '' });
    expect(noName.status).toBe(422);
    expect(JSON.stringify(noName.body)).not.toContain('テスト');
    expect((await client.call('POST', '/api/v1/orders', undefined, { 'content-type': 'application/json' })).status).toBe(400);
    expect(sim.stats().created.orders).toBe(0);
  });

  it('counts a second order for the same client reference as a duplicate', async () => {
    const { sim, client } = await loggedIn();
    await client.createOrder('REF-1');
    expect(sim.stats().duplicates.orders_per_client_reference).toBe(0);
    await client.createOrder('REF-1');
    expect(sim.stats().duplicates.orders_per_client_reference).toBe(1);
  });
});

describe('payments', () => {
  it('pays an order once (the order turns CONFIRMED) and answers 409 to a second payment', async () => {
    const { sim, client } = await loggedIn();
    const order = await client.createOrder('REF-1', 5000);
    const id = String(order.body?.id);
    const paid = await client.pay(id, 5000);
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ order_id: id, amount: 5000, status: 'COMPLETED' });
    expect(String(paid.body?.transaction_id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await client.call('GET', `/api/v1/orders/${id}`)).body).toMatchObject({ status: 'CONFIRMED' });
    const again = await client.pay(id, 5000);
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'PAYMENT_EXISTS' } } });
    expect((await client.call('GET', `/api/v1/payments/by-order/${id}`)).body).toMatchObject({ id: paid.body?.id });
    expect(sim.stats()).toMatchObject({ created: { payments: 1 }, duplicates: { payments_per_order: 0 } });
  });

  it.each([
    [99, 422],
    [100, 201],
    [1_000_000, 201],
    [1_000_001, 422],
    [1500.5, 422],
  ])('bounds the amount: %s JPY -> %s', async (amount, status) => {
    const { client } = await loggedIn({ maxAmount: 1_000_000 });
    // The order itself must be valid (integer yen); the payment carries the amount under test.
    const order = await client.createOrder(`REF-${amount}`, Math.floor(amount));
    expect(order.status).toBe(201);
    const result = await client.pay(String(order.body?.id), amount);
    expect(result.status).toBe(status);
  });

  it('refuses other currencies and declines configured tokens, leaving the order PENDING', async () => {
    const { client } = await loggedIn({ declinedTokens: ['tok_bad'] });
    const id = String((await client.createOrder('REF-1', 3000)).body?.id);
    expect((await client.pay(id, 3000, { currency: 'USD' })).body).toEqual({ error: { code: 'CURRENCY_NOT_SUPPORTED' } });
    expect((await client.pay(id, 3000, { card_token: 'tok_bad' })).status).toBe(402);
    expect((await client.call('GET', `/api/v1/orders/${id}`)).body).toMatchObject({ status: 'PENDING' });
    expect((await client.pay(id, 3000)).status).toBe(201);
  });
});

describe('notifications', () => {
  it('sends one per call and counts notifications for unpaid orders', async () => {
    const { sim, client } = await loggedIn();
    const paidId = String((await client.createOrder('REF-1', 3000)).body?.id);
    await client.pay(paidId, 3000);
    expect((await client.notify(paidId)).status).toBe(202);
    expect(sim.stats().duplicates.notifications_for_unpaid_orders).toBe(0);
    const unpaidId = String((await client.createOrder('REF-2', 3000)).body?.id);
    expect((await client.notify(unpaidId)).status).toBe(202);
    expect(sim.stats()).toMatchObject({ created: { notifications: 2 }, duplicates: { notifications_for_unpaid_orders: 1 } });
  });
});

describe('rate limits', () => {
  it('never accept more than the limit in any sliding 1-second window (unit)', () => {
    const limiter = new SlidingWindowLimiter(10);
    const accepted: number[] = [];
    for (let t = 0; t < 5000; t += 7) if (limiter.tryAcquire(t).ok) accepted.push(t);
    for (const start of accepted) expect(accepted.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(10);
    expect(accepted.length).toBeGreaterThanOrEqual(49);
    const rejected = limiter.tryAcquire(accepted.at(-1) ?? 0);
    expect(rejected).toMatchObject({ ok: false });
  });

  it('hold under a burst from many concurrent clients, with 429 and Retry-After', async () => {
    const { sim, client } = await loggedIn({ services: { notifications: { rateLimitPerSecond: 10 } } });
    const id = String((await client.createOrder('REF-1', 3000)).body?.id);
    await client.pay(id, 3000);
    const results = await Promise.all(Array.from({ length: 60 }, () => client.notify(id)));
    const ok = results.filter((r) => r.status === 202);
    const limited = results.filter((r) => r.status === 429);
    expect(ok).toHaveLength(10);
    expect(limited).toHaveLength(50);
    expect(Number(limited[0]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited[0]?.headers.get('retry-after-ms'))).toBeGreaterThan(0);
    const stats = sim.stats();
    expect(stats.rate_limited.notifications).toBe(50);
    expect(stats.created.notifications).toBe(10);
    expect(stats.max_rate_per_second.notifications).toBe(60);
    const accepted = sim
      .requests()
      .filter((r) => r.service === 'notifications' && r.status === 202)
      .map((r) => r.t_ms);
    for (const start of accepted) expect(accepted.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(10);
  });
});

describe('fault injection', () => {
  it('answers 5xx at the configured rate without committing', async () => {
    const { sim, client } = await loggedIn({ seed: 7, services: { orders: { faults: { errorRate: 0.5 } } } });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => client.createOrder(`R-${i}`)));
    const errors = results.filter((r) => r.status >= 500);
    expect(errors.length).toBeGreaterThan(70);
    expect(errors.length).toBeLessThan(130);
    expect(new Set(errors.map((r) => r.status))).toEqual(new Set([500, 502, 503]));
    expect(sim.stats().created.orders).toBe(200 - errors.length);
  });

  it('is deterministic for a seed', async () => {
    const outcome = async () => {
      const { client } = await loggedIn({ seed: 42, services: { orders: { faults: { errorRate: 0.3 } } } });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i += 1) statuses.push((await client.createOrder(`R-${i}`)).status);
      return statuses;
    };
    const first = await outcome();
    expect(first.some((s) => s >= 500)).toBe(true);
    expect(await outcome()).toEqual(first);
  });

  it('resets connections before committing', async () => {
    const { sim, client } = await loggedIn({ services: { orders: { faults: { resetRate: 1 } } } });
    await expect(client.createOrder('R-1')).rejects.toThrow();
    expect(sim.stats().created.orders).toBe(0);
    expect(sim.requests().at(-1)).toMatchObject({ service: 'orders', status: 0, fault: 'reset' });
  });

  it('commits then loses the response: the order exists though the client saw an error', async () => {
    const { sim, client } = await loggedIn({ services: { orders: { faults: { commitThenFailRate: 1 } } } });
    await expect(client.createOrder('R-lost')).rejects.toThrow();
    expect(sim.stats().created.orders).toBe(1);
    sim.setConfig({ services: { orders: { faults: { commitThenFailRate: 0 } } } });
    const found = await client.call('GET', '/api/v1/orders?client_reference=R-lost');
    expect(found.body).toHaveLength(1);
  });

  it('hangs until the server-side timeout, then answers 504 without committing', async () => {
    const { sim, client } = await loggedIn({ services: { payments: { timeoutMs: 300, faults: { hangRate: 1 } } } });
    const id = String((await client.createOrder('R-1', 1000)).body?.id);
    const started = Date.now();
    const result = await client.pay(id, 1000);
    expect(result.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(sim.stats().created.payments).toBe(0);
  });

  it('turns latency beyond the timeout into a 504', async () => {
    const { sim, client } = await loggedIn({
      services: { notifications: { timeoutMs: 100, faults: { latency: { kind: 'fixed', ms: 150 } } } },
    });
    const id = String((await client.createOrder('R-1', 1000)).body?.id);
    expect((await client.notify(id)).status).toBe(504);
    expect(sim.stats().created.notifications).toBe(0);
  });

  it.each([
    [{ kind: 'fixed', ms: 60 }, 55, 200],
    [{ kind: 'uniform', minMs: 40, maxMs: 80 }, 35, 200],
    [{ kind: 'longtail', medianMs: 30, p99Ms: 120 }, 0, 1000],
  ])('adds latency %j', async (latency, minMs, maxMs) => {
    const { sim, client } = await loggedIn({ services: { orders: { faults: { latency } } } });
    for (let i = 0; i < 5; i += 1) await client.createOrder(`R-${i}`);
    const durations = sim.requests().map((r) => r.duration_ms);
    expect(Math.min(...durations)).toBeGreaterThanOrEqual(minMs);
    expect(Math.max(...durations)).toBeLessThan(maxMs);
  });

  it('answers 503 during an outage window set at run time, then recovers', async () => {
    const { sim, client } = await loggedIn();
    const id = String((await client.createOrder('R-1', 1000)).body?.id);
    const put = await fetch(`${sim.url}/__sim/config`, {
      method: 'PUT',
      body: JSON.stringify({ services: { payments: { faults: { outages: [{ startsInMs: 0, durationMs: 400 }] } } } }),
    });
    expect(put.status).toBe(200);
    expect((await client.pay(id, 1000)).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect((await client.pay(id, 1000)).status).toBe(201);
  });
});

describe('inspection API and persistence', () => {
  it('reports stats, the request log, and resets', async () => {
    const { sim, client } = await loggedIn();
    await client.createOrder('R-1');
    const stats = (await (await fetch(`${sim.url}/__sim/stats`)).json()) as Record<string, Record<string, number>>;
    expect(stats).toMatchObject({
      requests: { orders: 1, payments: 0, notifications: 0 },
      created: { orders: 1, payments: 0, notifications: 0 },
      rate_limited: { orders: 0, payments: 0, notifications: 0 },
      max_rate_per_second: { orders: 1, payments: 0, notifications: 0 },
      duplicates: { orders_per_client_reference: 0, payments_per_order: 0, notifications_for_unpaid_orders: 0 },
    });
    const requests = (await (await fetch(`${sim.url}/__sim/requests`)).json()) as { service: string; status: number; at: string }[];
    expect(requests).toEqual([expect.objectContaining({ service: 'orders', status: 201, method: 'POST' })]);
    expect((await fetch(`${sim.url}/__sim/reset`, { method: 'POST' })).status).toBe(200);
    expect(sim.stats().created.orders).toBe(0);
    expect(sim.requests()).toEqual([]);
    expect(
      (await fetch(`${sim.url}/__sim/config`, { method: 'PUT', body: '{"services":{"orders":{"rateLimitPerSecond":-3}}}' })).status,
    ).toBe(400);
  });

  it('keeps state across a restart when given a file', async () => {
    const file = join(tempDir(), 'sim.db');
    const first = await start({}, file);
    await first.client.login();
    const id = String((await first.client.createOrder('R-1', 2000)).body?.id);
    await first.client.pay(id, 2000);
    await first.sim.close();
    running.splice(running.indexOf(first.sim), 1);
    const second = await start({}, file);
    await second.client.login();
    expect((await second.client.call('GET', `/api/v1/orders/${id}`)).body).toMatchObject({ status: 'CONFIRMED' });
    expect((await second.client.pay(id, 2000)).status).toBe(409);
  });
});
