import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackendClient, Outcome, Service } from './client';
import { CircuitBreaker, RateLimiter, Semaphore } from './limits';
import type { SyncSettings } from './settings';
import { reportingWrite } from './written';

/** Thrown out of a wait when the run is cancelled: the order stops where it is. */
export class Cancelled extends Error {}

export interface Gate {
  bucket: RateLimiter;
  slots: Semaphore;
  breaker: CircuitBreaker;
  requests: number;
  /** When calls to the service last completed a step (most recent 10 s, for the measured rate). */
  completions: number[];
  /** Why the last call went wrong (`HTTP_503`, `TIMEOUT`, `CONNECTION_LOST`, `UNREACHABLE`); null once one succeeds. */
  lastError: string | null;
  /** When the next retry after a failure is due (performance.now() time; 0 = none pending). */
  retryAt: number;
}

/** Why an outcome was not a definite answer, as a short code kept with the order and shown to staff. */
export function reasonOf(outcome: Outcome<unknown>): string {
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

/** An attempt counts once the call was answered or timed out (not a 429, not a refused connection, not a crash). */
export function answered(outcome: Outcome<unknown>): boolean {
  return !(outcome.kind === 'throttled' || (outcome.kind === 'network' && !outcome.sent));
}

/**
 * Admission of calls: per service a circuit breaker, a concurrency limit and a rate limit, plus the run's
 * pause and cancel. Every call of a run goes through call().
 */
export class Admission {
  readonly gates: Record<Service, Gate>;
  private readonly stop = new AbortController();
  paused = false;
  cancelled = false;
  private resumeWaiters: (() => void)[] = [];
  retries = 0;
  rateLimited = 0;
  /** When a step last completed (performance.now() time): nothing moving for a while makes the ETA unknown. */
  lastMovement = performance.now();

  constructor(
    private readonly client: BackendClient,
    settings: SyncSettings,
  ) {
    // Every waiting order listens on the one cancel signal.
    setMaxListeners(100_000, this.stop.signal);
    const gate = (service: Service): Gate => {
      const s = settings.services[service];
      const b = settings.breaker;
      return {
        bucket: Object.assign(new RateLimiter(s.ratePerSecond, s.jitterMs ?? 20), { backendInProcess: s.backendInProcess ?? false }),
        slots: new Semaphore(s.concurrency),
        breaker: new CircuitBreaker(b.threshold, b.baseCooldownMs, b.maxCooldownMs),
        requests: 0,
        completions: [],
        lastError: null,
        retryAt: 0,
      };
    };
    this.gates = { orders: gate('orders'), payments: gate('payments'), notifications: gate('notifications') };
  }

  /** Stops further admissions until resume(); false when already paused or cancelled. */
  pause(): boolean {
    if (this.paused || this.cancelled) return false;
    this.paused = true;
    return true;
  }

  resume(): boolean {
    if (!this.paused) return false;
    this.paused = false;
    for (const wake of this.resumeWaiters.splice(0)) wake();
    return true;
  }

  cancel(): boolean {
    if (this.cancelled) return false;
    this.cancelled = true;
    this.stop.abort();
    for (const wake of this.resumeWaiters.splice(0)) wake();
    return true;
  }

  private async waitIfPaused(): Promise<void> {
    while (this.paused && !this.cancelled) await new Promise<void>((resolve) => this.resumeWaiters.push(resolve));
    if (this.cancelled) throw new Cancelled();
  }

  /** Waits (cancellable). */
  async pauseFor(ms: number): Promise<void> {
    try {
      await sleep(Math.max(0, Math.ceil(ms)), undefined, { signal: this.stop.signal });
    } catch {
      throw new Cancelled();
    }
  }

  /** Backs off before the order's next try at the service, and says when that try is due (progress). */
  async backoff(service: Service, ms: number): Promise<void> {
    this.retries += 1;
    const gate = this.gates[service];
    gate.retryAt = Math.max(gate.retryAt > performance.now() ? gate.retryAt : 0, performance.now() + ms);
    await this.pauseFor(ms);
  }

  markDone(service: Service): void {
    const t = performance.now();
    this.gates[service].completions.push(t);
    this.lastMovement = t;
  }

  /**
   * Waits for the service's breaker, a concurrency slot and a rate token, then makes the call. Pause and
   * cancel are checked again once everything is in hand, so nothing new is sent after pause() returns.
   */
  async call<T>(service: Service, makeCall: () => Promise<Outcome<T>>, beforeSend?: () => void): Promise<Outcome<T>> {
    const gate = this.gates[service];
    for (;;) {
      await this.waitIfPaused();
      const wait = gate.breaker.admit();
      if (wait > 0) {
        await this.pauseFor(wait);
        continue;
      }
      const release = await gate.slots.acquire();
      let granted: number | null = null;
      try {
        granted = await gate.bucket.take(this.stop.signal);
      } catch {
        // Cancelled while waiting for a token.
      }
      if (this.paused || this.cancelled || granted === null) {
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
        gate.lastError = 'UNREACHABLE';
        release();
        continue;
      }
      try {
        beforeSend?.();
        gate.requests += 1;
        const dispatched = gate.bucket.dispatched(granted);
        let sentAt = dispatched;
        const outcome = await reportingWrite((at) => {
          gate.bucket.written(sentAt, at);
          sentAt = at;
        }, makeCall);
        gate.bucket.answered(sentAt);
        if (outcome.budget) gate.bucket.observe(outcome.budget, sentAt);
        this.record(gate, outcome, sentAt);
        return outcome;
      } finally {
        release();
      }
    }
  }

  private record(gate: Gate, outcome: Outcome<unknown>, sentAt: number): void {
    // A bad response is still an answer: the service is up, the order gets the failure.
    if (outcome.kind === 'ok' || outcome.kind === 'rejected' || outcome.kind === 'bad_response') {
      gate.breaker.success();
      gate.bucket.succeeded();
      gate.lastError = null;
      gate.retryAt = 0;
    } else if (outcome.kind === 'throttled') {
      gate.breaker.release();
      gate.bucket.throttled(outcome.retryAfterMs, sentAt);
      this.rateLimited += 1;
    } else {
      gate.breaker.failure();
      gate.lastError = reasonOf(outcome);
    }
  }
}
