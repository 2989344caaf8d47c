/** How a sync run paces and retries its calls: per service, plus the order-level retry and breaker policy. */

export interface ServiceSettings {
  /** Calls per second; null = no client-side limit. */
  ratePerSecond: number | null;
  /** Initial allowance for jitter between sending and arriving (default 20 ms); measured during the run: see RateLimiter. */
  jitterMs?: number;
  /**
   * The backend runs in this process (the built-in simulator): its arrivals wait for this event loop too, so the
   * margin keeps the measured lateness even when the transport reports its writes.
   */
  backendInProcess?: boolean;
  concurrency: number;
  timeoutMs: number;
}

export interface SyncSettings {
  services: Record<'orders' | 'payments' | 'notifications', ServiceSettings>;
  /** Answered calls per order and step before a transient failure is settled by a look-up (or becomes final). */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  breaker: { threshold: number; baseCooldownMs: number; maxCooldownMs: number };
  /** Orders in the pipeline at once. */
  maxActive: number;
  progressIntervalMs: number;
}

/** Defaults from the backend contract: notifications 10/s; 30 s payment and 10 s notification timeouts. */
export const DEFAULT_SYNC_SETTINGS: SyncSettings = {
  services: {
    orders: { ratePerSecond: null, concurrency: 8, timeoutMs: 30_000 },
    payments: { ratePerSecond: null, concurrency: 16, timeoutMs: 30_000 },
    notifications: { ratePerSecond: 10, concurrency: 8, timeoutMs: 10_000 },
  },
  maxAttempts: 10,
  backoffBaseMs: 250,
  backoffCapMs: 30_000,
  breaker: { threshold: 5, baseCooldownMs: 1000, maxCooldownMs: 30_000 },
  maxActive: 64,
  progressIntervalMs: 250,
};

export function resolveSyncSettings(settings: Partial<SyncSettings>): SyncSettings {
  return { ...DEFAULT_SYNC_SETTINGS, ...settings, services: { ...DEFAULT_SYNC_SETTINGS.services, ...settings.services } };
}
