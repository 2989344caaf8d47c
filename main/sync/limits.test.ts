import { describe, expect, it } from 'vitest';
import { DECREASE, HEADER_INCREASE, INCREASE_PER_S, RateLimiter } from './limits';

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

  it('cuts the rate by x0.85 on a 429, pauses for Retry-After-Ms, and recovers additively', () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter(
      10,
      20,
      () => clock.now,
      () => 0.5,
    );
    limiter.throttled(350);
    expect(limiter.rateFactor).toBeCloseTo(DECREASE);
    // Plus a random part of one spacing (here half of it), so clients refused together come back apart.
    expect(limiter.wait()).toBeCloseTo(350 + 500 / (limiter.currentRate ?? 0));
    // The answers to calls sent before the cut: no second cut.
    clock.now = 200;
    limiter.throttled(10);
    expect(limiter.rateFactor).toBeCloseTo(DECREASE);
    // Answers every 100 ms for 8 s: INCREASE_PER_S of the limit per second.
    for (clock.now = 500; clock.now <= 8000; clock.now += 100) limiter.succeeded();
    expect(limiter.rateFactor).toBeCloseTo(DECREASE + 8 * INCREASE_PER_S, 3);
    // Then, still no cut: faster and faster (others may have finished): 12-13 s after the cut, 3.25 x as fast.
    for (; clock.now <= 12_000; clock.now += 100) limiter.succeeded();
    const before = limiter.rateFactor;
    for (; clock.now <= 13_000; clock.now += 100) limiter.succeeded();
    expect(limiter.rateFactor - before).toBeCloseTo(3.25 * INCREASE_PER_S, 3);
  });

  it('is fair as AIMD: the recovery gives every share the same, a cut takes more from the bigger one', () => {
    const clock = { now: 0 };
    const big = new RateLimiter(10, 20, () => clock.now);
    const small = new RateLimiter(10, 20, () => clock.now);
    big.throttled(0);
    for (let i = 0; i < 4; i += 1) {
      small.throttled(0);
      clock.now += 500;
    }
    big.succeeded();
    small.succeeded();
    const gap = big.rateFactor - small.rateFactor;
    expect(gap).toBeGreaterThan(0.3);
    // The same recovery for both, whatever their rate (a multiplicative one would widen the gap).
    for (let i = 0; i < 50; i += 1) {
      clock.now += 100;
      big.succeeded();
      small.succeeded();
    }
    expect(big.rateFactor - small.rateFactor).toBeCloseTo(gap, 6);
    // A 429 for each (later, several calls after the last 429): the gap shrinks by the cut.
    for (let i = 0; i < 20; i += 1) {
      big.succeeded();
      small.succeeded();
    }
    const before = big.rateFactor - small.rateFactor;
    big.throttled(0);
    small.throttled(0);
    expect(big.rateFactor - small.rateFactor).toBeCloseTo(before * DECREASE, 6);
  });

  it('a cut rate is a whole number of calls per window: at most floor(10 x factor + 0.2) in any 1020 ms', () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter(10, 20, () => clock.now);
    for (let i = 0; i < 7; i += 1) {
      limiter.throttled(0);
      for (let j = 0; j < 5; j += 1) {
        clock.now += 100;
        limiter.succeeded();
      }
    }
    // 0.85^7 = 0.32: 3.2 calls per second paced, three per window at most.
    expect(limiter.rateFactor * 10).toBeGreaterThan(3);
    const sent = drive(limiter, clock, clock.now + 10_000);
    expect(maxInWindow(sent, 1020)).toBe(3);
    expect(sent.length).toBeGreaterThanOrEqual(28);
  });

  it('widens the margin instead on a 429 while using the whole limit alone (its own arrivals bunched)', () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter(10, 20, () => clock.now);
    drive(limiter, clock, 2000);
    const margin = limiter.marginMs;
    limiter.throttled(50);
    expect(limiter.rateFactor).toBe(1);
    expect(limiter.marginMs).toBe(margin + 15);
    // Up to 60 ms learned...
    for (let i = 0; i < 3; i += 1) limiter.throttled(50);
    expect(limiter.marginMs).toBe(margin + 60);
    expect(limiter.rateFactor).toBe(1);
    // ...then a cut, which grows back ten times as fast as one shared with others: full again in about 3 s.
    for (let i = 0; i < 4; i += 1) limiter.succeeded();
    limiter.throttled(50);
    expect(limiter.rateFactor).toBeCloseTo(DECREASE);
    for (const end = clock.now + 2000; clock.now < end; clock.now += 100) limiter.succeeded();
    expect(limiter.rateFactor).toBeCloseTo(DECREASE + 0.1 - 0.005, 3);
    for (const end = clock.now + 1100; clock.now < end; clock.now += 100) limiter.succeeded();
    expect(limiter.rateFactor).toBe(1);
  });

  it('cuts harder when most recent calls were refused (several clients starting at once)', () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter(10, 20, () => clock.now);
    limiter.throttled(10);
    clock.now = 500;
    limiter.throttled(10);
    expect(limiter.rateFactor).toBeCloseTo(DECREASE * DECREASE);
    // Three of the last four refused (several clients starting at once): x0.7.
    clock.now = 1000;
    limiter.throttled(10);
    expect(limiter.rateFactor).toBeCloseTo(DECREASE * DECREASE * 0.7);
  });

  it('paces from RateLimit headers: a lower announced limit caps it; a window full with others shrinks it by its share', () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter(10, 20, () => clock.now);
    limiter.observe({ limit: 5, remaining: 3, resetS: 1 });
    expect(limiter.currentRate ?? 0).toBeLessThanOrEqual(5);
    expect(limiter.wait()).toBe(0);
    // A full window, no call of its own in it: others fill it. Every answer takes HEADER_DECREASE x its share per s.
    const big = new RateLimiter(10, 20, () => clock.now);
    const small = new RateLimiter(10, 20, () => clock.now);
    for (let i = 0; i < 4; i += 1) {
      small.throttled(0);
      clock.now += 500;
    }
    const gap = big.rateFactor - small.rateFactor;
    for (let i = 0; i < 10; i += 1) {
      clock.now += 100;
      big.observe({ limit: 10, remaining: 0, resetS: 1 });
      small.observe({ limit: 10, remaining: 0, resetS: 1 });
    }
    expect(big.rateFactor).toBeLessThan(1 - 0.2);
    // The bigger share shrinks faster: equal shares in the end.
    expect(big.rateFactor - small.rateFactor).toBeLessThan(gap * 0.8);
    // Room in the window: both grow by the same HEADER_INCREASE per second.
    const before = [big.rateFactor, small.rateFactor];
    for (let i = 0; i < 10; i += 1) {
      clock.now += 100;
      big.observe({ limit: 10, remaining: 5, resetS: 1 });
      small.observe({ limit: 10, remaining: 5, resetS: 1 });
    }
    expect(big.rateFactor - (before[0] ?? 0)).toBeCloseTo(HEADER_INCREASE, 6);
    expect(small.rateFactor - (before[1] ?? 0)).toBeCloseTo(HEADER_INCREASE, 6);
  });

  it('a window full with its own calls only is left to the guard: the rate stays', () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter(10, 20, () => clock.now);
    drive(limiter, clock, 2000);
    for (let i = 0; i < 10; i += 1) {
      clock.now += 10;
      limiter.observe({ limit: 10, remaining: 0, resetS: 1 });
    }
    expect(limiter.rateFactor).toBe(1);
  });
});
