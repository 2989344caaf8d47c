import { setTimeout as sleep } from 'node:timers/promises';

/** The window's budget as the backend tells it (RateLimit-* headers, IETF httpapi draft). */
export interface RateLimitBudget {
  limit: number | null;
  remaining: number;
  resetS: number;
}

/** Lateness samples kept for the safety margin (the most recent calls). */
const MARGIN_SAMPLES = 64;
const MIN_MARGIN_MS = 5;
const MAX_MARGIN_MS = 300;
/** A 429 cuts the rate by this factor (gentle, so several clients sharing a limit keep most of it). */
export const DECREASE = 0.85;
/** After a cut, the rate grows back over about this many seconds' worth of calls (scaled by the rate). */
const RECOVERY_S = 10;

/**
 * Client-side rate limit for one service:
 * - pacing: calls spaced (1000 + margin) / rate ms apart, each scheduled from when the previous one really
 *   went, never from a missed slot: a timer that fires late (an event-loop stall) never causes a catch-up burst;
 * - a hard guard: at most R calls in any window of 1000 + margin ms of actual send times, so that arrivals
 *   jittered by up to the margin never put more than R in one second at the backend;
 * - the margin is measured: how late timers fire and how long a granted call takes to really go out (the
 *   largest of the recent calls, doubled), at least 5 ms; it starts at `jitterMs` and grows with each 429.
 * A 429 pauses it for Retry-After(-Ms) and cuts the rate by DECREASE; successes recover it in proportion to
 * the rate (about RECOVERY_S seconds for a cut). RateLimit-* headers, when the backend sends them, steer it
 * before a 429: an empty or nearly empty window slows it, a roomy one lets it recover.
 */
export class RateLimiter {
  private next = Number.NEGATIVE_INFINITY;
  private readonly sent: number[] = [];
  /** Send times of the most recent calls (diagnostics and tests). */
  readonly history: number[] = [];
  private factor = 1;
  private pausedUntil = 0;
  private readonly lateness: number[] = [];
  private learned = 0;
  /** The limit the backend announced (RateLimit-Limit), when lower than the configured one. */
  private announced: number | null = null;
  /** Whether the backend sends RateLimit-* headers. */
  private steered = false;

  constructor(
    private readonly ratePerSecond: number | null,
    private readonly jitterMs = 20,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private get limit(): number | null {
    if (this.ratePerSecond === null) return null;
    return this.announced === null ? this.ratePerSecond : Math.min(this.ratePerSecond, this.announced);
  }

  /** The safety margin in ms: measured lateness, or the configured jitter until there is a measurement. */
  get marginMs(): number {
    const measured = this.lateness.length ? 2 * Math.max(...this.lateness) : this.jitterMs;
    return Math.min(MAX_MARGIN_MS, Math.max(MIN_MARGIN_MS, measured) + this.learned);
  }

  /** Calls per second it currently allows (null: unlimited). */
  get currentRate(): number | null {
    const limit = this.limit;
    return limit === null ? null : (limit * this.factor * 1000) / (1000 + this.marginMs);
  }

  /** The rate factor (1 = the full limit): for tests and diagnostics. */
  get rateFactor(): number {
    return this.factor;
  }

  /** Milliseconds until a call may go (0 = now). */
  wait(): number {
    const t = this.now();
    if (t < this.pausedUntil) return this.pausedUntil - t;
    const limit = this.limit;
    if (limit === null) return 0;
    const windowMs = 1000 + this.marginMs;
    while (this.sent.length && (this.sent[0] ?? 0) <= t - windowMs) this.sent.shift();
    const allowed = Math.max(1, Math.floor(limit * this.factor));
    const guard = this.sent.length >= allowed ? (this.sent[this.sent.length - allowed] ?? t) + windowMs - t : 0;
    return Math.max(0, guard, this.next - t);
  }

  /** Waits for the call's turn; resolves with the grant time, to be passed to dispatched(). */
  async take(signal?: AbortSignal): Promise<number> {
    for (;;) {
      const ms = this.wait();
      if (ms <= 0) break;
      const planned = this.now() + ms;
      await sleep(Math.ceil(ms), undefined, { signal });
      this.sample(this.now() - planned);
    }
    const t = this.now();
    const rate = this.currentRate;
    if (rate === null) return t;
    this.sent.push(t);
    this.history.push(t);
    if (this.history.length > 10_000) this.history.splice(0, this.history.length - 10_000);
    // From now: a late grant pushes the next one back instead of letting it catch up.
    this.next = t + 1000 / rate;
    return t;
  }

  /** The granted call really goes now: its send time becomes now (for the guard) and its delay is measured. */
  dispatched(grantedAt: number): void {
    if (this.limit === null) return;
    const t = this.now();
    this.sample(t - grantedAt);
    const at = this.sent.lastIndexOf(grantedAt);
    if (at >= 0) this.sent[at] = t;
    this.next = Math.max(this.next, t + 1000 / (this.currentRate ?? 1));
  }

  private sample(lateMs: number): void {
    this.lateness.push(Math.max(0, lateMs));
    if (this.lateness.length > MARGIN_SAMPLES) this.lateness.shift();
  }

  throttled(retryAfterMs: number): void {
    const t = this.now();
    this.pausedUntil = Math.max(this.pausedUntil, t + retryAfterMs);
    this.factor = Math.max(0.05, this.factor * DECREASE);
    // A 429 says arrivals bunched more than measured: keep a wider margin from now on (decays on success).
    this.learned = Math.min(MAX_MARGIN_MS, this.learned + 10);
    this.next = Math.max(this.next, this.pausedUntil);
  }

  /** The backend's RateLimit-* headers on a response: from then on they steer the rate instead of 429s alone. */
  observe(budget: RateLimitBudget): void {
    this.steered = true;
    if (budget.limit !== null && budget.limit > 0) this.announced = budget.limit;
    if (budget.remaining <= 0) {
      // The window is used up (by us or by other clients sharing it): slow down before the backend answers 429.
      this.factor = Math.max(0.05, this.factor * 0.95);
      const limit = this.limit ?? 1;
      this.next = Math.max(this.next, this.now() + (Math.min(budget.resetS, 1) * 1000) / limit);
    } else if (budget.remaining > 1) this.recover();
  }

  succeeded(): void {
    if (!this.steered) this.recover();
  }

  private recover(): void {
    const rate = this.currentRate;
    if (this.factor < 1 && rate) this.factor = Math.min(1, this.factor + (1 - DECREASE) / (RECOVERY_S * rate));
    if (this.learned > 0) this.learned = Math.max(0, this.learned - 0.05);
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

  /** Milliseconds until an open breaker lets the next probe through (0 when closed or half-open). */
  retryInMs(): number {
    return this.state === 'open' ? Math.max(0, this.openedAt + this.cooldown - this.now()) : 0;
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
