import { z } from 'zod';
import { BACKEND_URL_MAX_LENGTH, checkBackendUrl } from '../backend-url';
import { SyncLimits } from './sync';

/** The app and its settings: language, the backend, the schedule, retention and the store. */

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

/**
 * A backend URL under the transport policy (`backend-url.ts`). The issue carries the policy's error code,
 * which the dispatcher returns instead of INVALID_INPUT.
 */
export const BackendUrl = z
  .string()
  .max(BACKEND_URL_MAX_LENGTH)
  .superRefine((value, ctx) => {
    const check = checkBackendUrl(value);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.code, params: { appError: check.code, ...check.params } });
  });

export const SettingsView = z.object({
  locale: Locale,
  backend: z.object({
    mode: z.enum(['simulator', 'remote']),
    url: z.string().nullable(),
    clientId: z.string().nullable(),
    /** Whether a secret is stored; the secret itself never leaves main. */
    hasSecret: z.boolean(),
  }),
  limits: SyncLimits,
  schedule: z.object({ cron: z.string().nullable(), lastRun: z.string().nullable(), nextRun: z.string().nullable() }),
  retentionDays: z.number().int().nullable(),
  /** The update feed's URL; null = the app never looks for updates. */
  updates: z.object({ url: z.string().nullable() }),
  store: z.object({
    path: z.string(),
    sizeBytes: z.number().int(),
    encrypted: z.boolean(),
    cipher: z.string(),
    pageSize: z.number().int(),
    schemaVersion: z.number().int(),
  }),
});
export type SettingsView = z.infer<typeof SettingsView>;

/** "接続テスト": success with the look-up's round trip, or the step that failed and why (codes the screen translates). */
export const ConnectionStep = z.enum(['dns', 'connect', 'tls', 'auth', 'response']);
export type ConnectionStep = z.infer<typeof ConnectionStep>;
export const ConnectionFailure = z.enum([
  'not_found',
  'refused',
  'timeout',
  'unreachable',
  'certificate',
  'redirect',
  'credentials',
  'bad_response',
  'unavailable',
  'throttled',
  'status',
]);
export type ConnectionFailure = z.infer<typeof ConnectionFailure>;
export const ConnectionResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), host: z.string(), latencyMs: z.number().int().nonnegative() }),
  z.object({
    ok: z.literal(false),
    host: z.string(),
    step: ConnectionStep,
    reason: ConnectionFailure,
    status: z.number().int().optional(),
  }),
]);
export type ConnectionResult = z.infer<typeof ConnectionResult>;
