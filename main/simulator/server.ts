import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setMaxListeners } from 'node:events';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { resolveConfig, SERVICES, type Service, type SimConfig } from './config';
import { sampleLatency, seededRandom } from './random';
import { SlidingWindowLimiter } from './rate-limiter';
import { type SimOrder, SimState } from './state';

export interface SimRequestLogEntry {
  /** Milliseconds since the simulator started. */
  t_ms: number;
  at: string;
  service: Service | 'oauth';
  method: string;
  path: string;
  /** 0 when the connection was reset and no response was sent. */
  status: number;
  duration_ms: number;
  fault?: 'rate_limited' | 'outage' | 'error' | 'reset' | 'hang' | 'timeout' | 'commit_then_fail';
}

type Counts = Record<Service, number>;
const zeroCounts = (): Counts => ({ orders: 0, payments: 0, notifications: 0 });

export interface SimStats {
  requests: Counts;
  created: Counts;
  rate_limited: Counts;
  max_rate_per_second: Counts;
  faults: Counts;
  duplicates: { orders_per_client_reference: number; payments_per_order: number; notifications_for_unpaid_orders: number };
}

export interface Simulator {
  readonly url: string;
  readonly port: number;
  readonly state: SimState;
  config(): SimConfig;
  setConfig(patch: unknown): SimConfig;
  stats(): SimStats;
  requests(): readonly SimRequestLogEntry[];
  reset(): void;
  close(): Promise<void>;
}

export interface StartSimulatorOptions {
  port?: number;
  /** Partial config; merged over the defaults. */
  config?: unknown;
  /** SQLite file that keeps state across restarts. */
  persistFile?: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
  }
}

const MAX_BODY_BYTES = 1 << 20;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const OrderBody = z.object({
  customer_id: z.string().min(1),
  customer_name: z.string().min(1),
  items: z
    .array(z.object({ sku: z.string().min(1), quantity: z.number().int().positive(), unit_price: z.number().int().nonnegative() }))
    .min(1),
  total_amount: z.number().int().nonnegative(),
  currency: z.literal('JPY'),
  shipping_address: z.string().min(1),
  client_reference: z.string().min(1).max(200),
});
const PaymentBody = z.object({
  order_id: z.string().min(1),
  amount: z.number(),
  currency: z.string(),
  payment_method: z.literal('credit_card'),
  card_token: z.string().min(1),
});
const NotificationBody = z.object({
  order_id: z.string().min(1),
  channel: z.literal('email'),
  recipient: z.email(),
  template: z.string().min(1),
});

function serviceFor(pathname: string): Service | null {
  if (pathname === '/api/v1/orders' || pathname.startsWith('/api/v1/orders/')) return 'orders';
  if (pathname === '/api/v1/payments' || pathname.startsWith('/api/v1/payments/')) return 'payments';
  if (pathname === '/api/v1/notifications') return 'notifications';
  return null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'BODY_TOO_LARGE');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'MALFORMED_JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * Starts the reference backend on 127.0.0.1: OAuth client credentials, orders, payments (1:1 with an
 * order), notifications, per-service exact rate limits and fault injection, plus the /__sim inspection API.
 */
