import { describe, expect, it } from 'vitest';
import { DECREASE, RateLimiter } from './limits';

/** Drives a limiter on a fake clock in 1 ms steps; sends whenever it allows. Returns the send times. */
function drive(limiter: RateLimiter, clock: { now: number }, untilMs: number, stall?: { at: number; ms: number }): number[] {
  const sent: number[] = [];
  while (clock.now < untilMs) {
    if (stall && clock.now === stall.at) clock.now += stall.ms;
    if (limiter.wait() === 0) {
      sent.push(clock.now);
      void limiter.take();
    }
    clock.now += 1;
  }
  return sent;
}

const maxInWindow = (sent: number[], windowMs: number) =>
  Math.max(...sent.map((start) => sent.filter((t) => t >= start && t < start + windowMs).length));

describe('RateLimiter', () => {
  it('keeps any 1-second window (plus the margin) within the limit and paces evenly', () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter(10, 20, () => clock.now);
    const sent = drive(limiter, clock, 5000);
    expect(maxInWindow(sent, 1020)).toBeLessThanOrEqual(10);
    expect(sent.length).toBeGreaterThanOrEqual(48);
    const gaps = sent.slice(1).map((t, i) => t - (sent[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
  });

  it('after a stall (a late timer) schedules from now: no catch-up burst', () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter(10, 20, () => clock.now);
    // The event loop stalls for 323 ms at t = 1000 (seen in the demo).
    const sent = drive(limiter, clock, 4000, { at: 1000, ms: 323 });
    const gaps = sent.slice(1).map((t, i) => t - (sent[i] ?? 0));
    // The missed slots are not made up: after the stall the next call is at most half a spacing early,
    // never a burst.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50);
    const afterStall = sent.filter((t) => t >= 1323 && t < 1523);
    expect(afterStall.length).toBeLessThanOrEqual(3);
    expect(maxInWindow(sent, 1000)).toBeLessThanOrEqual(10);
  });

  it('measures the margin: a granted call that goes out late widens it, and the rate drops accordingly', () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter(10, 20, () => clock.now);
    const before = limiter.currentRate ?? 0;
    clock.now = 1;
    const granted = clock.now;
    void limiter.take();
    clock.now += 40;
    limiter.dispatched(granted);
    // Until eight waits are measured the margin is the configured jitter; then 1.5 x their 90th percentile.
    expect(limiter.marginMs).toBe(20);
    for (let i = 0; i < 8; i += 1) limiter.dispatched(clock.now - 40);
    expect(limiter.marginMs).toBe(60);
    expect(limiter.currentRate ?? 0).toBeLessThan(before);
    // Calm again: down to the configured jitter allowance, its floor.
    for (let i = 0; i < 50; i += 1) limiter.dispatched(clock.now - 1);
    expect(limiter.marginMs).toBe(20);
    // The guard counts the call at the time it really went.
    expect(limiter.history).toEqual([41]);
  });

  it('cuts the rate by x0.85 on a 429, pauses for Retry-After-Ms, and recovers along a cubic', () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter(10, 20, () => clock.now);
    limiter.throttled(350);
    expect(limiter.rateFactor).toBeCloseTo(DECREASE);
    expect(limiter.wait()).toBe(350);
    // Fast at first, flat near the rate where the 429 came, then beyond it.
    clock.now = 3000;
    limiter.succeeded();
    const early = limiter.rateFactor;
    expect(early).toBeGreaterThan(DECREASE + 0.05);
    expect(early).toBeLessThan(1);
    clock.now = 14_000;
    limiter.succeeded();
    expect(limiter.rateFactor).toBeGreaterThan(0.99);
    clock.now = 30_000;
    limiter.succeeded();
    expect(limiter.rateFactor).toBe(1);
  });

  it('widens the margin instead on a lone 429 while using the whole limit (its own arrivals bunched)', () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter(10, 20, () => clock.now);
    drive(limiter, clock, 2000);
    const margin = limiter.marginMs;
    limiter.throttled(50);
    expect(limiter.rateFactor).toBe(1);
    expect(limiter.marginMs).toBe(margin + 15);
    // A second one soon after: others share the limit.
    limiter.throttled(50);
    expect(limiter.rateFactor).toBeCloseTo(DECREASE);
  });

  it('cuts harder when most recent calls were refused (several clients starting at once)', () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter(10, 20, () => clock.now);
    for (let i = 0; i < 3; i += 1) limiter.throttled(10);
    expect(limiter.rateFactor).toBeCloseTo(DECREASE * DECREASE * 0.7);
  });

  it('paces from RateLimit headers: a lower announced limit caps it, an empty window holds the next call back', () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter(10, 20, () => clock.now);
    limiter.observe({ limit: 5, remaining: 3, resetS: 1 });
    expect(limiter.currentRate ?? 0).toBeLessThanOrEqual(5);
    expect(limiter.wait()).toBe(0);
    limiter.observe({ limit: 5, remaining: 0, resetS: 1 });
    expect(limiter.wait()).toBeGreaterThanOrEqual(190);
    expect(limiter.rateFactor).toBe(1);
  });
});
