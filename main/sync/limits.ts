import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Token bucket with capacity 1 by default: consecutive calls are at least 1/rate apart, so no 1-second
 * window ever holds more than `rate` calls (with a small safety factor for arrival jitter). A 429 slows
 * it down multiplicatively and pauses it for Retry-After; each success recovers the rate additively.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private factor = 1;
  private pausedUntil = 0;

  constructor(
    private readonly ratePerSecond: number | null,
    private readonly capacity = 1,
    private readonly safety = 0.98,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.last = this.now();
  }

  get currentRate(): number | null {
    return this.ratePerSecond === null ? null : this.ratePerSecond * this.safety * this.factor;
  }

  private refill(t: number): void {
    const rate = this.currentRate;
    if (rate === null) return;
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * rate);
    this.last = t;
  }

  /** Milliseconds until a token is available (0 = now). */
  wait(): number {
    const t = this.now();
    if (t < this.pausedUntil) return this.pausedUntil - t;
    const rate = this.currentRate;
    if (rate === null) return 0;
    this.refill(t);
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / rate) * 1000;
  }

  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const ms = this.wait();
      if (ms <= 0) break;
      await sleep(Math.ceil(ms), undefined, { signal });
    }
    if (this.currentRate !== null) this.tokens -= 1;
  }

  /** A 429: wait out Retry-After and halve the rate (not below 10% of the configured one). */
  throttled(retryAfterMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + retryAfterMs);
    this.factor = Math.max(0.1, this.factor * 0.5);
    this.tokens = 0;
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
