import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Client-side rate limit for one service. Two parts:
 * - a hard guard on our own send times: at most R calls in any window of 1000 + J ms, so that even with up
 *   to J ms of jitter between sending and arriving (connection set-up, event-loop stalls on either side) no
 *   1-second window at the backend ever holds more than R;
 * - pacing (GCRA, the virtual-scheduling form of a token bucket) at R / (1 + J/1000), so calls are spread
 *   evenly instead of sent in bursts; a timer that fires late is caught up, within the guard.
 * Throughput is R / (1 + J/1000): 2% below the limit for the default J = 20 ms.
 * A 429 pauses it for Retry-After and halves the rate; each success recovers it additively.
 */
export class RateLimiter {
  private tat: number;
  private readonly sent: number[] = [];
  /** Send times of the most recent calls (diagnostics and tests). */
  readonly history: number[] = [];
  private factor = 1;
  private pausedUntil = 0;

  constructor(
    private readonly ratePerSecond: number | null,
    private readonly jitterMs = 20,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tat = this.now();
  }

  /** Calls per second it currently allows (null: unlimited). */
  get currentRate(): number | null {
    return this.ratePerSecond === null ? null : (this.ratePerSecond * this.factor) / (1 + this.jitterMs / 1000);
  }

  private get windowMs(): number {
    return 1000 + this.jitterMs;
  }

  /** Milliseconds until a call may go (0 = now). */
  wait(): number {
    const t = this.now();
    if (t < this.pausedUntil) return this.pausedUntil - t;
    const rate = this.currentRate;
    if (rate === null || this.ratePerSecond === null) return 0;
    while (this.sent.length && (this.sent[0] ?? 0) <= t - this.windowMs) this.sent.shift();
    const limit = Math.max(1, Math.floor(this.ratePerSecond * this.factor));
    const guard = this.sent.length >= limit ? (this.sent[this.sent.length - limit] ?? t) + this.windowMs - t : 0;
    const pace = this.tat - this.jitterMs - t;
    return Math.max(0, guard, pace);
  }

  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const ms = this.wait();
      if (ms <= 0) break;
      await sleep(Math.ceil(ms), undefined, { signal });
    }
    const rate = this.currentRate;
    if (rate === null) return;
    const t = this.now();
    this.sent.push(t);
    this.history.push(t);
    if (this.history.length > 10_000) this.history.splice(0, this.history.length - 10_000);
    this.tat = Math.max(this.tat, t - this.jitterMs) + 1000 / rate;
  }

  throttled(retryAfterMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + retryAfterMs);
    this.factor = Math.max(0.1, this.factor * 0.5);
    this.tat = Math.max(this.tat, this.pausedUntil);
  }

  succeeded(): void {
    if (this.factor < 1) this.factor = Math.min(1, this.factor + 0.02);
  }
}

/** A counting semaphore: the per-service concurrency limit. */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  get inUse(): number {
    return this.active;
  }

  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.waiters.shift()?.();
    };
  }
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * Per-service circuit breaker: `threshold` consecutive failures open it; after a cool-down (doubling up to
 * `maxCooldownMs`) one probe is let through; a success closes it. While open, callers wait: work queued for
 * the service is not failed.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private cooldown: number;
  private probing = false;
  state: BreakerState = 'closed';

  constructor(
    private readonly threshold = 5,
    private readonly baseCooldownMs = 1000,
    private readonly maxCooldownMs = 30_000,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.cooldown = baseCooldownMs;
  }

  /** 0 when a call may go now (and, half-open, marks it as the probe); otherwise ms to wait. */
  admit(): number {
    if (this.state === 'closed') return 0;
    const t = this.now();
    if (this.state === 'open') {
      const left = this.openedAt + this.cooldown - t;
      if (left > 0) return left;
      this.state = 'half_open';
    }
    if (this.probing) return Math.min(250, this.cooldown);
    this.probing = true;
    return 0;
  }

  success(): void {
    this.failures = 0;
    this.probing = false;
    this.state = 'closed';
    this.cooldown = this.baseCooldownMs;
  }

  failure(): void {
    this.failures += 1;
    if (this.state === 'half_open') {
      this.probing = false;
      this.cooldown = Math.min(this.maxCooldownMs, this.cooldown * 2);
      this.open();
    } else if (this.failures >= this.threshold) this.open();
  }

  /** A call that ended without telling anything about the service (e.g. cancelled). */
  release(): void {
    this.probing = false;
  }

  private open(): void {
    this.state = 'open';
    this.openedAt = this.now();
  }
}

/** Exponential backoff with full jitter (AWS architecture blog): uniform in [0, min(cap, base * 2^attempt)]. */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  return random() * Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
