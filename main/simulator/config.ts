import { z } from 'zod';

/** The three backend services, as the simulator counts them. */
export const SERVICES = ['orders', 'payments', 'notifications'] as const;
export type Service = (typeof SERVICES)[number];

const Latency = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('fixed'), ms: z.number().nonnegative() }),
  z.object({ kind: z.literal('uniform'), minMs: z.number().nonnegative(), maxMs: z.number().nonnegative() }),
  /** Log-normal: most calls near the median, a long tail up to about p99. */
  z.object({ kind: z.literal('longtail'), medianMs: z.number().positive(), p99Ms: z.number().positive() }),
]);
export type Latency = z.infer<typeof Latency>;

/** An outage window in epoch milliseconds; the API also accepts a relative form (see PUT /__sim/config). */
const Outage = z.object({ fromMs: z.number(), toMs: z.number() });

const Faults = z.object({
  latency: Latency.default({ kind: 'none' }),
  /** Share of calls answered with a 5xx before anything is committed. */
  errorRate: z.number().min(0).max(1).default(0),
  errorStatuses: z
    .array(z.union([z.literal(500), z.literal(502), z.literal(503)]))
    .min(1)
    .default([500, 502, 503]),
  /** Share of calls that never get an answer until the server-side timeout (then 504, nothing committed). */
  hangRate: z.number().min(0).max(1).default(0),
  /** Share of calls whose connection is reset before anything is committed. */
  resetRate: z.number().min(0).max(1).default(0),
  /** Share of calls that are committed and then lose their response (connection reset). */
  commitThenFailRate: z.number().min(0).max(1).default(0),
  outages: z.array(Outage).default([]),
});
export type Faults = z.infer<typeof Faults>;

const ServiceConfig = z.object({
  /** Accepted calls in any 1-second window; null = unlimited. */
  rateLimitPerSecond: z.number().int().positive().nullable(),
  /** Server-side timeout: a call that takes longer is answered 504 and not committed. */
  timeoutMs: z.number().int().positive(),
  faults: Faults.default(Faults.parse({})),
});
export type ServiceConfig = z.infer<typeof ServiceConfig>;

export const SimConfig = z.object({
  clientId: z.string().min(1).default('order-stager-demo'),
  clientSecret: z.string().min(1).default('demo-secret'),
  tokenLifetimeSeconds: z.number().int().positive().default(3600),
  /** Whether GET /api/v1/orders?client_reference= exists (a real deployment may lack it). */
  orderLookupEnabled: z.boolean().default(true),
  /** Replay the first result for a repeated Idempotency-Key on a POST (a deployment may or may not). */
  honourIdempotencyKey: z.boolean().default(false),
  /** Send RateLimit-Limit/Remaining/Reset (IETF httpapi draft) on calls to rate-limited services. */
  rateLimitHeaders: z.boolean().default(false),
  /**
   * Send Retry-After-Ms with a 429 besides Retry-After (whole seconds). The contract promises only Retry-After:
   * false is a backend that says no more than that.
   */
  retryAfterMs: z.boolean().default(true),
  /** Card tokens the payment service declines with 402. */
  declinedTokens: z.array(z.string()).default(['tok_declined']),
  minAmount: z.number().int().default(100),
  maxAmount: z.number().int().default(1_000_000),
  /** Seed for every random fault decision and latency; the same seed and calls give the same faults. */
  seed: z.number().int().default(20261125),
  services: z
    .object({
      orders: ServiceConfig.default({ rateLimitPerSecond: null, timeoutMs: 30_000, faults: Faults.parse({}) }),
      payments: ServiceConfig.default({ rateLimitPerSecond: null, timeoutMs: 30_000, faults: Faults.parse({}) }),
      notifications: ServiceConfig.default({ rateLimitPerSecond: 10, timeoutMs: 10_000, faults: Faults.parse({}) }),
    })
    .default({
      orders: { rateLimitPerSecond: null, timeoutMs: 30_000, faults: Faults.parse({}) },
      payments: { rateLimitPerSecond: null, timeoutMs: 30_000, faults: Faults.parse({}) },
      notifications: { rateLimitPerSecond: 10, timeoutMs: 10_000, faults: Faults.parse({}) },
    }),
});
export type SimConfig = z.infer<typeof SimConfig>;
export type SimConfigInput = z.input<typeof SimConfig>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep-merges a partial config (from a file or PUT /__sim/config) over the current one; arrays replace. */
export function mergeConfig(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    out[key] = mergeConfig(base[key], value);
  }
  return out;
}

/**
 * Outages may be given relative to now ({startsInMs, durationMs}) for convenience; they are stored as
 * absolute windows so that a later config change does not move them.
 */
export function normaliseOutages(patch: unknown, now: number): unknown {
  if (Array.isArray(patch)) return patch.map((item) => normaliseOutages(item, now));
  if (!isPlainObject(patch)) return patch;
  if ('durationMs' in patch && typeof patch.durationMs === 'number') {
    const start = now + (typeof patch.startsInMs === 'number' ? patch.startsInMs : 0);
    return { fromMs: start, toMs: start + patch.durationMs };
  }
  return Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, normaliseOutages(v, now)]));
}

export function resolveConfig(current: SimConfig | undefined, patch: unknown, now = Date.now()): SimConfig {
  const base = current ?? SimConfig.parse({});
  return SimConfig.parse(mergeConfig(base, normaliseOutages(patch ?? {}, now)));
}
