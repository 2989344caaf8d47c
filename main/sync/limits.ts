import { setTimeout as sleep } from 'node:timers/promises';

/** The window's budget as the backend tells it (RateLimit-* headers, IETF httpapi draft). */
export interface RateLimitBudget {
  limit: number | null;
  remaining: number;
  resetS: number;
}

/** Lateness samples kept for the safety margin (the most recent waits). */
const MARGIN_SAMPLES = 50;
const MIN_MARGIN_MS = 15;
const MAX_MARGIN_MS = 150;
/** What a 429 adds to the margin (arrivals bunched more than measured), at most MAX_LEARNED_MS; it decays on success. */
const LEARN_MS = 15;
const MAX_LEARNED_MS = 60;
/** A 429 cuts the rate by this factor (gentle, so several clients sharing a limit keep most of it)... */
export const DECREASE = 0.85;
/** ...or by this one when most recent calls were refused (far over the limit: several clients starting at once). */
const STRONG_DECREASE = 0.7;
/**
 * Recovery after a cut follows a cubic (as TCP CUBIC): fast at first, flat near the rate where the 429 came,
 * then probing beyond it. In rate-factor units per s^3: a cut from a third of the limit (three clients
 * sharing it) is made good in about 10 s, from the full limit in about 14 s.
 */
const CUBIC_C = 5e-5;

/**
 * Client-side rate limit for one service:
 * - pacing: calls spaced (1000 + margin) / rate ms apart, each scheduled from when the previous one really
 *   went, never from a missed slot: a timer that fires late (an event-loop stall) never causes a catch-up burst;
 * - a hard guard: at most R calls in any window of 1000 + margin ms of actual send times (a granted call is
 *   counted from when it really goes out), so arrivals jittered by up to the margin never put more than R in
 *   one second at the backend;
 * - the margin is measured: 1.5 x the 90th percentile of how late the recent timers fired and calls went out
 *   (the machine's CPU contention, which delays arrivals the same way), never below `jitterMs` (20 ms by
 *   default; 50 ms for the built-in simulator, which shares the app's event loop), plus what recent 429s taught.
 * A 429 pauses it for Retry-After(-Ms); if the client was not using its whole limit (others share it) it cuts
 * the rate by DECREASE (STRONG_DECREASE when most calls are refused) and successes bring it back along a
 * cubic; if it was, its arrivals bunched and the margin widens by 15 ms (decaying as calls succeed). RateLimit-* headers, when the backend sends them, steer it
 * before any 429: an announced limit below the configured one caps it, an empty window holds the next call back.
 */
export class RateLimiter {
  private next = Number.NEGATIVE_INFINITY;
  private readonly sent: number[] = [];
  /** When the most recent calls really went (diagnostics and tests). */
  readonly history: number[] = [];
  private factor = 1;
  private pausedUntil = 0;
  private readonly lateness: number[] = [];
  private learned = 0;
  /** The limit the backend announced (RateLimit-Limit), when lower than the configured one. */
  private announced: number | null = null;
  /** The rate factor where the last cut happened, when, and how long the cubic takes back to it (s). */
  private cubic = { wMax: 1, at: Number.NEGATIVE_INFINITY, k: 0 };
  /** The last 20 outcomes (true = 429): a lone 429 or many. */
  private readonly recent: boolean[] = [];

