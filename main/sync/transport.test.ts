import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GOOD_TOKEN, json, type Running, startHostile, streamHuge, TEST_HOST, testLookup } from '../../tests/helpers/hostile';
import { fastSettings, localStates, stagedStore } from '../../tests/helpers/sync';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { AppError } from '../shared/errors';
import type { Store } from '../store/database';
import { writeSetting } from '../store/settings';
import { connectBackend } from './backend';
import { BackendClient } from './client';
import { SyncEngine } from './engine';
import { RateLimiter } from './limits';
import { type FetchLike, MAX_RESPONSE_BYTES, nodeFetch } from './transport';

const tempDir = tempDirsPerTest();
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function hostile(handler: Parameters<typeof startHostile>[0]): Promise<Running> {
  const server = await startHostile(handler);
  cleanup.push(() => server.close());
  return server;
}

const TIMEOUTS = { orders: 1500, payments: 1500, notifications: 1500 };

function staged(orders: number) {
  const { store, batchId } = stagedStore(tempDir(), orders);
  // Lanes still finishing a call when a run ends with an error write their outcome: let them, then close.
  cleanup.push(async () => {
    await sleep(200);
    store.close();
  });
  return { store, batchId };
}

function engineAt(store: Store, baseUrl: string, fetch?: FetchLike) {
  const client = new BackendClient({ baseUrl, clientId: 'client', clientSecret: 'the-secret', timeoutsMs: TIMEOUTS, fetch });
  return { client, engine: new SyncEngine(store.db, client, fastSettings(), 'tester') };
}

async function runError(run: Promise<unknown>): Promise<{ code: string; params: Record<string, unknown> }> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).toInfo();
}

/** A contract-shaped backend whose order answers come from `orderAnswer` (by order request number). */
function backend(
  orderAnswer: (res: ServerResponse, index: number, req: IncomingMessage) => void,
  later: { payment?: (res: ServerResponse, index: number) => void; notification?: (res: ServerResponse, index: number) => void } = {},
) {
  let orders = 0;
  let payments = 0;
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '';
    if (path === '/oauth/token') return json(res, 200, GOOD_TOKEN);
    if (req.method === 'POST' && path === '/api/v1/orders') return orderAnswer(res, orders++, req);
    if (req.method === 'GET' && path.startsWith('/api/v1/orders?')) return json(res, 200, []);
    if (path === '/api/v1/payments') {
      payments += 1;
      if (later.payment) return later.payment(res, payments);
      return json(res, 201, {
        id: `p${payments}`,
        transaction_id: `00000000-0000-4000-8000-${String(payments).padStart(12, '0')}`,
        status: 'OK',
      });
    }
    if (path === '/api/v1/notifications')
      return later.notification ? later.notification(res, payments) : json(res, 202, { id: `n${payments}` });
    json(res, 404, { error: { code: 'NOT_FOUND' } });
  };
}

function syncRows(store: Store) {
  return store.db.prepare('SELECT state, backend_order_id, error_class, error_code, detail FROM sync_state ORDER BY order_id').all() as {
    state: string;
    backend_order_id: string | null;
    error_class: string | null;
    error_code: string | null;
    detail: string;
  }[];
}

describe('redirects are never followed', () => {
  it('a 307 from /oauth/token ends the run with BACKEND_REDIRECT; the other host receives nothing', async () => {
    const other = await hostile((_req, res) => json(res, 200, GOOD_TOKEN));
    const first = await hostile((_req, res) => {
      res.writeHead(307, { location: `${other.url}/oauth/token` }).end();
    });
    const { store, batchId } = staged(3);
    const error = await runError(engineAt(store, first.url).engine.run([batchId]));
    expect(error).toEqual({ code: 'BACKEND_REDIRECT', params: { host: '127.0.0.1' } });
    expect(first.requests.map((r) => r.path)).toContain('/oauth/token');
    expect(other.requests).toEqual([]);
    // Nothing was sent, so nothing is "in flight" (the next run would otherwise wait to look orders up).
    expect(localStates(store).map((r) => r.state)).toEqual(['queued', 'queued', 'queued']);
  });

  it('a 307 on POST /orders ends the run; no order body reaches the other host and nothing is marked done', async () => {
    const other = await hostile((_req, res) => json(res, 201, { id: 'stolen', status: 'PENDING' }));
    const first = await hostile(
      backend((res) => {
        res.writeHead(307, { location: `${other.url}/api/v1/orders` }).end();
      }),
    );
    const { store, batchId } = staged(7);
    const error = await runError(engineAt(store, first.url).engine.run([batchId]));
    expect(error.code).toBe('BACKEND_REDIRECT');
    expect(first.requests.filter((r) => r.path === '/api/v1/orders').length).toBeGreaterThan(0);
    expect(other.requests).toEqual([]);
    // The orders sent stay "in flight": the next run looks them up before anything is sent again.
    await sleep(200);
    expect(localStates(store).filter((r) => r.backend_order_id !== null || r.state === 'done')).toEqual([]);
  });
});

