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

  it('one client on a busy machine: no 429 when the transport reports its writes (six seeds)', () => {
    // Writes 10-550 ms after the grant now and then, as measured with four busy processes on two cores.
    const reported = SEEDS.map((seed) => runLimitModel([{ calls: 600 }], { seed, busyWrites: true }));
    // Measured: 0 refused, 0.948-0.959 of the floor.
    expect(Math.max(...reported.map((r) => r.refused))).toBe(0);
    expect(Math.min(...reported.map((r) => r.efficiency))).toBeGreaterThan(0.94);
    // Without write reports (Electron's net.fetch) only slow answers tell: measured 7-8 refused (16-20 without that).
    const unreported = SEEDS.map((seed) => runLimitModel([{ calls: 600 }], { seed, busyWrites: true, reportWrites: false }));
    expect(Math.max(...unreported.map((r) => r.refused))).toBeLessThanOrEqual(10);
    // A backend that holds requests before counting them (20-120 ms, now and then): measured 2-5 refused (6-8 without).
    const held = SEEDS.map((seed) => runLimitModel([{ calls: 600 }], { seed, busyWrites: true, backendHoldChance: 0.001 }));
    expect(Math.max(...held.map((r) => r.refused))).toBeLessThanOrEqual(5);
  });

  it('three clients with RateLimit headers: more than nine tenths of the limit, few 429s, finishing close together (six seeds)', () => {
    const results = SEEDS.map((seed) => runLimitModel([{ calls: 200 }, { calls: 200 }, { calls: 200 }], { seed, headers: true }));
    // Measured: 0.936-0.961 of the floor (0.949 on average, the first second's calls included), 0.3-0.8 % 429s
    // (mostly while the three start at once), finish spread 0.6-3.9 % (2.3 % on average). Before the extra call went
    // round in turn (given back now and then at random, taken by whoever saw the room first): 0.897-0.946, spread
    // 4-23 % (14 % on average).
    expect(mean(results.map((r) => r.efficiency))).toBeGreaterThan(0.93);
    expect(Math.max(...results.map((r) => r.refusedShare))).toBeLessThan(0.02);
    expect(mean(results.map((r) => r.spread))).toBeLessThan(0.06);
    expect(Math.max(...results.map((r) => r.spread))).toBeLessThan(0.1);
  });

  it('two clients with RateLimit headers: a call given back that the other leaves is taken back (six seeds)', () => {
    const results = SEEDS.map((seed) => runLimitModel([{ calls: 300 }, { calls: 300 }], { seed, headers: true }));
    // Measured: 0.918-0.952 of the floor (0.936 on average), 1-2 refused, finish spread at most 7.4 %. At 5 + 5
    // neither can tell the other from two smaller clients, so each gives a call back after 8 s; the other, above
    // the mean then, leaves it, and the giver takes it back after RETAKE_MS and holds it twice as long next time.
    // Before (left free for 10 s, and taken by the client above the mean): 0.902-0.916 (0.909), spread up to 12.5 %.
    expect(mean(results.map((r) => r.efficiency))).toBeGreaterThan(0.925);
    expect(Math.min(...results.map((r) => r.efficiency))).toBeGreaterThan(0.91);
    expect(Math.max(...results.map((r) => r.refused))).toBeLessThanOrEqual(3);
    expect(Math.max(...results.map((r) => r.spread))).toBeLessThan(0.09);
  });

  it('with RateLimit headers, a client joining late gets a third of the limit within 10 s (six seeds)', () => {
    const joiner: number[] = [];
    for (const seed of SEEDS) {
      const { accepted, refused } = runLimitModel([{ calls: 400 }, { calls: 400 }, { calls: 200, startMs: 15_000 }], {
        seed,
        headers: true,
      });
      const [a = [], b = []] = accepted;
      // Before the join, the first two share it (9.2-9.5 calls per second together).
      expect(rate(a, 3, 15) + rate(b, 3, 15)).toBeGreaterThan(9);
      // From 10 s after the join, nearly the whole limit together (9.1-9.4).
      const shares = accepted.map((counts) => rate(counts, 25, 45));
      expect(shares.reduce((x, y) => x + y)).toBeGreaterThan(9);
      expect(refused).toBeLessThanOrEqual(8);
      joiner.push(shares[2] ?? 0);
    }
    // Measured: the joiner got 2.95-3.30 calls per second, a third, with 2-7 calls refused in the run. The two others
    // cannot tell it from one another at 5 + 5 (its refused calls are invisible to them), so each gives a call back
    // after 8 s above the mean of two others (AMBIGUOUS_HOLD); the free call is left to the joiner. Alone together
    // they had taken back calls no one took and doubled their holds; the 429s the joiner's taken slots cause them
    // put their holds back to once. Before, when calls were given back now and then at random: 1.6-4.1 (2.5 on
    // average), up to 31 refused.
    expect(mean(joiner)).toBeGreaterThan(3);
    expect(Math.min(...joiner)).toBeGreaterThan(2.9);
  });

  it('with RateLimit headers, a client joining one that has the limit to itself gets calls at once (six seeds)', () => {
    for (const seed of SEEDS) {
      const { accepted, refused } = runLimitModel([{ calls: 400 }, { calls: 150, startMs: 10_000 }], { seed, headers: true });
      const joiner = accepted[1] ?? [];
      // Measured: 1.0 call per second in its first 5 s, 1.8-2.1 in the next 10, 2 or 3 refused in the run. Refused
      // at one call per window, it takes the window's oldest slot as it leaves (Retry-After-Ms), and the first
      // client sees its call. Before, it was refused on every call (the first client, alone, saw no one) and got
      // nothing for 30 s in two seeds of six, with up to 31 refused.
      expect(rate(joiner, 10, 15)).toBeGreaterThan(0.8);
      expect(rate(joiner, 15, 25)).toBeGreaterThan(1.5);
      expect(refused).toBeLessThanOrEqual(5);
    }
  });

  it('three clients without headers (429s only): nine tenths of the limit, few 429s, finishing close together (twelve seeds)', () => {
    const results = Array.from({ length: 12 }, (_, i) => i + 1).map((seed) =>
      runLimitModel([{ calls: 200 }, { calls: 200 }, { calls: 200 }], { seed }),
    );
    // Measured: 0.890-0.958 of the floor (0.924 on average), 2.8-3.5 % 429s, finish spread 6.6 % on average and
    // 12.1 % at most. Before the extra call went round (a 429 passed on by the smaller shares, the holder giving the
    // call back after HOLD_MS): 0.865-0.928 (0.907), up to 4.6 %, spread 14.7 % on average and 23.5 % at most.
    // Over 240 seeds: 0.930 on average (0.920 before), 3.2 % (3.6 %), spread 6.1 % (12.6 %), 15 runs below 0.90 (52).
    expect(mean(results.map((r) => r.efficiency))).toBeGreaterThan(0.915);
    expect(Math.min(...results.map((r) => r.efficiency))).toBeGreaterThan(0.88);
    expect(Math.max(...results.map((r) => r.refusedShare))).toBeLessThan(0.04);
    expect(mean(results.map((r) => r.spread))).toBeLessThan(0.09);
    expect(Math.max(...results.map((r) => r.spread))).toBeLessThan(0.15);
  });

  it('without headers, a client joining late gets a third of the limit within 10 s; a client left alone takes the rest (six seeds)', () => {
    for (const seed of SEEDS) {
      const { accepted, refused } = runLimitModel([{ calls: 400 }, { calls: 400 }, { calls: 200, startMs: 15_000 }], { seed });
      const shares = accepted.map((counts) => rate(counts, 25, 45));
      // Measured: 2.9-3.95 calls per second for the joiner (2.75-3.9 before); 9.3-9.6 together (9.65-9.75 before the
      // holder of the extra call gave it back: the room it leaves waits for a probe); 28-36 refused (30-35).
      // Refused at one call per window, the joiner takes the oldest slot as it leaves: someone else gives a call up.
      expect(shares[2]).toBeGreaterThan(2.7);
      expect(shares.reduce((x, y) => x + y)).toBeGreaterThan(9.2);
      expect(refused).toBeLessThan(40);
    }
    // Two desktops, 100 and 400 calls: 0.87-0.93 of the limit over the run, 5-7 refused. The one left alone probes
    // after 5-10 s and then every 3-6 s, from the third quiet probe asking for twice as many more calls as the last
    // (0.77-0.81 before, one more call at a time after 10-20 s).
    const uneven = SEEDS.map((seed) => runLimitModel([{ calls: 100 }, { calls: 400 }], { seed }));
    expect(mean(uneven.map((r) => r.efficiency))).toBeGreaterThan(0.85);
    expect(Math.max(...uneven.map((r) => r.refused))).toBeLessThanOrEqual(7);
    for (const { accepted, finishes } of uneven) {
      const left = accepted[1] ?? [];
      // Half the limit while both send (4.9 calls per second), the whole of it once alone (9.8 over its last 5 s).
      expect(rate(left, 3, Math.floor(finishes[0] ?? 0) - 1)).toBeGreaterThan(4.5);
      expect(rate(left, left.length - 6, left.length - 1)).toBeGreaterThan(9.5);
    }
  });

  it('without headers and with Retry-After in whole seconds only (all the contract promises): every call accepted, under 5 % 429s (six seeds)', () => {
    const results = SEEDS.map((seed) =>
      runLimitModel([{ calls: 200 }, { calls: 200 }, { calls: 200 }], { seed, retryAfterSecondsOnly: true }),
    );
    // Measured: 0.843-0.881 of the limit (0.859 on average; 0.834 before the extra call was given back in turn),
    // 2.6-4.3 % 429s, finish spread 10 % on average (20 % before): short of the 0.90 goal. Each 429 pauses the client
    // for the whole second the backend asks, and a refused probe cannot time its take (the oldest call leaves
    // "within 1 s"), so it pays a second pause. With Retry-After-Ms: 0.916 on the same seeds.
    expect(mean(results.map((r) => r.efficiency))).toBeGreaterThan(0.84);
    expect(Math.min(...results.map((r) => r.efficiency))).toBeGreaterThan(0.82);
    expect(Math.max(...results.map((r) => r.refusedShare))).toBeLessThan(0.045);
  });
});
