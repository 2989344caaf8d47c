import { z } from 'zod';

/**
 * The IPC contract: every channel the renderer may call, with its input and output schema, and
 * every event main pushes to the renderer. Main registers handlers from `channels`; the preload
 * builds `window.api` from the same keys, so a channel cannot exist on one side only.
 */

export const BatchSummary = z.object({
  id: z.number().int(),
  sourceFileName: z.string(),
  sheetName: z.string().nullable(),
  importedBy: z.string(),
  importedAt: z.string(),
  status: z.enum(['staged', 'ready', 'syncing', 'synced', 'archived']),
  orders: z.object({
    total: z.number().int(),
    valid: z.number().int(),
    invalid: z.number().int(),
    synced: z.number().int(),
  }),
  totalAmountYen: z.number().int(),
});
export type BatchSummary = z.infer<typeof BatchSummary>;

export const Locale = z.enum(['ja', 'en']);
export type Locale = z.infer<typeof Locale>;

export const AppInfo = z.object({
  version: z.string(),
  locale: Locale,
  dataDir: z.string(),
  store: z.object({
    encrypted: z.boolean(),
    cipher: z.string(),
    schemaVersion: z.number().int(),
  }),
  backend: z.object({
    mode: z.enum(['simulator', 'remote']),
  }),
});
export type AppInfo = z.infer<typeof AppInfo>;

const ServiceProgress = z.object({
  waiting: z.number().int(),
  in_flight: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  requests: z.number().int(),
  rate_per_second: z.number(),
  average_per_second: z.number(),
  limit_per_second: z.number().nullable(),
  breaker: z.string(),
});

export const SyncProgress = z.object({
  runId: z.number().int(),
  state: z.enum(['running', 'paused', 'cancelling', 'finished', 'cancelled']),
  elapsedS: z.number(),
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  needsReview: z.number().int(),
  services: z.object({ orders: ServiceProgress, payments: ServiceProgress, notifications: ServiceProgress }),
  etaS: z.number().nullable(),
  yen: z.object({ staged: z.number(), synced: z.number() }),
  retries: z.number().int(),
  rateLimited: z.number().int(),
});
export type SyncProgress = z.infer<typeof SyncProgress>;

export const SyncStatus = z.object({ running: z.boolean(), progress: SyncProgress.nullable() });

const NoInput = z.undefined();
const Ok = z.object({ ok: z.literal(true) });

export const channels = {
  getAppInfo: { channel: 'app:info', input: NoInput, output: AppInfo },
  setLocale: { channel: 'app:set-locale', input: z.object({ locale: Locale }), output: z.object({ locale: Locale }) },
  listBatches: { channel: 'batches:list', input: NoInput, output: z.array(BatchSummary) },
  startSync: {
    channel: 'sync:start',
    input: z.object({ batchIds: z.array(z.number().int().positive()).min(1), retryFailed: z.boolean().optional() }),
    output: z.object({ started: z.literal(true) }),
  },
  pauseSync: { channel: 'sync:pause', input: NoInput, output: Ok },
  resumeSync: { channel: 'sync:resume', input: NoInput, output: Ok },
  cancelSync: { channel: 'sync:cancel', input: NoInput, output: Ok },
  getSyncStatus: { channel: 'sync:status', input: NoInput, output: SyncStatus },
} as const;

export const events = {
  batchesChanged: {
    channel: 'batches:changed',
    payload: z.object({ batchIds: z.array(z.number().int()) }),
  },
  syncProgress: { channel: 'sync:progress', payload: SyncProgress },
  /** The OS opened a spreadsheet with the app: the import wizard should start for it (main keeps the path). */
  importRequested: { channel: 'import:requested', payload: z.object({ fileName: z.string() }) },
} as const;

export type Channels = typeof channels;
export type Method = keyof Channels;
export type Input<M extends Method> = z.infer<Channels[M]['input']>;
export type Output<M extends Method> = z.infer<Channels[M]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]['payload']>;

export const methodNames = Object.keys(channels) as Method[];
export const eventNames = Object.keys(events) as EventName[];
