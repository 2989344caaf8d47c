import { performance } from 'node:perf_hooks';
import { type Service, SERVICES, type SimConfig } from './config';
import { seededRandom } from './random';
import { SlidingWindowLimiter } from './rate-limiter';
import type { SimState } from './state';

export interface SimRequestLogEntry {
  /** Milliseconds since the simulator started. */
  t_ms: number;
  at: string;
  service: Service | 'oauth';
  method: string;
  path: string;
  /** 0 when the connection was reset and no response was sent. */
  status: number;
  duration_ms: number;
  fault?: 'rate_limited' | 'outage' | 'error' | 'reset' | 'hang' | 'timeout' | 'commit_then_fail';
  /** The answer was the stored first result for a repeated Idempotency-Key. */
  replayed?: true;
}

export type Counts = Record<Service, number>;
export const zeroCounts = (): Counts => ({ orders: 0, payments: 0, notifications: 0 });

export interface Counters {
  requests: Counts;
  created: Counts;
  rate_limited: Counts;
  max_rate_per_second: Counts;
  faults: Counts;
  /** Calls answered with the stored first result of their Idempotency-Key. */
  replayed: Counts;
}

const zeroCounters = (): Counters => ({
  requests: zeroCounts(),
  created: zeroCounts(),
  rate_limited: zeroCounts(),
  max_rate_per_second: zeroCounts(),
  faults: zeroCounts(),
  replayed: zeroCounts(),
});

export function makeLimiters(config: SimConfig | null): Record<Service, SlidingWindowLimiter> {
  const limiter = (service: Service) => new SlidingWindowLimiter(config?.services[service].rateLimitPerSecond ?? null);
  return { orders: limiter('orders'), payments: limiter('payments'), notifications: limiter('notifications') };
}

/** The simulator's mutable state besides the records: config, random sequence, limiters, counters, request log. */
export class SimRuntime {
  random: () => number;
  limiters: Record<Service, SlidingWindowLimiter>;
  /** Unlimited windows that only count arrivals (the observed peak rate per service). */
  arrivals = makeLimiters(null);
  counters = zeroCounters();
  log: SimRequestLogEntry[] = [];
  private readonly startedAt = performance.now();

  constructor(
    public config: SimConfig,
    readonly state: SimState,
  ) {
    this.random = seededRandom(config.seed);
    this.limiters = makeLimiters(config);
  }

  elapsed(): number {
    return performance.now() - this.startedAt;
  }

  setConfig(next: SimConfig): void {
    if (next.seed !== this.config.seed) this.random = seededRandom(next.seed);
    this.config = next;
    for (const service of SERVICES) this.limiters[service].setLimit(next.services[service].rateLimitPerSecond);
  }

  reset(): void {
    this.state.clear();
    this.log = [];
    this.counters = zeroCounters();
    this.limiters = makeLimiters(this.config);
    this.arrivals = makeLimiters(null);
    this.random = seededRandom(this.config.seed);
  }
}
