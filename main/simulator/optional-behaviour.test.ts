import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { simClient } from '../../tests/helpers/simulator';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { type Simulator, startSimulator } from './server';

const tempDir = tempDirsPerTest();
const running: Simulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function loggedIn(config: unknown = {}, persistFile?: string) {
  const sim = await startSimulator({ config, persistFile });
  running.push(sim);
  const client = simClient(sim);
  expect((await client.login()).status).toBe(200);
  return { sim, client };
}

const notification = (orderId: string) => ({
  order_id: orderId,
  channel: 'email',
  recipient: 'buyer@example.jp',
  template: 'order_confirmed',
});

async function paidOrder(client: ReturnType<typeof simClient>): Promise<string> {
  const id = String((await client.createOrder('REF-1', 3000)).body?.id);
  expect((await client.pay(id, 3000)).status).toBe(201);
  return id;
}

describe('Idempotency-Key', () => {
  it('replays the first result for a repeated key when honoured: one notification, the same answer', async () => {
    const { sim, client } = await loggedIn({ honourIdempotencyKey: true });
    const id = await paidOrder(client);
    const key = { 'idempotency-key': 'k-notify-1' };
    const first = await client.call('POST', '/api/v1/notifications', notification(id), key);
    const again = await client.call('POST', '/api/v1/notifications', notification(id), key);
    expect(first.status).toBe(202);
    expect(again).toMatchObject({ status: 202, body: first.body });
    expect(sim.stats()).toMatchObject({ created: { notifications: 1 }, replayed: { notifications: 1 }, notifications_repeated: 0 });
    expect(sim.requests().at(-1)).toMatchObject({ replayed: true, status: 202 });
    // Another key is another call.
    expect((await client.call('POST', '/api/v1/notifications', notification(id), { 'idempotency-key': 'k-2' })).status).toBe(202);
    expect(sim.stats()).toMatchObject({ created: { notifications: 2 }, notifications_repeated: 1 });
  });

  it('replays the answer whose response was lost (commit then fail), and a refusal as a refusal', async () => {
    const { sim, client } = await loggedIn({ honourIdempotencyKey: true, services: { orders: { faults: { commitThenFailRate: 1 } } } });
    const body = {
      customer_id: 'C-1',
      customer_name: 'テスト',
      items: [{ sku: 'S', quantity: 1, unit_price: 1500 }],
      total_amount: 1500,
      currency: 'JPY',
      shipping_address: '東京',
      client_reference: 'REF-lost',
    };
    await expect(client.call('POST', '/api/v1/orders', body, { 'idempotency-key': 'k-order' })).rejects.toThrow();
    sim.setConfig({ services: { orders: { faults: { commitThenFailRate: 0 } } } });
    const replay = await client.call('POST', '/api/v1/orders', body, { 'idempotency-key': 'k-order' });
    expect(replay.status).toBe(201);
    expect(sim.stats().created.orders).toBe(1);
    expect(sim.stats().duplicates.orders_per_client_reference).toBe(0);
    const bad = { ...body, total_amount: 1 };
    expect((await client.call('POST', '/api/v1/orders', bad, { 'idempotency-key': 'k-bad' })).status).toBe(422);
    expect((await client.call('POST', '/api/v1/orders', body, { 'idempotency-key': 'k-bad' })).status).toBe(422);
  });

  it('ignores the key by default: a repeated call is a second notification (at least once)', async () => {
    const { sim, client } = await loggedIn();
    const id = await paidOrder(client);
    const key = { 'idempotency-key': 'k-notify-1' };
    await client.call('POST', '/api/v1/notifications', notification(id), key);
    await client.call('POST', '/api/v1/notifications', notification(id), key);
    expect(sim.stats()).toMatchObject({ created: { notifications: 2 }, notifications_repeated: 1 });
  });

  it('keeps stored results across a restart', async () => {
    const file = join(tempDir(), 'sim.db');
    const first = await loggedIn({ honourIdempotencyKey: true }, file);
    const id = await paidOrder(first.client);
    const key = { 'idempotency-key': 'k-n' };
    const answer = await first.client.call('POST', '/api/v1/notifications', notification(id), key);
    await first.sim.close();
    running.splice(0);
    const second = await loggedIn({ honourIdempotencyKey: true }, file);
    expect(await second.client.call('POST', '/api/v1/notifications', notification(id), key)).toMatchObject({
      status: 202,
      body: answer.body,
    });
    expect(second.sim.state.notifications).toHaveLength(1);
  });
});

describe('RateLimit headers', () => {
  it('are off by default', async () => {
    const { client } = await loggedIn();
    const id = await paidOrder(client);
    const answer = await client.notify(id);
    expect(answer.headers.get('ratelimit-limit')).toBeNull();
  });

  it('tell the window budget on every call to a limited service, 429s included', async () => {
    const { client } = await loggedIn({ rateLimitHeaders: true, services: { notifications: { rateLimitPerSecond: 3 } } });
    const id = await paidOrder(client);
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await client.notify(id));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 429]);
    expect(answers.map((a) => a.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
    for (const a of answers) {
      expect(a.headers.get('ratelimit-limit')).toBe('3');
      expect(a.headers.get('ratelimit-reset')).toBe('1');
    }
    // Services without a limit send none.
    expect((await client.createOrder('REF-2')).headers.get('ratelimit-limit')).toBeNull();
  });
});

describe('Retry-After-Ms', () => {
  it('comes with every 429 by default; retryAfterMs: false leaves only Retry-After in whole seconds, as the contract promises', async () => {
    for (const retryAfterMs of [true, false]) {
      const { client } = await loggedIn({ retryAfterMs, services: { notifications: { rateLimitPerSecond: 1 } } });
      const id = await paidOrder(client);
      const refused = [await client.notify(id), await client.notify(id)][1];
      expect(refused?.status).toBe(429);
      expect(refused?.headers.get('retry-after')).toBe('1');
      if (retryAfterMs) expect(Number(refused?.headers.get('retry-after-ms'))).toBeGreaterThan(0);
      else expect(refused?.headers.get('retry-after-ms')).toBeNull();
    }
  });
});
