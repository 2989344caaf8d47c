/**
 * Sliding-window log: at most `limit` accepted calls in any window of `windowMs`. Exact, unlike a fixed
 * window (which lets 2x through across a boundary) or a token bucket (which allows a burst on top).
 */
export class SlidingWindowLimiter {
  private readonly times: number[] = [];
  private head = 0;

  constructor(
    private limit: number | null,
    private readonly windowMs = 1000,
  ) {}

  setLimit(limit: number | null): void {
    this.limit = limit;
  }

  /** Accepts the call at `now` or returns how long until one would be accepted. */
  tryAcquire(now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    this.evict(now);
    if (this.limit === null || this.size() < this.limit) {
      this.times.push(now);
      return { ok: true };
    }
    const oldest = this.times[this.head] ?? now;
    return { ok: false, retryAfterMs: Math.max(1, oldest + this.windowMs - now) };
  }

  /** The window's budget at `now`: calls left, and ms until the oldest call leaves the window. */
  status(now: number): { remaining: number; resetMs: number } {
    this.evict(now);
    if (this.limit === null) return { remaining: Number.MAX_SAFE_INTEGER, resetMs: 0 };
    const oldest = this.times[this.head];
    return {
      remaining: Math.max(0, this.limit - this.size()),
      resetMs: oldest === undefined ? 0 : Math.max(0, oldest + this.windowMs - now),
    };
  }

  /** Counts a call at `now` without limiting and returns the number in the window (for observed peak rates). */
  record(now: number): number {
    this.evict(now);
    this.times.push(now);
    return this.size();
  }

  private size(): number {
    return this.times.length - this.head;
  }

  private evict(now: number): void {
    while (this.head < this.times.length && (this.times[this.head] ?? 0) <= now - this.windowMs) this.head += 1;
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
  }
}
