import { EventEmitter, setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { appendAudit } from '../audit/log';
import { AppError, toErrorInfo } from '../shared/errors';
import type { Db } from '../store/database';
import type { BackendClient, Outcome, Service } from './client';
import { backoffMs, CircuitBreaker, RateLimiter, Semaphore } from './limits';
import { closeRun, type RunRecord } from './run-record';
import {
  acquireSyncLock,
  enqueue,
  type OrderPayloads,
  payloadsFor,
  pendingOrders,
  requeueFailed,
  type StateCounts,
  type Step,
  type SyncOrder,
  stateCounts,
  type Transition,
  transition,
} from './state';

export interface ServiceSettings {
  /** Calls per second; null = no client-side limit. */
  ratePerSecond: number | null;
  /** Jitter allowed between sending and arriving (default 20 ms): see RateLimiter. */
  jitterMs?: number;
  concurrency: number;
  timeoutMs: number;
}

export interface SyncSettings {
  services: Record<Service, ServiceSettings>;
  /** Calls per order and step before a transient failure becomes final. */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  breaker: { threshold: number; baseCooldownMs: number; maxCooldownMs: number };
  /** Orders in the pipeline at once. */
  maxActive: number;
  progressIntervalMs: number;
}

/** Defaults from the backend contract: notifications 10/s; 30 s payment and 10 s notification timeouts. */
export const DEFAULT_SYNC_SETTINGS: SyncSettings = {
  services: {
    orders: { ratePerSecond: null, concurrency: 8, timeoutMs: 30_000 },
    payments: { ratePerSecond: null, concurrency: 16, timeoutMs: 30_000 },
    notifications: { ratePerSecond: 10, concurrency: 8, timeoutMs: 10_000 },
  },
  maxAttempts: 10,
  backoffBaseMs: 250,
  backoffCapMs: 30_000,
  breaker: { threshold: 5, baseCooldownMs: 1000, maxCooldownMs: 30_000 },
  maxActive: 64,
  progressIntervalMs: 250,
};

export interface ServiceProgress {
  waiting: number;
  in_flight: number;
  done: number;
  failed: number;
  requests: number;
  rate_per_second: number;
  average_per_second: number;
  limit_per_second: number | null;
  breaker: string;
}

export interface SyncProgress {
  runId: number;
  state: 'running' | 'paused' | 'cancelling' | 'finished' | 'cancelled' | 'failed';
  elapsedS: number;
  total: number;
  done: number;
  failed: number;
  needsReview: number;
  services: Record<Service, ServiceProgress>;
  /** Seconds left: from the rate limits before the run, from measured rates during it. */
  etaS: number | null;
  yen: { staged: number; synced: number };
  retries: number;
  rateLimited: number;
}

export interface SyncSummary {
  run_id: number;
  batch_ids: number[];
  outcome: 'finished' | 'cancelled';
  orders: { total: number; done: number; failed: number; needs_review: number; remaining: number };
  duration_s: number;
  requests: Record<Service, number>;
  retries: number;
  rate_limited: number;
  yen: { staged: number; synced: number };
}

class Cancelled extends Error {}

interface Gate {
  bucket: RateLimiter;
  slots: Semaphore;
  breaker: CircuitBreaker;
  requests: number;
  completions: number[];
}

/**
 * Drives orders through Order -> Payment -> Notification. Each order has its own durable state machine;
 * different orders are at different steps at once; each service has its own rate limit, concurrency limit,
 * timeout and circuit breaker. No order or payment is ever sent twice without first finding out whether the
 * first one went through.
 */
export class SyncEngine extends EventEmitter {
  private readonly gates: Record<Service, Gate>;
  private readonly stop = new AbortController();
  private paused = false;
  private resumeWaiters: (() => void)[] = [];
  private cancelled = false;
  private retries = 0;
  private rateLimited = 0;
  private startedAt = 0;
  private runId = 0;
  private counts: StateCounts | null = null;
  private readonly settings: SyncSettings;

  constructor(
    private readonly db: Db,
    private readonly client: BackendClient,
    settings: Partial<SyncSettings> = {},
    private readonly actor = 'system',
    /** The backend identity (OAuth client id) recorded with the run in the audit log. */
    private readonly backendIdentity: string | null = null,
  ) {
    super();
    // Every waiting order listens on the one cancel signal.
    setMaxListeners(100_000, this.stop.signal);
    this.settings = { ...DEFAULT_SYNC_SETTINGS, ...settings, services: { ...DEFAULT_SYNC_SETTINGS.services, ...settings.services } };
    const gate = (service: Service): Gate => {
      const s = this.settings.services[service];
      const b = this.settings.breaker;
      return {
        bucket: new RateLimiter(s.ratePerSecond, s.jitterMs ?? 20),
        slots: new Semaphore(s.concurrency),
        breaker: new CircuitBreaker(b.threshold, b.baseCooldownMs, b.maxCooldownMs),
        requests: 0,
        completions: [],
      };
    };
    this.gates = { orders: gate('orders'), payments: gate('payments'), notifications: gate('notifications') };
  }

  /** When the rate limiter let calls to a service go (most recent 10,000). */
  sendTimes(service: Service): readonly number[] {
    return this.gates[service].bucket.history;
  }

  pause(): void {
    if (this.paused || this.cancelled) return;
    this.paused = true;
    appendAudit(this.db, {
      actor: this.actor,
      backendIdentity: this.backendIdentity,
      action: 'sync.paused',
      details: { run_id: this.runId },
    });
    this.emitProgress();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    for (const wake of this.resumeWaiters.splice(0)) wake();
    appendAudit(this.db, {
      actor: this.actor,
      backendIdentity: this.backendIdentity,
      action: 'sync.resumed',
      details: { run_id: this.runId },
    });
    this.emitProgress();
  }

  /** Stops new calls; calls already sent finish and are recorded. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.stop.abort();
    for (const wake of this.resumeWaiters.splice(0)) wake();
    this.emitProgress();
  }

  /** Runs the batches' valid orders to the end (done, failed or needs review), or until cancelled. */
  async run(batchIds: number[], options: { retryFailed?: boolean } = {}): Promise<SyncSummary> {
    const now = () => new Date().toISOString();
    // The run is recorded only once it holds the store's lock (a refused run leaves nothing behind).
    const lock = acquireSyncLock(this.db, () =>
      Number(
        this.db
          .prepare('INSERT INTO sync_runs (started_at, started_by, batch_ids) VALUES (?, ?, ?)')
          .run(now(), this.actor, JSON.stringify(batchIds)).lastInsertRowid,
      ),
    );
    this.runId = lock.runId;
    const release = lock.release;
    const run: RunRecord = { runId: this.runId, actor: this.actor, backendIdentity: this.backendIdentity };
    // From here on the run is in sync_runs: however it ends, it is closed there and in the audit log.
    let closed = false;
    try {
      this.db.transaction(() => {
        enqueue(this.db, batchIds, now());
        if (options.retryFailed) requeueFailed(this.db, batchIds, now());
      })();
      this.counts = stateCounts(this.db, batchIds);
      appendAudit(this.db, {
        actor: this.actor,
        backendIdentity: this.backendIdentity,
        action: 'sync.started',
        details: { run_id: this.runId, batches: batchIds.join(','), orders: this.counts.total, yen_staged: this.counts.yen.staged },
      });
      this.startedAt = performance.now();
      const ticker = setInterval(() => this.emitProgress(batchIds), this.settings.progressIntervalMs);
      try {
        const queue = pendingOrders(this.db, batchIds);
        let next = 0;
        const lane = async () => {
          try {
            while (next < queue.length && !this.cancelled) {
              const order = queue[next++] as SyncOrder;
              await this.drive(order);
            }
          } catch (error) {
            // Bad credentials or a store error: stop every lane, then report it.
            this.cancel();
            throw error;
          }
        };
        // Every lane ends (calls already sent finish and are recorded) before the run is closed and the lock released.
        const lanes = await Promise.allSettled(Array.from({ length: Math.min(this.settings.maxActive, queue.length) }, lane));
        const failure = lanes.find((lane) => lane.status === 'rejected');
        if (failure) throw failure.reason;
      } finally {
        clearInterval(ticker);
      }
      this.counts = stateCounts(this.db, batchIds);
      const summary = this.summary(batchIds);
      closeRun(this.db, run, { outcome: summary.outcome, summary });
      closed = true;
      this.emitProgress(batchIds, summary.outcome);
      return summary;
    } catch (error) {
      if (!closed) this.closeFailed(run, batchIds, error);
      throw error;
    } finally {
      release();
    }
  }

  /** Closes a run that ended in an error; the error itself is what run() rejects with. */
  private closeFailed(run: RunRecord, batchIds: number[], error: unknown): void {
    let summary: SyncSummary | null = null;
    try {
      this.counts = stateCounts(this.db, batchIds);
      summary = this.summary(batchIds);
    } catch {
      // The store itself failed: the run is closed without counts if it can be written at all.
    }
    try {
      closeRun(this.db, run, { outcome: 'failed', error: toErrorInfo(error), summary });
    } catch {
      // Nothing more can be recorded; the original error still reaches the caller.
    }
    this.emitProgress([], 'failed');
  }

  private summary(batchIds: number[]): SyncSummary {
    const c = this.counts as StateCounts;
    const b = c.byState;
    return {
      run_id: this.runId,
      batch_ids: batchIds,
      outcome: this.cancelled ? 'cancelled' : 'finished',
      orders: {
        total: c.total,
        done: b.done,
        failed: b.failed,
        needs_review: b.needs_review,
        remaining: c.total - b.done - b.failed - b.needs_review,
      },
      duration_s: Math.round((performance.now() - this.startedAt) / 100) / 10,
      requests: {
        orders: this.gates.orders.requests,
        payments: this.gates.payments.requests,
        notifications: this.gates.notifications.requests,
      },
      retries: this.retries,
      rate_limited: this.rateLimited,
      yen: c.yen,
    };
  }

  progress(batchIds: number[] = [], state?: SyncProgress['state']): SyncProgress {
    if (batchIds.length) this.counts = stateCounts(this.db, batchIds);
    const c = this.counts;
    const elapsedS = this.startedAt ? (performance.now() - this.startedAt) / 1000 : 0;
    const t = performance.now();
    const service = (name: Service): ServiceProgress => {
      const gate = this.gates[name];
      while (gate.completions.length && (gate.completions[0] ?? 0) < t - 10_000) gate.completions.shift();
      const window = Math.min(10, Math.max(elapsedS, 0.001));
      const steps = c?.steps[name] ?? { waiting: 0, in_flight: 0, done: 0, failed: 0 };
      return {
        ...steps,
        requests: gate.requests,
        rate_per_second: gate.completions.length / window,
        average_per_second: elapsedS > 0 ? steps.done / elapsedS : 0,
        limit_per_second: this.settings.services[name].ratePerSecond,
        breaker: gate.breaker.state,
      };
    };
    const services = { orders: service('orders'), payments: service('payments'), notifications: service('notifications') };
    let etaS: number | null = 0;
    for (const name of ['orders', 'payments', 'notifications'] as const) {
      const s = services[name];
      const remaining =
        (c?.total ?? 0) -
        s.done -
        s.failed -
        (c?.needsReview ?? 0) -
        (name === 'orders' ? 0 : services.orders.failed) -
        (name === 'notifications' ? services.payments.failed : 0);
      if (remaining <= 0) continue;
      const rate = s.rate_per_second > 0 && elapsedS > 2 ? s.rate_per_second : this.gates[name].bucket.currentRate;
      etaS = rate ? Math.max(etaS ?? 0, remaining / rate) : etaS;
    }
    const b = c?.byState;
    return {
      runId: this.runId,
      state: state ?? (this.cancelled ? 'cancelling' : this.paused ? 'paused' : 'running'),
      elapsedS,
      total: c?.total ?? 0,
      done: b?.done ?? 0,
      failed: b?.failed ?? 0,
      needsReview: b?.needs_review ?? 0,
      services,
      etaS,
      yen: c?.yen ?? { staged: 0, synced: 0 },
      retries: this.retries,
      rateLimited: this.rateLimited,
    };
  }

  private emitProgress(batchIds: number[] = [], state?: SyncProgress['state']): void {
    this.emit('progress', this.progress(batchIds, state));
  }

  private async waitIfPaused(): Promise<void> {
    while (this.paused && !this.cancelled) await new Promise<void>((resolve) => this.resumeWaiters.push(resolve));
    if (this.cancelled) throw new Cancelled();
  }

  private async pauseFor(ms: number): Promise<void> {
    try {
      await sleep(Math.max(0, Math.ceil(ms)), undefined, { signal: this.stop.signal });
    } catch {
      throw new Cancelled();
    }
  }

  /**
   * Waits for the service's breaker, a concurrency slot and a rate token, then makes the call. Pause and
   * cancel are checked again once everything is in hand, so nothing new is sent after pause() returns.
   */
  private async call<T>(service: Service, makeCall: () => Promise<Outcome<T>>, beforeSend?: () => void): Promise<Outcome<T>> {
    const gate = this.gates[service];
    for (;;) {
      await this.waitIfPaused();
      const wait = gate.breaker.admit();
      if (wait > 0) {
        await this.pauseFor(wait);
        continue;
      }
      const release = await gate.slots.acquire();
      try {
        await gate.bucket.take(this.stop.signal);
      } catch {
        // Cancelled while waiting for a token.
      }
      if (this.paused || this.cancelled) {
        gate.breaker.release();
        release();
        continue;
      }
      // The token first: a run that ends on it (credentials, certificate, redirect, unusable answer) leaves no
      // order marked in flight, and while the token service is unreachable nothing is announced as sent.
      let ready: boolean;
      try {
        ready = await this.client.ready();
      } catch (error) {
        release();
        throw error;
      }
      if (!ready) {
        gate.breaker.failure();
        release();
        continue;
      }
      try {
        beforeSend?.();
        gate.requests += 1;
        const outcome = await makeCall();
        // A bad response is still an answer: the service is up, the order gets the failure.
        if (outcome.kind === 'ok' || outcome.kind === 'rejected' || outcome.kind === 'bad_response') {
          gate.breaker.success();
          gate.bucket.succeeded();
        } else if (outcome.kind === 'throttled') {
          gate.breaker.release();
          gate.bucket.throttled(outcome.retryAfterMs);
          this.rateLimited += 1;
        } else gate.breaker.failure();
        return outcome;
      } finally {
        release();
      }
    }
  }

  private async drive(order: SyncOrder): Promise<void> {
    let payloads: OrderPayloads | null = null;
    const body = () => {
      payloads ??= payloadsFor(this.db, order.orderId);
      return payloads;
    };
    try {
      for (;;) {
        switch (order.state) {
          case 'queued':
            await this.createOrder(order, body);
            break;
          case 'order_in_flight':
            await this.reconcileOrder(order);
            break;
          case 'order_created':
          case 'payment_in_flight':
            await this.pay(order, body);
            break;
          case 'paid':
          case 'notification_in_flight':
            await this.notify(order, body);
            break;
          default:
            return;
        }
      }
    } catch (error) {
      if (error instanceof Cancelled) return;
      throw error;
    }
  }

  private save(order: SyncOrder, change: Transition): void {
    transition(this.db, order, change, new Date().toISOString());
  }

  /**
   * A 2xx answer the app cannot use. For an order or a payment the backend said it did it, so sending again
   * could duplicate it: staff check (needs review). A notification is at least once: failed, retried later.
   */
  private badResponse(order: SyncOrder, step: Step, outcome: Extract<Outcome<unknown>, { kind: 'bad_response' }>): void {
    this.save(order, {
      state: step === 'notification' ? 'failed' : 'needs_review',
      inFlightSince: null,
      failedStep: step,
      errorClass: 'bad_response',
      errorCode: 'BACKEND_BAD_RESPONSE',
      detail: {
        status: outcome.status,
        reason: outcome.reason,
        client_reference: order.clientReference,
        ...(order.backendOrderId ? { backend_order_id: order.backendOrderId } : {}),
      },
    });
  }

  /** A transient failure: back off, or give up when the order has used its attempts at this step. */
  private async transient(order: SyncOrder, step: Step, reason: string, giveUp: Transition): Promise<void> {
    // A refused connection reached nothing: offline, the order waits (the breaker paces the probes) and never fails.
    if (reason !== 'UNREACHABLE' && order.attempts >= this.settings.maxAttempts) {
      this.save(order, { ...giveUp, failedStep: step, errorCode: reason, detail: { ...giveUp.detail, attempts: order.attempts, reason } });
      return;
    }
    this.retries += 1;
    await this.pauseFor(backoffMs(order.attempts, this.settings.backoffBaseMs, this.settings.backoffCapMs));
  }

  private reason(outcome: Outcome<unknown>): string {
    switch (outcome.kind) {
      case 'unavailable':
        return `HTTP_${outcome.status}`;
      case 'timeout':
        return 'TIMEOUT';
      case 'network':
        return outcome.sent ? 'CONNECTION_LOST' : 'UNREACHABLE';
      case 'throttled':
        return 'HTTP_429';
      case 'rejected':
        return outcome.code;
      default:
        return 'OK';
    }
  }

  private async createOrder(order: SyncOrder, body: () => OrderPayloads): Promise<void> {
    const outcome = await this.call(
      'orders',
      () => this.client.createOrder(body().order, order.idempotencyKey),
      // Write-ahead: from here on, the order may exist at the backend.
      () => this.save(order, { state: 'order_in_flight', attempts: order.attempts + 1, inFlightSince: Date.now() }),
    );
    if (outcome.kind === 'ok') {
      this.markDone('orders');
      this.save(order, { state: 'order_created', backendOrderId: outcome.body.id, attempts: 0, inFlightSince: null });
    } else if (outcome.kind === 'bad_response') {
      this.badResponse(order, 'order', outcome);
    } else if (outcome.kind === 'rejected') {
      this.save(order, {
        state: 'failed',
        inFlightSince: null,
        failedStep: 'order',
        errorClass: 'rejected',
        errorCode: outcome.code,
        detail: { status: outcome.status },
      });
    } else if (outcome.kind === 'throttled' || (outcome.kind === 'network' && !outcome.sent)) {
      // Not processed: the order was not created, so it may simply be sent again.
      this.save(order, { state: 'queued', attempts: order.attempts - 1, inFlightSince: null });
      if (outcome.kind === 'network')
        await this.transient(order, 'order', this.reason(outcome), { state: 'failed', errorClass: 'unavailable' });
    } else {
      // Unknown outcome: stays order_in_flight; reconcileOrder looks it up before anything is re-sent.
      this.save(order, { state: 'order_in_flight', detail: { last: this.reason(outcome) } });
      if (outcome.kind === 'unavailable') order.inFlightSince = 0;
    }
  }

  /**
   * An order call with an unknown outcome (timeout, lost response, crash). Once the backend's timeout has
   * passed the outcome is settled; the order is looked up by client reference: adopted if found, re-sent
   * if not. Without a look-up, staff decide (needs review).
   */
  private async reconcileOrder(order: SyncOrder): Promise<void> {
    const settleAt = (order.inFlightSince ?? 0) + this.settings.services.orders.timeoutMs + 250;
    if (Date.now() < settleAt) await this.pauseFor(settleAt - Date.now());
    const outcome = await this.call('orders', () => this.client.findOrders(order.clientReference));
    if (outcome.kind === 'ok') {
      const found = outcome.body[0];
      if (found) {
        this.markDone('orders');
        this.save(order, {
          state: 'order_created',
          backendOrderId: found.id,
          attempts: 0,
          inFlightSince: null,
          detail: { reconciled: true, matches: outcome.body.length },
        });
      } else this.save(order, { state: 'queued', inFlightSince: null });
      return;
    }
    if (outcome.kind === 'bad_response') {
      this.badResponse(order, 'order', outcome);
      return;
    }
    if (outcome.kind === 'rejected' && outcome.status === 404) {
      this.save(order, {
        state: 'needs_review',
        inFlightSince: order.inFlightSince,
        failedStep: 'order',
        errorClass: 'unknown_outcome',
        errorCode: 'ORDER_OUTCOME_UNKNOWN',
        detail: {
          reason: 'NO_LOOKUP',
          client_reference: order.clientReference,
          sent_at: order.inFlightSince ? new Date(order.inFlightSince).toISOString() : null,
          attempts: order.attempts,
        },
      });
      return;
    }
    if (outcome.kind === 'rejected') {
      this.save(order, {
        state: 'needs_review',
        failedStep: 'order',
        errorClass: 'unknown_outcome',
        errorCode: outcome.code,
        detail: { status: outcome.status },
      });
      return;
    }
    await this.transient(order, 'order', this.reason(outcome), {
      state: 'needs_review',
      errorClass: 'unknown_outcome',
      detail: { client_reference: order.clientReference },
    });
  }

  private async pay(order: SyncOrder, body: () => OrderPayloads): Promise<void> {
    const orderId = order.backendOrderId as string;
    // Safe to (re)send: the backend holds at most one payment per order and answers 409 to a second.
    const outcome = await this.call(
      'payments',
      () => this.client.createPayment(body().payment(orderId), order.idempotencyKey),
      () => this.save(order, { state: 'payment_in_flight', attempts: order.attempts + 1, inFlightSince: Date.now() }),
    );
    if (outcome.kind === 'ok') {
      this.markDone('payments');
      this.save(order, {
        state: 'paid',
        paymentId: outcome.body.id,
        transactionId: outcome.body.transaction_id,
        attempts: 0,
        inFlightSince: null,
      });
      return;
    }
    if (outcome.kind === 'bad_response') {
      this.badResponse(order, 'payment', outcome);
      return;
    }
    if (outcome.kind === 'rejected' && outcome.status === 409) {
      await this.reconcilePayment(order);
      return;
    }
    if (outcome.kind === 'rejected') {
      // Declined or refused: the backend order stays PENDING; a later retry pays it without re-creating it.
      const declined = outcome.status === 402;
      this.save(order, {
        state: outcome.status === 404 ? 'needs_review' : 'failed',
        inFlightSince: null,
        failedStep: 'payment',
        errorClass: declined ? 'declined' : outcome.status === 404 ? 'order_missing' : 'rejected',
        errorCode: outcome.code,
        detail: { status: outcome.status, backend_order_id: orderId, backend_order_status: 'PENDING' },
      });
      return;
    }
    if (outcome.kind === 'throttled') {
      this.save(order, { state: 'order_created', attempts: order.attempts - 1, inFlightSince: null });
      return;
    }
    await this.transient(order, 'payment', this.reason(outcome), {
      state: 'needs_review',
      errorClass: 'unknown_outcome',
      detail: { backend_order_id: orderId },
    });
  }

  /** 409: the order is already paid (by an earlier call whose answer was lost). Adopt that payment. */
  private async reconcilePayment(order: SyncOrder): Promise<void> {
    const orderId = order.backendOrderId as string;
    for (;;) {
      const outcome = await this.call('payments', () => this.client.findPayment(orderId));
      if (outcome.kind === 'ok') {
        this.markDone('payments');
        this.save(order, {
          state: 'paid',
          paymentId: outcome.body.id,
          transactionId: outcome.body.transaction_id,
          attempts: 0,
          inFlightSince: null,
          detail: { reconciled: true },
        });
        return;
      }
      if (outcome.kind === 'bad_response') {
        this.badResponse(order, 'payment', outcome);
        return;
      }
      if (outcome.kind === 'rejected') {
        this.save(order, {
          state: 'needs_review',
          failedStep: 'payment',
          errorClass: 'conflict',
          errorCode: 'PAYMENT_CONFLICT_NOT_FOUND',
          detail: { backend_order_id: orderId, status: outcome.status },
        });
        return;
      }
      await this.transient(order, 'payment', this.reason(outcome), {
        state: 'needs_review',
        errorClass: 'unknown_outcome',
        detail: { backend_order_id: orderId },
      });
      if (order.state === 'needs_review') return;
    }
  }

  private async notify(order: SyncOrder, body: () => OrderPayloads): Promise<void> {
    const orderId = order.backendOrderId as string;
    const outcome = await this.call(
      'notifications',
      () => this.client.sendNotification(body().notification(orderId)),
      () => this.save(order, { state: 'notification_in_flight', attempts: order.attempts + 1, inFlightSince: Date.now() }),
    );
    if (outcome.kind === 'ok') {
      this.markDone('notifications');
      this.save(order, { state: 'done', notificationId: outcome.body.id, attempts: 0, inFlightSince: null });
      return;
    }
    if (outcome.kind === 'bad_response') {
      this.badResponse(order, 'notification', outcome);
      return;
    }
    if (outcome.kind === 'rejected') {
      this.save(order, {
        state: 'failed',
        inFlightSince: null,
        failedStep: 'notification',
        errorClass: 'rejected',
        errorCode: outcome.code,
        detail: { status: outcome.status, backend_order_id: orderId },
      });
      return;
    }
    if (outcome.kind === 'throttled') {
      this.save(order, { state: 'paid', attempts: order.attempts - 1, inFlightSince: null });
      return;
    }
    // Notifications have no look-up: an unknown outcome is sent again (at least once, never before payment).
    await this.transient(order, 'notification', this.reason(outcome), {
      state: 'failed',
      errorClass: 'unavailable',
      detail: { backend_order_id: orderId },
    });
  }

  private markDone(service: Service): void {
    this.gates[service].completions.push(performance.now());
  }
}

export function assertBatches(db: Db, batchIds: number[]): void {
  for (const id of batchIds)
    if (!db.prepare('SELECT 1 FROM batches WHERE id = ?').get(id)) throw new AppError('BATCH_NOT_FOUND', { batchId: id });
}
