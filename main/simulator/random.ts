import type { Latency } from './config';

/**
 * A small seeded generator (mulberry32) so that fault injection is reproducible: the same seed and the
 * same sequence of calls give the same faults and latencies. Not for anything security-related.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** z for the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;

export function sampleLatency(latency: Latency, random: () => number): number {
  switch (latency.kind) {
    case 'none':
      return 0;
    case 'fixed':
      return latency.ms;
    case 'uniform':
      return latency.minMs + random() * Math.max(0, latency.maxMs - latency.minMs);
    case 'longtail': {
      // Box-Muller for a standard normal, then log-normal with the given median and p99.
      const u = Math.max(random(), Number.EPSILON);
      const v = random();
      const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      const sigma = Math.log(Math.max(latency.p99Ms, latency.medianMs) / latency.medianMs) / Z99;
      return latency.medianMs * Math.exp(sigma * normal);
    }
  }
}
