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
 * Additive recovery after a 429, in shares of the limit per second, the same for every client whatever its rate:
 * what makes AIMD fair (a cut takes more from a bigger share, the recovery gives every share the same).
 */
export const INCREASE_PER_S = 0.005;
/** After this long without a cut the recovery grows by one INCREASE_PER_S every PROBE_S (probing for more). */
const PROBE_AFTER_S = 8;
const PROBE_S = 2;
/** A cut while using the whole limit alone (arrivals bunched beyond what the margin learned) grows back this much faster. */
const SOLO_SPEEDUP = 10;
/** The answers to calls sent before a cut repeat the same news: no second cut within this time. */
const CUT_HOLD_MS = 400;
/**
 * With RateLimit headers, every answer steers the rate (shares of the limit per second): up by HEADER_INCREASE,
 * down by HEADER_DECREASE x the client's own share while the window is full with others' calls in it.
 */
export const HEADER_INCREASE = 0.05;
const HEADER_DECREASE = 0.3;
/** Headers seen this recently steer the rate; the answers' additive recovery then stands aside. */
const HEADERS_FRESH_MS = 2000;
/** A cut rate is also a whole number of calls per window: floor(limit x factor + this). */
const QUANTUM_ROUNDING = 0.2;

/**
 * Client-side rate limit for one service:
 * - pacing: calls spaced (1000 + margin) / rate ms apart, each scheduled from when the previous one really
 *   went, never from a missed slot: a timer that fires late (an event-loop stall) never causes a catch-up burst;
 * - a hard guard: at most R calls in any window of 1000 + margin ms of actual send times (a granted call is
 *   counted from when it really goes out), so arrivals jittered by up to the margin never put more than R in
 *   one second at the backend. When the rate is cut, R is the cut rate's whole number of calls per window: clients
 *   sharing a sliding window whose whole numbers add up to the limit never overfill it, whatever their phases
 *   (rates of 3.3 per second each could put 4 + 4 + 4 in one second);
 * - the margin is measured: 1.5 x the 90th percentile of how late the recent timers fired and calls went out
 *   (the machine's CPU contention, which delays arrivals the same way), never below `jitterMs` (20 ms by
 *   default; 50 ms for the built-in simulator, which shares the app's event loop), plus what recent 429s taught;
 * - sharing a limit (several desktops; AIMD as in TCP): a 429 while the client was not using its whole limit cuts
 *   the rate by DECREASE, at most once per CUT_HOLD_MS (when most calls are refused, as when clients start
 *   together, by STRONG_DECREASE); each answer then adds
 *   INCREASE_PER_S of the limit per second, more and more after PROBE_AFTER_S without a cut. A 429 while using
 *   the whole limit alone says the client's own arrivals bunched: the margin widens by 15 ms (decaying as calls
 *   succeed; at most 60 ms, then a cut that grows back fast) and the rate stays. A 429 pauses it for
 *   Retry-After(-Ms) plus up to one spacing at random;
 * - RateLimit-* headers, when the backend sends them, steer it before any 429, on every answer and for every
 *   client at once (so shares converge to equal ones, unlike 429s that reach one client at a time): an announced
 *   limit below the configured one caps it; the rate grows by HEADER_INCREASE per second and shrinks in
 *   proportion to its own share while the window is full with others' calls in it (a client alone in a full
 *   window keeps its rate: the guard holds it).
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
  /** Whether the last cut came while the client used its whole limit alone (then it grows back fast). */
  private soloCut = false;
  /** When the rate was last cut, and when it last grew. */
  private cutAt = Number.NEGATIVE_INFINITY;
  private grownAt = Number.NEGATIVE_INFINITY;
  /** When RateLimit headers were last seen: then they steer the rate, not the answers. */
  private observedAt = Number.NEGATIVE_INFINITY;
  /** The last 20 outcomes (true = 429): a lone 429 or many. */
  private readonly recent: boolean[] = [];

  constructor(
    private readonly ratePerSecond: number | null,
    private readonly jitterMs = 20,
    private readonly now: () => number = () => performance.now(),
    private readonly random: () => number = Math.random,
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
    this.expire(t, windowMs);
    const allowed = Math.max(1, Math.floor(limit * this.factor + QUANTUM_ROUNDING));
    const guard = this.sent.length >= allowed ? (this.sent[this.sent.length - allowed] ?? t) + windowMs - t : 0;
    return Math.max(0, guard, this.next - t);
  }

  private expire(t: number, windowMs: number): void {
    while (this.sent.length && (this.sent[0] ?? 0) <= t - windowMs) this.sent.shift();
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

  /** Calls this client sent in the last window (its own share of what the backend counts). */
  private ownInWindow(t: number, slackMs = 0): number {
    const windowMs = 1000 + this.marginMs + slackMs;
    return this.sent.filter((at) => at > t - windowMs).length;
  }

  /** Multiplicative decrease, at most once per CUT_HOLD_MS (the answers to calls already sent repeat the same news). */
  private cut(by: number): void {
    const t = this.now();
    if (t - this.cutAt < CUT_HOLD_MS) return;
    this.factor = Math.max(0.05, this.factor * by);
    this.cutAt = t;
    this.grownAt = t;
  }

  /**
   * A 429. While this client was using its whole limit alone, its own arrivals bunched (jitter beyond the
   * margin): the margin widens and the rate stays, up to MAX_LEARNED_MS; beyond that the rate is cut and grows
   * back SOLO_SPEEDUP times faster. Otherwise others share the limit: the rate is cut.
   */
  throttled(retryAfterMs: number): void {
    const t = this.now();
    this.outcome(true);
    const limit = this.limit;
    const solo = limit !== null && this.ownInWindow(t) >= limit - 1;
    if (solo && this.learned + LEARN_MS <= MAX_LEARNED_MS) this.learned += LEARN_MS;
    else {
      this.cut(this.recent.slice(-4).filter(Boolean).length >= 3 ? STRONG_DECREASE : DECREASE);
      this.soloCut = solo;
    }
    // Plus up to one spacing at random: clients refused together do not all come back at the same moment (which
    // would lock their phases, and the 429s on whoever comes last).
    this.pausedUntil = Math.max(this.pausedUntil, t + retryAfterMs + this.random() * (1000 / (this.currentRate ?? 1)));
    this.next = Math.max(this.next, this.pausedUntil);
  }

  /**
   * The backend's RateLimit-* headers on an answer (Remaining as the call arrived): an announced limit below the
   * configured one caps the rate; the rate grows, and shrinks by its own share while the window is full and not
   * by this client alone (Remaining 0, partly at 1), and never exceeds what the others leave in the window.
   * Every client sharing the window sees the same fullness, so the bigger share shrinks faster and all converge
   * to equal ones, near the whole limit, without a 429.
   */
  observe(budget: RateLimitBudget): void {
    if (budget.limit !== null && budget.limit > 0) this.announced = budget.limit;
    const limit = this.limit;
    if (limit === null) return;
    const t = this.now();
    const dt = Math.min(500, Math.max(0, t - this.observedAt)) / 1000;
    this.observedAt = t;
    // The window counted when the call arrived, a moment ago: own calls are counted with some slack.
    const others = limit - budget.remaining - this.ownInWindow(t, 200);
    const full = others < 1 ? 0 : Math.min(1, Math.max(0, (1.5 - budget.remaining) / 1.5));
    this.factor = Math.max(0.05, Math.min(1, this.factor + dt * (HEADER_INCREASE - HEADER_DECREASE * this.factor * full)));
    // Never more than the room the others leave in the window: that is found out without a 429.
    if (others >= 1) this.factor = Math.max(0.05, Math.min(this.factor, (limit - others + 0.5) / limit));
  }

  succeeded(): void {
    const t = this.now();
    this.outcome(false);
    if (this.learned > 0) this.learned = Math.max(0, this.learned - 0.05);
    const dt = Math.min(1000, Math.max(0, t - this.grownAt)) / 1000;
    this.grownAt = t;
    if (this.factor >= 1 || t - this.observedAt < HEADERS_FRESH_MS) return;
    // Quiet for long (no cut for PROBE_AFTER_S): the others may have finished; the recovery speeds up.
    const quiet = Math.min(60, Math.max(0, (t - this.cutAt) / 1000 - PROBE_AFTER_S));
    const speed = (1 + quiet / PROBE_S) * (this.soloCut ? SOLO_SPEEDUP : 1);
    this.factor = Math.min(1, this.factor + INCREASE_PER_S * dt * speed);
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
