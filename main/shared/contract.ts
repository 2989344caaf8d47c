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

const NoInput = z.undefined();

export const channels = {
  getAppInfo: { channel: 'app:info', input: NoInput, output: AppInfo },
  setLocale: { channel: 'app:set-locale', input: z.object({ locale: Locale }), output: z.object({ locale: Locale }) },
  listBatches: { channel: 'batches:list', input: NoInput, output: z.array(BatchSummary) },
} as const;

export const events = {
  batchesChanged: {
    channel: 'batches:changed',
    payload: z.object({ batchIds: z.array(z.number().int()) }),
  },
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