export async function startSimulator(options: StartSimulatorOptions = {}): Promise<Simulator> {
  let config = resolveConfig(undefined, options.config);
  const state = new SimState(options.persistFile);
  const startedAt = performance.now();
  const jwtSecret = randomBytes(32);
  const verifiedTokens = new Map<string, number>();
  // Aborts pending latency and hang timers on close, so a closed simulator holds no timers.
  const shutdown = new AbortController();
  // Every delayed response (latency, hangs) waits on this one signal: many at once is normal, not a leak.
  setMaxListeners(100_000, shutdown.signal);
  const wait = (ms: number) => sleep(ms, undefined, { signal: shutdown.signal });
  let random = seededRandom(config.seed);
  let limiters = makeLimiters(config);
  let arrivals = makeLimiters(null);
  let log: SimRequestLogEntry[] = [];
  let counters = {
    requests: zeroCounts(),
    created: zeroCounts(),
    rate_limited: zeroCounts(),
    max_rate_per_second: zeroCounts(),
    faults: zeroCounts(),
  };

  function makeLimiters(cfg: SimConfig | null): Record<Service, SlidingWindowLimiter> {
    return {
      orders: new SlidingWindowLimiter(cfg?.services.orders.rateLimitPerSecond ?? null),
      payments: new SlidingWindowLimiter(cfg?.services.payments.rateLimitPerSecond ?? null),
      notifications: new SlidingWindowLimiter(cfg?.services.notifications.rateLimitPerSecond ?? null),
    };
  }

  const elapsed = () => performance.now() - startedAt;

  async function issueToken(req: IncomingMessage): Promise<unknown> {
    const form = new URLSearchParams(await readBody(req));
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    const basic = req.headers.authorization?.match(/^Basic\s+(.+)$/i)?.[1];
    if (basic) {
      const [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id ?? '');
      clientSecret = decodeURIComponent(secret ?? '');
    }
    if (form.get('grant_type') !== 'client_credentials') throw new HttpError(400, 'unsupported_grant_type');
    if (clientId !== config.clientId || clientSecret !== config.clientSecret) throw new HttpError(401, 'invalid_client');
    const expiresIn = config.tokenLifetimeSeconds;
    const token = await new SignJWT({ scope: 'orders payments notifications' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(clientId)
      .setIssuer('order-stager-simulator')
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
      .sign(jwtSecret);
    return { access_token: token, token_type: 'Bearer', expires_in: expiresIn };
  }

  async function authenticate(req: IncomingMessage): Promise<void> {
    const token = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token) throw new HttpError(401, 'MISSING_TOKEN', { 'www-authenticate': 'Bearer' });
    const nowSeconds = Date.now() / 1000;
    const cachedExp = verifiedTokens.get(token);
    if (cachedExp !== undefined) {
      if (cachedExp > nowSeconds) return;
      throw new HttpError(401, 'TOKEN_EXPIRED', { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    try {
      const { payload } = await jwtVerify(token, jwtSecret, { issuer: 'order-stager-simulator', algorithms: ['HS256'] });
      if (verifiedTokens.size > 10_000) verifiedTokens.clear();
      verifiedTokens.set(token, payload.exp ?? 0);
    } catch (error) {
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw new HttpError(401, expired ? 'TOKEN_EXPIRED' : 'INVALID_TOKEN', { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
  }

  function findOrder(id: string): SimOrder {
    const order = state.orders.get(id);
    if (!order) throw new HttpError(404, 'ORDER_NOT_FOUND');
    return order;
  }

  /** Runs the business call. Returns the response; `committed` says whether state changed. */
  async function route(service: Service, req: IncomingMessage, url: URL): Promise<{ status: number; body: unknown; committed: boolean }> {
    const method = req.method ?? 'GET';
    const parts = url.pathname.split('/').filter(Boolean); // api, v1, <service>, ...
    if (service === 'orders') {
      if (method === 'POST' && parts.length === 3) {
        const parsed = OrderBody.safeParse(parseJson(await readBody(req)));
        if (!parsed.success) throw new HttpError(422, 'INVALID_ORDER');
        const sum = parsed.data.items.reduce((total, item) => total + item.quantity * item.unit_price, 0);
        if (sum !== parsed.data.total_amount) throw new HttpError(422, 'TOTAL_MISMATCH');
        const { currency: _currency, ...input } = parsed.data;
        const order = state.createOrder(input);
        counters.created.orders += 1;
        return { status: 201, body: order, committed: true };
      }
      if (method === 'GET' && parts.length === 3) {
        const reference = url.searchParams.get('client_reference');
        if (!config.orderLookupEnabled) throw new HttpError(404, 'NOT_FOUND');
        if (!reference) throw new HttpError(400, 'CLIENT_REFERENCE_REQUIRED');
        return { status: 200, body: state.ordersByReference.get(reference) ?? [], committed: false };
      }
      if (method === 'GET' && parts.length === 4)
        return { status: 200, body: findOrder(decodeURIComponent(parts[3] ?? '')), committed: false };
    }
    if (service === 'payments') {
      if (method === 'POST' && parts.length === 3) {
        const parsed = PaymentBody.safeParse(parseJson(await readBody(req)));
        if (!parsed.success) throw new HttpError(422, 'INVALID_PAYMENT');
        const { amount, currency, card_token: cardToken } = parsed.data;
        if (currency !== 'JPY') throw new HttpError(422, 'CURRENCY_NOT_SUPPORTED');
        if (!Number.isInteger(amount)) throw new HttpError(422, 'AMOUNT_NOT_INTEGER_YEN');
        if (amount < config.minAmount || amount > config.maxAmount) throw new HttpError(422, 'AMOUNT_OUT_OF_RANGE');
        const order = findOrder(parsed.data.order_id);
        if (state.paymentsByOrder.has(order.id)) throw new HttpError(409, 'PAYMENT_EXISTS');
        if (amount !== order.total_amount) throw new HttpError(422, 'AMOUNT_MISMATCH');
        if (config.declinedTokens.includes(cardToken)) throw new HttpError(402, 'CARD_DECLINED');
        const payment = state.createPayment(order, amount);
        counters.created.payments += 1;
        return { status: 201, body: payment, committed: true };
      }
      if (method === 'GET' && parts.length === 5 && parts[3] === 'by-order') {
        const payment = state.paymentsByOrder.get(decodeURIComponent(parts[4] ?? ''))?.[0];
        if (!payment) throw new HttpError(404, 'PAYMENT_NOT_FOUND');
        return { status: 200, body: payment, committed: false };
      }
    }
    if (service === 'notifications' && method === 'POST' && parts.length === 3) {
      const parsed = NotificationBody.safeParse(parseJson(await readBody(req)));
      if (!parsed.success) throw new HttpError(422, 'INVALID_NOTIFICATION');
      const order = findOrder(parsed.data.order_id);
      const notification = state.createNotification(order, parsed.data.template);
      counters.created.notifications += 1;
      return { status: 202, body: { id: notification.id, order_id: order.id, status: 'QUEUED' }, committed: true };
    }
    throw new HttpError(
      method === 'GET' || method === 'POST' ? 404 : 405,
      method === 'GET' || method === 'POST' ? 'NOT_FOUND' : 'METHOD_NOT_ALLOWED',
    );
  }

  async function handleService(
    service: Service,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    entry: SimRequestLogEntry,
  ): Promise<void> {
    const t = elapsed();
    counters.requests[service] += 1;
    counters.max_rate_per_second[service] = Math.max(counters.max_rate_per_second[service], arrivals[service].record(t));
    const serviceConfig = config.services[service];
    const { faults } = serviceConfig;
    // Draw the same random numbers for every call, whatever the config, so a seed gives one fixed sequence.
    const faultDraw = random();
    const latencyMs = sampleLatency(faults.latency, random);
    const commitDraw = random();

    const limit = limiters[service].tryAcquire(t);
    if (!limit.ok) {
      counters.rate_limited[service] += 1;
      entry.fault = 'rate_limited';
      throw new HttpError(429, 'RATE_LIMITED', {
        'retry-after': String(Math.ceil(limit.retryAfterMs / 1000)),
        'retry-after-ms': String(Math.ceil(limit.retryAfterMs)),
      });
    }
    await authenticate(req);
    const now = Date.now();
    if (faults.outages.some((o) => now >= o.fromMs && now < o.toMs)) {
      counters.faults[service] += 1;
      entry.fault = 'outage';
      throw new HttpError(503, 'SERVICE_UNAVAILABLE', { 'retry-after': '1' });
    }
    let threshold = faults.resetRate;
    if (faultDraw < threshold) {
      counters.faults[service] += 1;
      entry.fault = 'reset';
      req.socket.destroy();
      return;
    }
    threshold += faults.errorRate;
    if (faultDraw < threshold) {
      counters.faults[service] += 1;
      entry.fault = 'error';
      const statuses = faults.errorStatuses;
      throw new HttpError(statuses[Math.floor(faultDraw * 1e6) % statuses.length] ?? 500, 'INJECTED_ERROR');
    }
    threshold += faults.hangRate;
    if (faultDraw < threshold || latencyMs >= serviceConfig.timeoutMs) {
      // The backend gives up at its documented timeout without committing anything.
      counters.faults[service] += 1;
      entry.fault = faultDraw < threshold ? 'hang' : 'timeout';
      await wait(serviceConfig.timeoutMs);
      throw new HttpError(504, 'TIMEOUT');
    }
    if (latencyMs > 0) await wait(latencyMs);
    const result = await route(service, req, url);
    if (result.committed && commitDraw < faults.commitThenFailRate) {
      counters.faults[service] += 1;
      entry.fault = 'commit_then_fail';
      entry.status = 0;
      req.socket.destroy();
      return;
    }
    entry.status = result.status;
    send(res, result.status, result.body);
  }

  function inspection(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> | void {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return send(res, 403, { error: { code: 'FORBIDDEN' } });
    const method = req.method ?? 'GET';
    switch (`${method} ${url.pathname}`) {
      case 'GET /__sim/stats':
        return send(res, 200, stats());
      case 'GET /__sim/requests': {
        const service = url.searchParams.get('service');
        return send(res, 200, service ? log.filter((e) => e.service === service) : log);
      }
      case 'GET /__sim/records':
        return send(res, 200, {
          orders: [...state.orders.values()],
          payments: [...state.paymentsById.values()],
          notifications: state.notifications,
        });
      case 'GET /__sim/config':
        return send(res, 200, publicConfig());
      case 'POST /__sim/reset':
        reset();
        return send(res, 200, { ok: true });
      case 'PUT /__sim/config':
        return readBody(req).then((text) => {
          try {
            setConfig(parseJson(text));
            send(res, 200, publicConfig());
          } catch (error) {
            send(res, 400, {
              error: { code: 'INVALID_CONFIG', message: error instanceof z.ZodError ? z.prettifyError(error) : String(error) },
            });
          }
        });
      default:
        return send(res, 404, { error: { code: 'NOT_FOUND' } });
    }
  }

  const publicConfig = () => ({ ...config, clientSecret: undefined });

  function setConfig(patch: unknown): SimConfig {
    const next = resolveConfig(config, patch);
    if (next.seed !== config.seed) random = seededRandom(next.seed);
    config = next;
    for (const service of SERVICES) limiters[service].setLimit(config.services[service].rateLimitPerSecond);
    return config;
  }

  function stats(): SimStats {
    return { ...structuredClone(counters), duplicates: state.duplicates() };
  }

  function reset(): void {
    state.clear();
    log = [];
    counters = {
      requests: zeroCounts(),
      created: zeroCounts(),
      rate_limited: zeroCounts(),
      max_rate_per_second: zeroCounts(),
      faults: zeroCounts(),
    };
    limiters = makeLimiters(config);
    arrivals = makeLimiters(null);
    random = seededRandom(config.seed);
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/__sim/')) {
      Promise.resolve(inspection(req, res, url)).catch(() => send(res, 500, { error: { code: 'INTERNAL' } }));
      return;
    }
    const service = serviceFor(url.pathname);
    const entry: SimRequestLogEntry = {
      t_ms: Math.round(elapsed() * 10) / 10,
      at: new Date().toISOString(),
      service: service ?? 'oauth',
      method: req.method ?? 'GET',
      path: url.pathname,
      status: 0,
      duration_ms: 0,
    };
    const work =
      url.pathname === '/oauth/token' && req.method === 'POST'
        ? issueToken(req).then((body) => {
            entry.status = 200;
            send(res, 200, body, { 'cache-control': 'no-store' });
          })
        : service
          ? handleService(service, req, res, url, entry)
          : Promise.reject(new HttpError(404, 'NOT_FOUND'));
    work
      .catch((error: unknown) => {
        const http = error instanceof HttpError ? error : new HttpError(500, 'INTERNAL');
        entry.status = http.status;
        // Error bodies carry a code only: never the request's data, a stack trace or SQL.
        send(res, http.status, { error: { code: http.code } }, http.headers);
      })
      .finally(() => {
        entry.duration_ms = Math.round((performance.now() - started) * 10) / 10;
        if (service) log.push(entry);
      });
  });
  server.keepAliveTimeout = 10_000;
  // Requests are bounded by the per-service timeouts above; the socket limits are for abandoned clients.
  server.requestTimeout = 120_000;
  server.headersTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    state,
    config: () => config,
    setConfig,
    stats,
    requests: () => log,
    reset,
    close: async () => {
      shutdown.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      state.close();
    },
  };
}
