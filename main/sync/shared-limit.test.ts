import { describe, expect, it } from 'vitest';
import { runLimitModel } from '../../tests/helpers/limit-model';

const SEEDS = [1, 2, 3, 4, 5, 6];
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
/** Calls a client got accepted per second over [from, to) s of the run. */
const rate = (accepted: number[], from: number, to: number) => accepted.slice(from, to).reduce((sum, n) => sum + n, 0) / (to - from);

describe('rate limiters sharing a backend window (simulated clock)', () => {
  it('one client: the whole limit, no 429, with or without RateLimit headers', () => {
    for (const headers of [false, true]) {
      const { efficiency, refused } = runLimitModel([{ calls: 600 }], { headers });
      expect(refused).toBe(0);
      expect(efficiency).toBeGreaterThan(0.97);
    }
  });

  it('three clients with RateLimit headers: near the whole limit, few 429s, finishing together (six seeds)', () => {
    const results = SEEDS.map((seed) => runLimitModel([{ calls: 200 }, { calls: 200 }, { calls: 200 }], { seed, headers: true }));
    // Measured: 0.89-0.90 of the floor (the first second's calls to three idle clients included), 3-4 % 429s
    // (nearly all while the three start at once), finish spread <= 8 %.
    expect(mean(results.map((r) => r.efficiency))).toBeGreaterThan(0.87);
    expect(Math.max(...results.map((r) => r.refusedShare))).toBeLessThan(0.05);
    expect(Math.max(...results.map((r) => r.spread))).toBeLessThan(0.1);
  });

  it('with RateLimit headers, a client joining late gets a near-equal share within 10 s (six seeds)', () => {
    const gaps: number[] = [];
    for (const seed of SEEDS) {
      const { accepted, refused } = runLimitModel([{ calls: 400 }, { calls: 400 }, { calls: 200, startMs: 15_000 }], {
        seed,
        headers: true,
      });
      const [a = [], b = []] = accepted;
      // Before the join, the first two share it: 4-5 each.
      expect(rate(a, 3, 15)).toBeGreaterThan(3.8);
      expect(rate(b, 3, 15)).toBeGreaterThan(3.8);
      // From 10 s after the join, three shares of about 3 each, nearly the whole limit together.
      const shares = accepted.map((counts) => rate(counts, 25, 45));
      expect(Math.min(...shares)).toBeGreaterThan(2.2);
      expect(shares.reduce((x, y) => x + y)).toBeGreaterThan(8.5);
      expect(refused).toBeLessThan(15);
      gaps.push(Math.max(...shares) - Math.min(...shares));
    }
    // Measured: gaps of 0.15-1.6 calls per second (a share is a whole number of calls per window, so one client
    // can hold 4 while another holds 2 or 3 for a while), 0.6 on average.
    expect(mean(gaps)).toBeLessThan(0.8);
    expect(Math.max(...gaps)).toBeLessThan(1.7);
  });

  it('three clients without headers (429s only): most of the limit, few 429s (six seeds)', () => {
    const results = SEEDS.map((seed) => runLimitModel([{ calls: 200 }, { calls: 200 }, { calls: 200 }], { seed }));
    // Measured: 0.78-0.90 of the floor, about 5 % 429s; shares drift apart (429s reach one client at a time, so
    // AIMD evens them out only over many cuts): short of the 0.90 goal, see the report of issue 16.
    expect(mean(results.map((r) => r.efficiency))).toBeGreaterThan(0.8);
    expect(Math.max(...results.map((r) => r.refusedShare))).toBeLessThan(0.06);
  });
});
