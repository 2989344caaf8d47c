import { seededRandom } from '../../main/simulator/random';
import { SlidingWindowLimiter } from '../../main/simulator/rate-limiter';
import { type RateLimitBudget, RateLimiter } from '../../main/sync/limits';

export interface ModelClient {
  /** Calls this client has to get accepted. */
  calls: number;
  /** When it starts sending (ms on the simulated clock). */
  startMs?: number;
}

export interface ModelOptions {
  /** The backend's limit per 1 s sliding window (and the one every client is configured with). */
  limit?: number;
  seed?: number;
  /** The backend sends RateLimit-Limit/Remaining/Reset (as the simulator does: Reset in whole seconds). */
  headers?: boolean;
  /** Chance per client and ms that its event loop stalls for 20-120 ms (a busy machine). */
  stallChance?: number;
  /**
   * The client's event loop is busy between the grant and the socket write (as measured with four busy processes
   * on two cores: 99th percentile 127 ms, worst 543 ms): 10 % of writes 10-150 ms late, 1 % 150-550 ms.
   */
  busyWrites?: boolean;
  /** The transport reports when each call was written (undici does, written.ts); default true. */
  reportWrites?: boolean;
  /**
   * The backend (or the way to it) holds requests now and then before its rate limit counts them, as the
   * simulator does on a loaded machine: chance per ms of a 20-120 ms hold; held requests are counted when it ends.
   */
  backendHoldChance?: number;
  /**
   * The way to the backend and back, each way (ms, uniform in [min, max]); default [1, 5] (the simulator on the same
   * machine). A 429 is answered after the way back only, as the simulator answers it before the service's latency.
   */
  networkMs?: [number, number];
  /** The backend's 429 says only Retry-After in whole seconds (the contract's minimum), no Retry-After-Ms. */
  retryAfterSecondsOnly?: boolean;
}

export interface ModelResult {
  /** Calls of all clients / limit / the last finish (s): 1 = the whole limit used from the first ms. */
  efficiency: number;
  calls: number;
  refused: number;
  refusedShare: number;
  /** When each client had all its calls accepted (s). */
  finishes: number[];
  /** The spread of finish times as a share of the run. */
  spread: number;
  /** Calls each client got accepted per 1 s slot of the run. */
  accepted: number[][];
  /** Calls refused per 1 s slot of the run. */
  refusedPerSecond: number[];
}

interface Client {
  limiter: RateLimiter;
  calls: number;
  startMs: number;
  done: number;
  answers: { at: number; ok: boolean; retryAfterMs: number; budget: RateLimitBudget | null; sentAt: number }[];
  finishedAt: number;
  stalledUntil: number;
}

/**
 * Clients with a backlog each, pacing with their own RateLimiter against one backend sliding window, on a
 * simulated clock in 1 ms steps: arrivals 1-5 ms after sending (networkMs), answers 25-95 ms later plus the way
 * back, a 429 after the way back only, as the simulator answers it (the budget headers, when sent, describe the
 * window when the call arrived). Deterministic for a seed; no wall-clock time.
 */
