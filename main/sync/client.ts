import { AppError } from '../shared/errors';

export type Service = 'orders' | 'payments' | 'notifications';

/** What one call came to. Only `ok` and `rejected` are definite; the rest are retried or reconciled. */
export type Outcome<T> =
  | { kind: 'ok'; status: number; body: T }
  /** A definite 4xx answer (400, 402, 404, 409, 422): the call was processed and refused. */
  | { kind: 'rejected'; status: number; code: string }
  | { kind: 'throttled'; retryAfterMs: number }
  /** 5xx: for a write, the backend may or may not have committed. */
  | { kind: 'unavailable'; status: number }
  /** No answer in time: unknown outcome. */
  | { kind: 'timeout' }
  /** `sent: false` when the connection was refused (nothing reached the backend). */
  | { kind: 'network'; sent: boolean };

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
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutsMs: Record<Service, number>;
  paths?: BackendPaths;
}

export interface BackendOrder {
  id: string;
  status: string;
  client_reference: string;
}
export interface BackendPayment {
  id: string;
  order_id: string;
  transaction_id: string;
  status: string;
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function networkCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as { code?: string }).code;
}

/**
 * The REST client for the single-entry services. It never retries by itself (the engine decides, per
 * outcome); it only refreshes the OAuth token once on a 401, which the backend answers before doing anything.
 * Credentials and tokens are never logged.
 */
export class BackendClient {
  private token: { value: string; refreshAt: number } | null = null;
  /** The token request under way: concurrent callers share it instead of each fetching a token. */
  private pending: Promise<string> | null = null;
  private readonly paths: BackendPaths;
  tokenRequests = 0;

  constructor(private readonly options: BackendOptions) {
    this.paths = options.paths ?? DEFAULT_PATHS;
  }

  private async fetchToken(): Promise<string> {
    this.tokenRequests += 1;
    let response: Response;
    try {
      response = await fetch(new URL(this.paths.token, this.options.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: this.options.clientId,
          client_secret: this.options.clientSecret,
        }),
        signal: AbortSignal.timeout(this.options.timeoutsMs.orders),
      });
    } catch (error) {
      throw new AppError('SYNC_BACKEND_UNREACHABLE', {}, { cause: networkCode(error) });
    }
    if (response.status === 401 || response.status === 400) throw new AppError('SYNC_AUTH_FAILED', { status: response.status });
    if (!response.ok) throw new AppError('SYNC_BACKEND_UNREACHABLE', { status: response.status });
    const body = (await response.json()) as { access_token: string; expires_in: number };
    // Refresh shortly before expiry: 30 s early for normal lifetimes, halfway through for very short ones
    // (a token is never used in its last half, nor fetched again for every call).
    const lifetimeMs = body.expires_in * 1000;
    this.token = { value: body.access_token, refreshAt: Date.now() + Math.max(lifetimeMs * 0.5, lifetimeMs - 30_000) };
    return body.access_token;
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

  private async call<T>(
    service: Service,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Outcome<T>> {
    let token: string;
    try {
      token = await this.bearer();
    } catch (error) {
      if (error instanceof AppError && error.code === 'SYNC_AUTH_FAILED') throw error;
      return { kind: 'network', sent: false };
    }
    for (let attempt = 0; attempt < 2; attempt += 1) {
      let response: Response;
      try {
        response = await fetch(new URL(path, this.options.baseUrl), {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.options.timeoutsMs[service]),
        });
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'timeout' };
        const code = networkCode(error);
        return { kind: 'network', sent: !(code && NOT_SENT.has(code)) };
      }
      let parsed: unknown = null;
      try {
        const text = await response.text();
        parsed = text ? JSON.parse(text) : null;
      } catch {
        if (response.ok) return { kind: 'unavailable', status: response.status };
      }
      if (response.status === 401 && attempt === 0) {
        try {
          token = await this.bearer(token);
        } catch (error) {
          if (error instanceof AppError && error.code === 'SYNC_AUTH_FAILED') throw error;
          return { kind: 'network', sent: false };
        }
        continue;
      }
      if (response.ok) return { kind: 'ok', status: response.status, body: parsed as T };
      if (response.status === 429) {
        const ms = Number(response.headers.get('retry-after-ms'));
        const seconds = Number(response.headers.get('retry-after'));
        return {
          kind: 'throttled',
          retryAfterMs: Number.isFinite(ms) && ms > 0 ? ms : Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000,
        };
      }
      if (response.status === 401) throw new AppError('SYNC_AUTH_FAILED', { status: 401 });
      if (response.status >= 500) return { kind: 'unavailable', status: response.status };
      const code = (parsed as { error?: { code?: string } } | null)?.error?.code ?? `HTTP_${response.status}`;
      return { kind: 'rejected', status: response.status, code: String(code).slice(0, 64) };
    }
    return { kind: 'unavailable', status: 401 };
  }

  createOrder(body: unknown, idempotencyKey: string): Promise<Outcome<BackendOrder>> {
    return this.call('orders', 'POST', this.paths.orders, body, { 'idempotency-key': idempotencyKey });
  }

  /** Orders with this client reference; `rejected` 404 means the backend has no such look-up. */
  findOrders(clientReference: string): Promise<Outcome<BackendOrder[]>> {
    return this.call('orders', 'GET', `${this.paths.orders}?client_reference=${encodeURIComponent(clientReference)}`);
  }

  createPayment(body: unknown, idempotencyKey: string): Promise<Outcome<BackendPayment>> {
    return this.call('payments', 'POST', this.paths.payments, body, { 'idempotency-key': idempotencyKey });
  }

  findPayment(orderId: string): Promise<Outcome<BackendPayment>> {
    return this.call('payments', 'GET', this.paths.paymentByOrder.replace('{order_id}', encodeURIComponent(orderId)));
  }

  sendNotification(body: unknown): Promise<Outcome<{ id: string }>> {
    return this.call('notifications', 'POST', this.paths.notifications, body);
  }
}