  constructor(
    private readonly ratePerSecond: number | null,
    private readonly jitterMs = 20,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private get limit(): number | null {
    if (this.ratePerSecond === null) return null;
    return this.announced === null ? this.ratePerSecond : Math.min(this.ratePerSecond, this.announced);
  }

  /** The safety margin in ms: measured lateness, never below the configured jitter allowance. */
  get marginMs(): number {
    let measured = this.jitterMs;
    if (this.lateness.length >= 8) {
      const sorted = [...this.lateness].sort((x, y) => x - y);
      measured = 1.5 * (sorted[Math.floor(sorted.length * 0.9)] ?? 0);
    }
    return Math.min(MAX_MARGIN_MS, Math.max(MIN_MARGIN_MS, this.jitterMs, measured) + this.learned);
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
    // The guard is the backend's limit; a cut rate is kept by the pacing (a guard scaled by it would quantise
    // the rate to whole calls per window, unfair between clients sharing a limit).
    const allowed = Math.max(1, Math.floor(limit));
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
    // From now, not from the missed slot: a late grant makes up at most half a spacing (a few ms of timer
    // lateness are not lost on every call), never a burst; the guard still holds any window to R.
    const interval = 1000 / rate;
    const late = Number.isFinite(this.next) ? Math.max(0, t - this.next) : 0;
    this.next = t + interval - Math.min(late, interval / 2);
    return t;
  }

  /** The granted call really goes now: its send time becomes now (for the guard) and its delay is measured. */
  dispatched(grantedAt: number): void {
    if (this.limit === null) return;
    const t = this.now();
    this.sample(t - grantedAt);
    const at = this.sent.lastIndexOf(grantedAt);
    if (at >= 0) this.sent[at] = t;
    const logged = this.history.lastIndexOf(grantedAt);
    if (logged >= 0) this.history[logged] = t;
  }

  private sample(lateMs: number): void {
    this.lateness.push(Math.max(0, lateMs));
    if (this.lateness.length > MARGIN_SAMPLES) this.lateness.shift();
  }

  private outcome(throttled: boolean): void {
    this.recent.push(throttled);
    if (this.recent.length > 20) this.recent.shift();
  }

  private cut(by: number): void {
    const t = this.now();
    // A cut below the previous peak lowers the peak too (CUBIC's fast convergence: room for the others).
    this.cubic.wMax = this.factor < this.cubic.wMax ? (this.factor * (1 + by)) / 2 : this.factor;
    this.factor = Math.max(0.05, this.factor * by);
    this.cubic.at = t;
    this.cubic.k = Math.cbrt((this.cubic.wMax * (1 - by)) / CUBIC_C);
  }

  /**
   * A 429. A lone one (none among the last 20 calls) while this client was using its whole limit says its own
   * arrivals bunched (jitter beyond the margin): the margin widens and the rate stays. Otherwise others share
   * the limit: the rate is cut.
   */
  throttled(retryAfterMs: number): void {
    const t = this.now();
    this.outcome(true);
    const limit = this.limit;
    const windowMs = 1000 + this.marginMs;
    const own = this.sent.filter((at) => at > t - windowMs).length;
    const lone = this.recent.filter(Boolean).length === 1;
    if (lone && limit !== null && this.factor >= 1 && own >= limit - 1) this.learned = Math.min(MAX_LEARNED_MS, this.learned + LEARN_MS);
    else this.cut(this.recent.slice(-4).filter(Boolean).length >= 3 ? STRONG_DECREASE : DECREASE);
    this.pausedUntil = Math.max(this.pausedUntil, t + retryAfterMs);
    this.next = Math.max(this.next, this.pausedUntil);
  }

  /**
   * The backend's RateLimit-* headers on a response: an announced limit below the configured one caps the
   * rate; an empty window (used up by this client or by others sharing it) holds the next call back by one
   * spacing instead of running into a 429.
   */
  observe(budget: RateLimitBudget): void {
    if (budget.limit !== null && budget.limit > 0) this.announced = budget.limit;
    if (budget.remaining > 0) return;
    this.next = Math.max(this.next, this.now() + 1000 / (this.currentRate ?? 1));
  }

  succeeded(): void {
    this.outcome(false);
    if (this.learned > 0) this.learned = Math.max(0, this.learned - 0.05);
    if (this.factor >= 1) return;
    const t = (this.now() - this.cubic.at) / 1000;
    const target = CUBIC_C * (t - this.cubic.k) ** 3 + this.cubic.wMax;
    this.factor = Math.min(1, Math.max(this.factor, target));
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