export function runLimitModel(clients: ModelClient[], options: ModelOptions = {}): ModelResult {
  const limit = options.limit ?? 10;
  const random = seededRandom(options.seed ?? 1);
  let now = 0;
  const backend = new SlidingWindowLimiter(limit);
  const all: Client[] = clients.map((c) => ({
    limiter: new RateLimiter(limit, 20, () => now, random),
    calls: c.calls,
    startMs: c.startMs ?? 0,
    done: 0,
    answers: [],
    finishedAt: 0,
    stalledUntil: 0,
  }));
  const accepted = all.map(() => [] as number[]);
  const [wayMin, wayMax] = options.networkMs ?? [1, 5];
  const way = () => wayMin + random() * (wayMax - wayMin);
  const arrivals: { at: number; client: Client; index: number; sentAt: number }[] = [];
  let heldUntil = 0;
  const writes: { at: number; client: Client; dispatched: number }[] = [];
  let calls = 0;
  let refused = 0;
  const refusedPerSecond: number[] = [];
  while (all.some((c) => !c.finishedAt) && now < 600_000) {
    for (const c of all) {
      if (c.finishedAt || now < c.startMs) continue;
      if (options.stallChance && now >= c.stalledUntil && random() < options.stallChance) c.stalledUntil = now + 20 + random() * 100;
      if (now < c.stalledUntil) continue;
      for (const answer of c.answers.filter((a) => a.at <= now)) {
        c.limiter.answered(answer.sentAt);
        if (answer.budget) c.limiter.observe(answer.budget, answer.sentAt);
        if (answer.ok) {
          c.done += 1;
          c.limiter.succeeded();
        } else c.limiter.throttled(answer.retryAfterMs, answer.sentAt);
      }
      c.answers = c.answers.filter((a) => a.at > now);
      if (c.done >= c.calls) {
        c.finishedAt = now;
        continue;
      }
      const owed = c.calls - c.done - c.answers.filter((a) => a.ok).length;
      if (owed > 0 && c.limiter.wait() === 0) {
        const granted = now;
        void c.limiter.take();
        const dispatched = c.limiter.dispatched(granted);
        const draw = random();
        const late = !options.busyWrites ? 0 : draw < 0.01 ? 150 + random() * 400 : draw < 0.11 ? 10 + random() * 140 : random() * 3;
        const reported = late > 0 && options.reportWrites !== false;
        if (reported) writes.push({ at: now + late, client: c, dispatched });
        arrivals.push({ at: now + late + way(), client: c, index: all.indexOf(c), sentAt: reported ? now + late : dispatched });
      }
    }
    for (const write of writes.filter((w) => w.at <= now)) write.client.limiter.written(write.dispatched, write.at);
    writes.splice(0, writes.length, ...writes.filter((w) => w.at > now));
    arrivals.sort((x, y) => x.at - y.at);
    if (options.backendHoldChance && now >= heldUntil && random() < options.backendHoldChance) heldUntil = now + 20 + random() * 100;
    while (now >= heldUntil && arrivals.length && (arrivals[0]?.at ?? Number.POSITIVE_INFINITY) <= now) {
      const arrival = arrivals.shift() as (typeof arrivals)[number];
      arrival.at = Math.max(arrival.at, now);
      calls += 1;
      const verdict = backend.tryAcquire(arrival.at);
      let budget: RateLimitBudget | null = null;
      if (options.headers) {
        const window = backend.status(arrival.at);
        budget = { limit, remaining: window.remaining, resetS: Math.ceil(window.resetMs / 1000) };
      }
      if (verdict.ok) {
        const slot = Math.floor(arrival.at / 1000);
        const counts = accepted[arrival.index] as number[];
        counts[slot] = (counts[slot] ?? 0) + 1;
      } else {
        refused += 1;
        const slot = Math.floor(arrival.at / 1000);
        refusedPerSecond[slot] = (refusedPerSecond[slot] ?? 0) + 1;
      }
      arrival.client.answers.push({
        at: now + way() + (verdict.ok ? 25 + random() * 70 : 0),
        ok: verdict.ok,
        retryAfterMs: verdict.ok ? 0 : options.retryAfterSecondsOnly ? Math.ceil(verdict.retryAfterMs / 1000) * 1000 : verdict.retryAfterMs,
        budget,
        sentAt: arrival.sentAt,
      });
    }
    now += 1;
  }
  const finishes = all.map((c) => c.finishedAt / 1000);
  const last = Math.max(...finishes);
  const total = clients.reduce((n, c) => n + c.calls, 0);
  return {
    efficiency: total / limit / last,
    calls,
    refused,
    refusedShare: refused / calls,
    finishes,
    spread: (last - Math.min(...finishes)) / last,
    accepted: accepted.map((counts) => Array.from(counts, (n) => n ?? 0)),
    refusedPerSecond: Array.from(refusedPerSecond, (n) => n ?? 0),
  };
}
