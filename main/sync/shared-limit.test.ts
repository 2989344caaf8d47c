import { describe, expect, it } from 'vitest';
import { runLimitModel } from '../../tests/helpers/limit-model';

const SEEDS = [1, 2, 3, 4, 5, 6];
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
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

  it('one client on a busy machine: no 429 when the transport reports its writes (six seeds)', () => {
    // Writes 10-550 ms after the grant now and then, as measured with four busy processes on two cores.
    const reported = SEEDS.map((seed) => runLimitModel([{ calls: 600 }], { seed, busyWrites: true }));
    // Measured: 0 refused, 0.949-0.957 of the floor.
    expect(Math.max(...reported.map((r) => r.refused))).toBe(0);
    expect(Math.min(...reported.map((r) => r.efficiency))).toBeGreaterThan(0.94);
    // Without write reports (Electron's net.fetch) only slow answers tell: measured 6-8 refused (16-20 without that).
    const unreported = SEEDS.map((seed) => runLimitModel([{ calls: 600 }], { seed, busyWrites: true, reportWrites: false }));
    expect(Math.max(...unreported.map((r) => r.refused))).toBeLessThanOrEqual(10);
    // A backend that holds requests before counting them (20-120 ms, now and then): measured 3-5 refused (6-8 without).
    const held = SEEDS.map((seed) => runLimitModel([{ calls: 600 }], { seed, busyWrites: true, backendHoldChance: 0.001 }));
    expect(Math.max(...held.map((r) => r.refused))).toBeLessThanOrEqual(5);
  });

  it('three clients with RateLimit headers: more than nine tenths of the limit, few 429s, finishing close together (six seeds)', () => {
    const results = SEEDS.map((seed) => runLimitModel([{ calls: 200 }, { calls: 200 }, { calls: 200 }], { seed, headers: true }));
    // Measured: 0.886-0.958 of the floor (0.915 on average, the first second's calls included), 1.0-3.8 % 429s
    // (mostly while the three start at once), finish spread 3-19 % (13 % on average).
    expect(mean(results.map((r) => r.efficiency))).toBeGreaterThan(0.91);
    expect(Math.max(...results.map((r) => r.refusedShare))).toBeLessThan(0.045);
    expect(mean(results.map((r) => r.spread))).toBeLessThan(0.14);
    expect(Math.max(...results.map((r) => r.spread))).toBeLessThan(0.25);
  });

  it('with RateLimit headers, a client joining late gets a near-equal share within 10 s (six seeds)', () => {
    const joiner: number[] = [];
    for (const seed of SEEDS) {
      const { accepted, refused } = runLimitModel([{ calls: 400 }, { calls: 400 }, { calls: 200, startMs: 15_000 }], {
        seed,
        headers: true,
      });
      const [a = [], b = []] = accepted;
      // Before the join, the first two share it: 3.6-5.7 each.
      expect(rate(a, 3, 15) + rate(b, 3, 15)).toBeGreaterThan(8.5);
      // From 10 s after the join, nearly the whole limit together.
      const shares = accepted.map((counts) => rate(counts, 25, 45));
      expect(shares.reduce((x, y) => x + y)).toBeGreaterThan(9);
      expect(refused).toBeLessThan(30);
      joiner.push(shares[2] ?? 0);
    }
    // Measured: the joiner got 2.3-3.2 calls per second. Its refused calls are invisible to the two others, who
    // cannot tell it from one another at 5 + 5: they give calls back now and then (UNSURE_ABOVE_YIELD) and the
    // smallest share takes the room first.
    expect(median(joiner)).toBeGreaterThan(2.7);
    expect(Math.min(...joiner)).toBeGreaterThan(2.2);
  });

  it('three clients without headers (429s only): most of the limit, few 429s (six seeds)', () => {
    const results = SEEDS.map((seed) => runLimitModel([{ calls: 200 }, { calls: 200 }, { calls: 200 }], { seed }));
    // Measured: 0.84-0.90 of the floor (0.87 on average), 3.7-4.2 % 429s; shares drift apart (a probe's 429 mostly
    // lands on the prober, so shares move only now and then): finish spread 6-33 %, short of fair.
    expect(mean(results.map((r) => r.efficiency))).toBeGreaterThan(0.86);
    expect(Math.max(...results.map((r) => r.refusedShare))).toBeLessThan(0.05);
  });
});
