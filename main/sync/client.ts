import type { z } from 'zod';
import { AppError } from '../shared/errors';
import {
  type BackendNotification,
  type BackendOrder,
  type BackendPayment,
  type BadResponseReason,
  NotificationResponse,
  OrderLookupResponse,
  OrderResponse,
  PaymentResponse,
  parseBody,
  TokenResponse,
} from './responses';
import type { RateLimitBudget } from './limits';
import { backendTarget, classifyFetchError, defaultFetch, type FetchFailure, type FetchLike, readCapped } from './transport';

const MIN_TOKEN_LIFETIME_MS = 2_000;

export type { BackendOrder, BackendPayment } from './responses';

export type Service = 'orders' | 'payments' | 'notifications';

/** No answer, but nothing that ends the run: the engine retries, reconciles or waits. */
type NoAnswer = Extract<FetchFailure, { kind: 'timeout' | 'network' }>;

/**
 * What one call came to. Only `ok` and `rejected` are definite; the rest are retried or reconciled. `budget`: the
 * window's budget from the answer's RateLimit-* headers, when it had them (the engine paces from it).
 */
export type Outcome<T> = (
  | { kind: 'ok'; status: number; body: T }
  /** A definite 4xx answer (400, 402, 404, 409, 422): the call was processed and refused. */
  | { kind: 'rejected'; status: number; code: string }
  /** A 2xx answer the app cannot use (too large, not JSON, not the expected shape): the call may have been processed. */
  | { kind: 'bad_response'; status: number; reason: BadResponseReason }
  | { kind: 'throttled'; retryAfterMs: number }
  /** 5xx: for a write, the backend may or may not have committed. */
  | { kind: 'unavailable'; status: number }
  /** No answer in time: unknown outcome. */
  | { kind: 'timeout' }
  /** `sent: false` when the connection was refused (nothing reached the backend). */
  | { kind: 'network'; sent: boolean }
) & { budget?: RateLimitBudget };

export interface BackendPaths {
  token: string;
  orders: string;
  payments: string;
  paymentByOrder: string;
  notifications: string;
}

export const DEFAULT_PATHS: BackendPaths = {
  token: '/oauth/token',
  orders: '/api/v1/orders',
  payments: '/api/v1/payments',
  paymentByOrder: '/api/v1/payments/by-order/{order_id}',
  notifications: '/api/v1/notifications',
};

export interface BackendOptions {
  /** Checked against the transport policy (https, or http on loopback only): a refused URL throws. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutsMs: Record<Service, number>;
  paths?: BackendPaths;
  /** The network stack (Electron's net.fetch in the desktop app); Node's with proxy support by default. */
  fetch?: FetchLike;
  /** Where NODE_TLS_REJECT_UNAUTHORIZED is read (process.env by default). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The REST client for the single-entry services. It never retries by itself (the engine decides, per
 * outcome); it only refreshes the OAuth token once on a 401, which the backend answers before doing anything.
 * Every request refuses redirects and reads at most MAX_RESPONSE_BYTES; every 2xx body is checked against its
 * schema. A certificate error, a redirect or an unusable token answer ends the run (thrown AppError).
 * Credentials and tokens are never logged.
 */
export class BackendClient {
  private token: { value: string; refreshAt: number } | null = null;
  /** The token request under way: concurrent callers share it instead of each fetching a token. */
  private pending: Promise<string> | null = null;
  private readonly paths: BackendPaths;
  private readonly base: URL;
  private readonly fetch: FetchLike;
  tokenRequests = 0;

  constructor(private readonly options: BackendOptions) {
    this.paths = options.paths ?? DEFAULT_PATHS;
    this.base = backendTarget(options.baseUrl, options.env ?? process.env);
    this.fetch = options.fetch ?? defaultFetch();
  }

  /** The host named in errors (never the path, credentials or query). */
  get host(): string {
    return this.base.hostname;
  }