describe('backend answers are checked', () => {
  it('malformed order answers are per-order failures recorded on the order, never done without a backend id', async () => {
    const bodies = [
      '[]',
      'null',
      '{"id":null,"status":"PENDING"}',
      '{"id":{},"status":"PENDING"}',
      'not json',
      '{"id":"","status":"PENDING"}',
      '{"id":"o1\\r\\nX-Injected: 1","status":"PENDING"}',
      '{"id":"o\\u202e1","status":"PENDING"}',
      '{"id":"o\\u00001","status":"PENDING"}',
    ];
    const server = await hostile(
      backend((res, index) => (index < bodies.length ? json(res, 201, bodies[index]) : json(res, 201, { id: 42, status: 'PENDING' }))),
    );
    const { store, batchId } = staged(10);
    const summary = await engineAt(store, server.url).engine.run([batchId]);
    expect(summary.orders).toMatchObject({ total: 10, done: 1, needs_review: 9, failed: 0 });
    const rows = syncRows(store);
    const review = rows.filter((r) => r.state === 'needs_review');
    expect(review).toHaveLength(9);
    for (const row of review) {
      expect(row).toMatchObject({ backend_order_id: null, error_class: 'bad_response', error_code: 'BACKEND_BAD_RESPONSE' });
      expect(JSON.parse(row.detail)).toMatchObject({ status: 201 });
    }
    expect(review.map((r) => JSON.parse(r.detail).reason).sort()).toEqual(['not_json', ...Array(8).fill('schema')]);
    // A numeric id is kept as its decimal text; that order went on to payment and notification.
    expect(rows.find((r) => r.state === 'done')?.backend_order_id).toBe('42');
    // Each needs-review order was sent once: nothing was re-created.
    expect(server.requests.filter((r) => r.path === '/api/v1/orders' && r.method === 'POST')).toHaveLength(10);
  });

  it('a malformed payment answer needs review (it may be paid: never paid again); a malformed notification answer fails', async () => {
    let orders = 0;
    const paymentBodies = ['{}', '{"id":"p1","status":"OK"}', '{"id":"p2","transaction_id":"","status":"OK"}'];
    const server = await hostile(
      backend((res) => json(res, 201, { id: `o${++orders}`, status: 'PENDING' }), {
        payment: (res, n) =>
          n <= paymentBodies.length
            ? json(res, 201, paymentBodies[n - 1])
            : json(res, 201, { id: `p${n}`, transaction_id: `t${n}`, status: 'OK' }),
        notification: (res) => json(res, 202, '[]'),
      }),
    );
    const { store, batchId } = staged(5);
    const summary = await engineAt(store, server.url).engine.run([batchId]);
    expect(summary.orders).toMatchObject({ done: 0, needs_review: 3, failed: 2 });
    const rows = store.db.prepare('SELECT state, failed_step, error_code, backend_order_id, payment_id FROM sync_state').all() as Record<
      string,
      unknown
    >[];
    for (const row of rows)
      expect(row).toMatchObject({ error_code: 'BACKEND_BAD_RESPONSE', backend_order_id: expect.stringMatching(/^o\d$/) });
    expect(rows.filter((r) => r.state === 'needs_review').map((r) => r.failed_step)).toEqual(['payment', 'payment', 'payment']);
    expect(rows.filter((r) => r.state === 'failed')).toEqual([
      expect.objectContaining({ failed_step: 'notification', payment_id: expect.any(String) }),
      expect.objectContaining({ failed_step: 'notification', payment_id: expect.any(String) }),
    ]);
    expect(server.requests.filter((r) => r.path === '/api/v1/payments')).toHaveLength(5);
  });

  it('a huge answer is cut off at 1 MB while it streams: the order needs review, memory stays low', async () => {
    const streams: { written: () => number }[] = [];
    const server = await hostile(backend((res) => streams.push(streamHuge(res, 600 * 1024 * 1024))));
    const { store, batchId } = staged(3);
    const before = process.memoryUsage().rss;
    const started = performance.now();
    const summary = await engineAt(store, server.url).engine.run([batchId]);
    const grownMb = (process.memoryUsage().rss - before) / 1024 / 1024;
    expect(summary.orders).toMatchObject({ needs_review: 3, done: 0 });
    for (const row of syncRows(store)) {
      expect(row.error_code).toBe('BACKEND_BAD_RESPONSE');
      expect(JSON.parse(row.detail).reason).toBe('too_large');
    }
    await sleep(100);
    // The server could write little more than the cap plus socket buffers before the client hung up.
    for (const stream of streams) expect(stream.written()).toBeLessThan(64 * 1024 * 1024);
    expect(grownMb).toBeLessThan(100);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it.each([
    ['not JSON', (res: ServerResponse) => json(res, 200, '<html>login</html>'), 'not_json'],
    ['another token type', (res: ServerResponse) => json(res, 200, { ...GOOD_TOKEN, token_type: 'mac' }), 'schema'],
    ['no access token', (res: ServerResponse) => json(res, 200, { token_type: 'Bearer', expires_in: 60 }), 'schema'],
    ['a huge body', (res: ServerResponse) => void streamHuge(res, 600 * 1024 * 1024, 200), 'too_large'],
    ['404', (res: ServerResponse) => json(res, 404, {}), 'status'],
  ])(
    'a token answer with %s ends the run at once with BACKEND_BAD_RESPONSE (never offline, never a hang)',
    async (_name, answer, reason) => {
      const server = await hostile((req, res) => (req.url === '/oauth/token' ? answer(res) : json(res, 500, {})));
      const { store, batchId } = staged(2);
      const started = performance.now();
      const error = await runError(engineAt(store, server.url).engine.run([batchId]));
      expect(error).toMatchObject({ code: 'BACKEND_BAD_RESPONSE', params: { host: '127.0.0.1', call: 'token', reason } });
      expect(performance.now() - started).toBeLessThan(5000);
      expect(server.requests.filter((r) => r.path !== '/oauth/token')).toEqual([]);
    },
  );

  it('a token lifetime of a millisecond is taken as 2 s: a token request a second at most, not one per call', async () => {
    const server = await hostile((req, res) =>
      req.url === '/oauth/token'
        ? json(res, 200, { access_token: 'short', token_type: 'bearer', expires_in: 0.001 })
        : backend((r, i) => json(r, 201, { id: `o${i}`, status: 'PENDING' }))(req, res),
    );
    const { store, batchId } = staged(10);
    const { engine, client } = engineAt(store, server.url);
    const started = performance.now();
    const summary = await engine.run([batchId]);
    expect(summary.orders.done).toBe(10);
    const calls = summary.requests.orders + summary.requests.payments + summary.requests.notifications;
    expect(calls).toBe(30);
    expect(client.tokenRequests).toBeLessThanOrEqual(1 + Math.ceil((performance.now() - started) / 1000));
  });

  it('a token answer without expires_in gets a default lifetime: one token request for the whole run', async () => {
    const server = await hostile((req, res) =>
      req.url === '/oauth/token'
        ? json(res, 200, { access_token: 'short', token_type: 'bearer' })
        : backend((r, i) => json(r, 201, { id: `o${i}`, status: 'PENDING' }))(req, res),
    );
    const { store, batchId } = staged(10);
    const { engine, client } = engineAt(store, server.url);
    const summary = await engine.run([batchId]);
    expect(summary.orders.done).toBe(10);
    expect(client.tokenRequests).toBe(1);
    expect(server.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(1);
  });
});

describe('RateLimit headers', () => {
  const budgetHeaders = (remaining: number) => ({
    'ratelimit-limit': '10',
    'ratelimit-remaining': String(remaining),
    'ratelimit-reset': '1',
  });

  /** Stages `orders` orders, syncs them against a backend whose n-th notification (from 1) `notify` answers; spies on the limiters. */
  async function syncWithNotifications(orders: number, notify: (res: ServerResponse, n: number) => void) {
    let notified = 0;
    const server = await hostile(
      backend((res, index) => json(res, 201, { id: `o${index}`, status: 'PENDING' }), {
        notification: (res) => {
          notified += 1;
          notify(res, notified);
        },
      }),
    );
    const observe = vi.spyOn(RateLimiter.prototype, 'observe');
    const answered = vi.spyOn(RateLimiter.prototype, 'answered');
    cleanup.push(() => vi.restoreAllMocks());
    const { store, batchId } = staged(orders);
    await engineAt(store, server.url).engine.run([batchId]);
    return { states: localStates(store).map((r) => r.state), notified, observe, answered };
  }

  it("each answer's budget reaches the limiter with the send time of the call it answers", async () => {
    const { states, observe, answered } = await syncWithNotifications(3, (res, n) =>
      json(res, 202, { id: `n${n}` }, budgetHeaders(10 - n)),
    );
    expect(states).toEqual(['done', 'done', 'done']);
    // Only the notifications carried headers: three budgets, each with the time its own call went out.
    expect(observe.mock.calls.map(([budget]) => budget.remaining).sort()).toEqual([7, 8, 9]);
    for (const [index, [budget, sentAt]] of observe.mock.calls.entries()) {
      expect(budget).toEqual({ limit: 10, remaining: budget.remaining, resetS: 1 });
      const limiter = observe.mock.contexts[index];
      const answeredBySame = answered.mock.calls.filter((_, i) => answered.mock.contexts[i] === limiter).map(([at]) => at);
      expect(answeredBySame).toContain(sentAt);
    }
  });

  it('the budget of a 401 answer is not passed on with the retried call that answered without one', async () => {
    const { states, notified, observe } = await syncWithNotifications(1, (res, n) =>
      n === 1 ? json(res, 401, { error: { code: 'TOKEN_EXPIRED' } }, budgetHeaders(3)) : json(res, 202, { id: `n${n}` }),
    );
    expect(states).toEqual(['done']);
    expect(notified).toBe(2);
    expect(observe).not.toHaveBeenCalled();
  });
});

describe('where requests may go', () => {
  it('refuses plain http to a non-loopback name before anything is sent (the name would reach a listening server)', async () => {
    const server = await hostile((_req, res) => json(res, 200, GOOD_TOKEN));
    const url = `http://${TEST_HOST}:${server.port}`;
    expect(
      () =>
        new BackendClient({
          baseUrl: url,
          clientId: 'c',
          clientSecret: 's',
          timeoutsMs: TIMEOUTS,
          fetch: nodeFetch({ lookup: testLookup }),
        }),
    ).toThrow(expect.objectContaining({ code: 'BACKEND_URL_INSECURE', params: { host: TEST_HOST } }));
    for (const baseUrl of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      `http://user:pw@127.0.0.1:${server.port}`,
      `${server.url}/?api_key=k`,
    ])
      expect(() => new BackendClient({ baseUrl, clientId: 'c', clientSecret: 's', timeoutsMs: TIMEOUTS })).toThrow(
        expect.objectContaining({ code: 'BACKEND_URL_INVALID' }),
      );
    expect(server.requests).toEqual([]);
  });

  it('sends the stored secret only to the stored backend origin; another URL needs its own secret', async () => {
    const server = await hostile((_req, res) => json(res, 200, GOOD_TOKEN));
    const { store } = staged(1);
    writeSetting(store.db, 'backendUrl', 'https://orders.example.co.jp/');
    writeSetting(store.db, 'backendClientId', 'stored-id');
    writeSetting(store.db, 'backendClientSecret', 'stored-secret');
    await expect(connectBackend(store.db, { url: server.url })).rejects.toMatchObject({
      code: 'BACKEND_SECRET_REQUIRED',
      params: { host: '127.0.0.1' },
    });
    const given = await connectBackend(store.db, { url: server.url, clientSecret: 'given-secret' });
    await given.client.findOrders('R1');
    const token = server.requests.find((r) => r.path === '/oauth/token');
    expect(new URLSearchParams(token?.body).get('client_secret')).toBe('given-secret');
    expect(server.requests.map((r) => r.body).join()).not.toContain('stored-secret');
  });
});

describe('the fetch seam (Electron net.fetch in the desktop app)', () => {
  function fake(answer: (url: string, init: RequestInit) => Promise<Response>) {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetch: FetchLike = (url, init) => {
      calls.push({ url, init });
      return answer(url, init);
    };
    const client = new BackendClient({
      baseUrl: 'https://orders.example.co.jp',
      clientId: 'c',
      clientSecret: 's',
      timeoutsMs: TIMEOUTS,
      fetch,
    });
    return { calls, client };
  }
  const token = () => new Response(JSON.stringify(GOOD_TOKEN), { status: 200 });

  it('uses the given fetch for every request, always with redirect: error, and checks its answers', async () => {
    const { calls, client } = fake(async (url) =>
      url.endsWith('/oauth/token') ? token() : new Response(JSON.stringify({ id: 7, status: 'PENDING' }), { status: 201 }),
    );
    expect(await client.createOrder({}, 'k')).toEqual({ kind: 'ok', status: 201, body: { id: '7', status: 'PENDING' } });
    expect(calls.map((c) => c.url)).toEqual(['https://orders.example.co.jp/oauth/token', 'https://orders.example.co.jp/api/v1/orders']);
    for (const call of calls) expect(call.init.redirect).toBe('error');
  });

  it('enforces the body cap, the schemas and no redirects on whatever the fetch returns', async () => {
    let pulled = 0;
    const endless = () =>
      new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled += 256 * 1024;
          controller.enqueue(new Uint8Array(256 * 1024));
        },
      });
    const huge = fake(async (url) => (url.endsWith('/oauth/token') ? token() : new Response(endless(), { status: 201 })));
    expect(await huge.client.createOrder({}, 'k')).toEqual({ kind: 'bad_response', status: 201, reason: 'too_large' });
    // Read no further than the cap (plus what the stream had queued).
    expect(pulled).toBeLessThanOrEqual(MAX_RESPONSE_BYTES + 2 * 256 * 1024);
    expect(MAX_RESPONSE_BYTES).toBe(1024 * 1024);
    const malformed = fake(async (url) => (url.endsWith('/oauth/token') ? token() : new Response('[]', { status: 201 })));
    expect(await malformed.client.createOrder({}, 'k')).toEqual({ kind: 'bad_response', status: 201, reason: 'schema' });
    // A fetch that hands back a redirect instead of failing on it (e.g. redirect mode ignored) is still refused.
    const redirected = fake(async (url) =>
      url.endsWith('/oauth/token') ? token() : new Response(null, { status: 302, headers: { location: 'https://evil.example/' } }),
    );
    await expect(redirected.client.createOrder({}, 'k')).rejects.toMatchObject({ code: 'BACKEND_REDIRECT' });
  });

  it("understands Chromium's errors: certificate errors end the run, refused connections are offline", async () => {
    const tls = fake(async () => {
      throw new TypeError('net::ERR_CERT_AUTHORITY_INVALID');
    });
    await expect(tls.client.createOrder({}, 'k')).rejects.toMatchObject({
      code: 'BACKEND_TLS_ERROR',
      params: { host: 'orders.example.co.jp' },
    });
    const refused = fake(async () => {
      throw new TypeError('net::ERR_CONNECTION_REFUSED');
    });
    expect(await refused.client.createOrder({}, 'k')).toEqual({ kind: 'network', sent: false });
  });
});
