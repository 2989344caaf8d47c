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
    // Never two calls closer than the nominal spacing: the missed slots are not made up.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
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
    expect(limiter.marginMs).toBe(80);
    expect(limiter.currentRate ?? 0).toBeLessThan(before);
    // The guard counts the call at the time it really went.
    expect(limiter.history).toEqual([1]);
  });

  it('cuts the rate by x0.85 on a 429, pauses for Retry-After-Ms, and recovers in proportion to the rate', () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter(10, 20, () => clock.now);
    limiter.throttled(350);
    expect(limiter.rateFactor).toBeCloseTo(DECREASE);
    expect(limiter.wait()).toBe(350);
    limiter.throttled(10);
    expect(limiter.rateFactor).toBeCloseTo(DECREASE * DECREASE);
    // Recovery: about ten seconds' worth of successes give back one cut.
    const factor = limiter.rateFactor;
    for (let i = 0; i < 10; i += 1) limiter.succeeded();
    expect(limiter.rateFactor).toBeGreaterThan(factor);
    expect(limiter.rateFactor).toBeLessThan(factor + (1 - DECREASE) / 2);
    for (let i = 0; i < 400; i += 1) limiter.succeeded();
    expect(limiter.rateFactor).toBe(1);
  });

  it('paces from RateLimit headers: an empty window slows it before any 429, a lower announced limit caps it', () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter(10, 20, () => clock.now);
    limiter.observe({ limit: 5, remaining: 3, resetS: 1 });
    expect(limiter.currentRate ?? 0).toBeLessThanOrEqual(5);
    limiter.observe({ limit: 5, remaining: 0, resetS: 1 });
    expect(limiter.rateFactor).toBeLessThan(1);
    expect(limiter.wait()).toBeGreaterThan(0);
    const slowed = limiter.rateFactor;
    // With headers, successes alone do not speed it up: a roomy window does.
    limiter.succeeded();
    expect(limiter.rateFactor).toBe(slowed);
    limiter.observe({ limit: 5, remaining: 4, resetS: 1 });
    expect(limiter.rateFactor).toBeGreaterThan(slowed);
  });
});