  /** One request: a response, or why there is none. Certificate errors and redirects end the run here. */
  private async send(path: string, init: RequestInit): Promise<Response | NoAnswer> {
    const url = new URL(path, this.base);
    // A path from the settings must not move the request to another origin (e.g. `//other.example/x`).
    if (url.origin !== this.base.origin) throw new AppError('BACKEND_URL_INVALID', { reason: 'path' });
    let response: Response;
    try {
      response = await this.fetch(url.href, { ...init, redirect: 'error' });
    } catch (error) {
      return this.failure(classifyFetchError(error));
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => undefined);
      throw new AppError('BACKEND_REDIRECT', { host: this.host });
    }
    return response;
  }

  private failure(failure: FetchFailure): NoAnswer {
    if (failure.kind === 'tls') throw new AppError('BACKEND_TLS_ERROR', { host: this.host });
    if (failure.kind === 'redirect') throw new AppError('BACKEND_REDIRECT', { host: this.host });
    return failure;
  }

  /** The body, capped; a failure while reading it is classified like one before the answer. */
  private async body(response: Response): Promise<{ text: string } | { tooLarge: true } | NoAnswer> {
    try {
      return await readCapped(response);
    } catch (error) {
      return this.failure(classifyFetchError(error));
    }
  }

  private async fetchToken(): Promise<string> {
    this.tokenRequests += 1;
    const unreachable = () => new AppError('SYNC_BACKEND_UNREACHABLE', {});
    const response = await this.send(this.paths.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
      }),
      signal: AbortSignal.timeout(this.options.timeoutsMs.orders),
    });
    // (Not `instanceof Response`: each fetch implementation has its own Response class.)
    if ('kind' in response) throw unreachable();
    const { status } = response;
    if (status === 400 || status === 401 || status === 403) {
      await response.body?.cancel().catch(() => undefined);
      throw new AppError('SYNC_AUTH_FAILED', { status });
    }
    if (status === 429 || status >= 500) {
      await response.body?.cancel().catch(() => undefined);
      throw unreachable();
    }
    const bad = (reason: string) => new AppError('BACKEND_BAD_RESPONSE', { host: this.host, call: 'token', status, reason });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw bad('status');
    }
    const read = await this.body(response);
    if ('kind' in read) throw unreachable();
    if ('tooLarge' in read) throw bad('too_large');
    const parsed = parseBody(TokenResponse, read.text);
    if (!parsed.ok) throw bad(parsed.reason);
    // Refresh shortly before expiry: 30 s early for normal lifetimes, halfway through for very short ones
    // (a token is never used in its last half, nor fetched again for every call).
    // A lifetime under 2 s is taken as 2 s, so a token is fetched at most once a second (a backend answering
    // expires_in: 0.001 would cost a token request per call); if it really expires sooner, a 401 replaces it.
    const lifetimeMs = Math.max(parsed.value.expires_in * 1000, MIN_TOKEN_LIFETIME_MS);
    this.token = { value: parsed.value.access_token, refreshAt: Date.now() + Math.max(lifetimeMs * 0.5, lifetimeMs - 30_000) };
    return parsed.value.access_token;
  }

  /**
   * A valid token. `rejected` is a token the backend just answered 401 to: it is replaced unless another
   * caller has already replaced it.
   */
  private async bearer(rejected?: string): Promise<string> {
    const current = this.token;
    if (current && (rejected === undefined ? Date.now() < current.refreshAt : current.value !== rejected)) return current.value;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** A token, or null when the token service cannot be reached now (offline: the engine waits). */
  private async bearerOrOffline(rejected?: string): Promise<string | null> {
    try {
      return await this.bearer(rejected);
    } catch (error) {
      if (error instanceof AppError && error.code === 'SYNC_BACKEND_UNREACHABLE') return null;
      throw error;
    }
  }

  /** Whether a token is at hand (fetched when needed); false while the token service cannot be reached. */
  async ready(): Promise<boolean> {
    return (await this.bearerOrOffline()) !== null;
  }

  private async call<S extends z.ZodType>(
    service: Service,
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Outcome<z.output<S>>> {
    // The budget of the last answer only: a retry after a 401 that ends without an answer carries none.
    const seen: { budget: RateLimitBudget | null } = { budget: null };
    const outcome = await this.exchange(service, method, path, schema, body, headers, (budget) => {
      seen.budget = budget;
    });
    return seen.budget ? { ...outcome, budget: seen.budget } : outcome;
  }

  private async exchange<S extends z.ZodType>(
    service: Service,
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body: unknown,
    headers: Record<string, string>,
    onBudget: (budget: RateLimitBudget | null) => void,
  ): Promise<Outcome<z.output<S>>> {
    let token = await this.bearerOrOffline();
    if (token === null) return { kind: 'network', sent: false };
    for (let attempt = 0; attempt < 2; attempt += 1) {
      onBudget(null);
      const response = await this.send(path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutsMs[service]),
      });
      if ('kind' in response) return response;
      const { status } = response;
      onBudget(readBudget(response.headers));
      const read = await this.body(response);
      if ('kind' in read) return read;
      if (response.ok) {
        if ('tooLarge' in read) return { kind: 'bad_response', status, reason: 'too_large' };
        const parsed = parseBody(schema, read.text);
        return parsed.ok ? { kind: 'ok', status, body: parsed.value } : { kind: 'bad_response', status, reason: parsed.reason };
      }
      if (status === 401 && attempt === 0) {
        token = await this.bearerOrOffline(token);
        if (token === null) return { kind: 'network', sent: false };
        continue;
      }
      if (status === 429) {
        const ms = Number(response.headers.get('retry-after-ms'));
        const seconds = Number(response.headers.get('retry-after'));
        return {
          kind: 'throttled',
          retryAfterMs: Number.isFinite(ms) && ms > 0 ? ms : Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000,
        };
      }
      if (status === 401) throw new AppError('SYNC_AUTH_FAILED', { status: 401 });
      if (status >= 500) return { kind: 'unavailable', status };
      return { kind: 'rejected', status, code: errorCode('text' in read ? read.text : '', status) };
    }
    return { kind: 'unavailable', status: 401 };
  }

  createOrder(body: unknown, idempotencyKey: string): Promise<Outcome<BackendOrder>> {
    return this.call('orders', 'POST', this.paths.orders, OrderResponse, body, { 'idempotency-key': idempotencyKey });
  }

  /** Orders with this client reference; `rejected` 404 means the backend has no such look-up. */
  findOrders(clientReference: string): Promise<Outcome<BackendOrder[]>> {
    return this.call('orders', 'GET', `${this.paths.orders}?client_reference=${encodeURIComponent(clientReference)}`, OrderLookupResponse);
  }

  createPayment(body: unknown, idempotencyKey: string): Promise<Outcome<BackendPayment>> {
    return this.call('payments', 'POST', this.paths.payments, PaymentResponse, body, { 'idempotency-key': idempotencyKey });
  }

  findPayment(orderId: string): Promise<Outcome<BackendPayment>> {
    return this.call('payments', 'GET', this.paths.paymentByOrder.replace('{order_id}', encodeURIComponent(orderId)), PaymentResponse);
  }

  sendNotification(body: unknown, idempotencyKey: string): Promise<Outcome<BackendNotification>> {
    return this.call('notifications', 'POST', this.paths.notifications, NotificationResponse, body, { 'idempotency-key': idempotencyKey });
  }
}

/** RateLimit-Limit/Remaining/Reset (IETF httpapi draft), when the response carries a usable Remaining. */
export function readBudget(headers: Headers): RateLimitBudget | null {
  const number = (name: string) => {
    const text = headers.get(name);
    const value = text === null ? Number.NaN : Number(text.split(/[;,]/)[0]);
    return Number.isFinite(value) && value >= 0 ? value : null;
  };
  const remaining = number('ratelimit-remaining');
  if (remaining === null) return null;
  return { limit: number('ratelimit-limit'), remaining, resetS: number('ratelimit-reset') ?? 1 };
}

/** The backend's error code from a refusal's body (`{error: {code}}`), else `HTTP_<status>`; never more than a short code. */
function errorCode(text: string, status: number): string {
  let code: unknown;
  try {
    code = (JSON.parse(text) as { error?: { code?: unknown } } | null)?.error?.code;
  } catch {
    code = undefined;
  }
  return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : `HTTP_${status}`;
}
