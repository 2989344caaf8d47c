import { z } from 'zod';
import { ERROR_CODES } from '../errors';

/** Sync: a run's progress (pushed as sync:progress), its failure, the status, and staff's limits. */

export const ServiceProgress = z.object({
  waiting: z.number().int(),
  in_flight: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  requests: z.number().int(),
  rate_per_second: z.number(),
  average_per_second: z.number(),
  limit_per_second: z.number().nullable(),
  breaker: z.string(),
  /** Why the service's last call went wrong (`HTTP_503`, `TIMEOUT`, `CONNECTION_LOST`, `UNREACHABLE`); null once one succeeds. */
  last_error: z.string().nullable().optional(),
  /** Seconds until the next retry (breaker cool-down or backoff); null when none is pending. */
  retry_in_s: z.number().nullable().optional(),
});
export type ServiceProgress = z.infer<typeof ServiceProgress>;

export const SyncProgress = z.object({
  runId: z.number().int(),
  state: z.enum(['running', 'paused', 'cancelling', 'finished', 'cancelled', 'failed']),
  elapsedS: z.number(),
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  needsReview: z.number().int(),
  /** Orders created and paid whose notification is not sent yet (after a cancel: finished by a notify-only run). */
  paidUnnotified: z.number().int().optional(),
  services: z.object({ orders: ServiceProgress, payments: ServiceProgress, notifications: ServiceProgress }),
  etaS: z.number().nullable(),
  yen: z.object({ staged: z.number(), synced: z.number() }),
  retries: z.number().int(),
  rateLimited: z.number().int(),
});
export type SyncProgress = z.infer<typeof SyncProgress>;

/** An error as it crosses IPC: a stable code and parameters without personal data (see shared/errors). */
export const ErrorPayload = z.object({ code: z.enum(ERROR_CODES), params: z.record(z.string(), z.union([z.string(), z.number()])) });

/** The run that ended in an error (null when it ended before it was recorded, e.g. refused by the lock), and why. */
export const SyncFailure = z.object({ runId: z.number().int().nullable(), batchIds: z.array(z.number().int()), error: ErrorPayload });
export type SyncFailure = z.infer<typeof SyncFailure>;

export const SyncStatus = z.object({
  running: z.boolean(),
  progress: SyncProgress.nullable(),
  /** Why the last run ended in an error; null once a run ends normally or a new one starts. */
  failure: SyncFailure.nullable(),
});

export const ServiceLimits = z.object({
  ratePerSecond: z.number().positive().max(1000).nullable(),
  concurrency: z.number().int().min(1).max(64),
  timeoutMs: z.number().int().min(1000).max(120_000),
});
export const SyncLimits = z.object({ orders: ServiceLimits, payments: ServiceLimits, notifications: ServiceLimits });
export type SyncLimits = z.infer<typeof SyncLimits>;

/** What a run would take on: its orders and yen, where it goes, and how long the limits make it last. */
export const SyncPreview = z.object({
  orders: z.number().int(),
  yen: z.number(),
  /** Calls the run would make per service (a notify-only run makes notifications only). */
  calls: z.object({ orders: z.number().int(), payments: z.number().int(), notifications: z.number().int() }),
  /** From the staff's rate limits; null when no service is limited. */
  etaS: z.number().nullable(),
  backend: z.object({ mode: z.enum(['simulator', 'remote']), host: z.string().nullable() }),
});
export type SyncPreview = z.infer<typeof SyncPreview>;

/** A run over batches: failed orders back in line first, or only the notifications of paid orders (after a cancel). */
export const SyncRunInput = z.object({
  batchIds: z.array(z.number().int().positive()).min(1),
  retryFailed: z.boolean().optional(),
  notifyOnly: z.boolean().optional(),
});
