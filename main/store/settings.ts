import { z } from 'zod';
import type { Db } from './database';

/** Settings kept in the encrypted store, each validated on read so a bad row cannot crash the app. */
export const settingSchemas = {
  locale: z.enum(['ja', 'en']),
  backendUrl: z.string().url().nullable(),
  /** OAuth client credentials for the backend; kept in the encrypted store, never logged or sent to the UI. */
  backendClientId: z.string().min(1).nullable(),
  backendClientSecret: z.string().min(1).nullable(),
  /** Cron expression (croner syntax) for unattended sync of ready batches; null = no schedule. */
  syncSchedule: z.string().min(1).nullable(),
  /** When the scheduled sync last ran (ISO): a run missed while the app was closed is caught up once. */
  syncScheduleLastRun: z.string().nullable(),
  /** Per-service rate limit, concurrency and timeout set by staff; null = the backend contract's defaults. */
  syncLimits: z
    .record(
      z.enum(['orders', 'payments', 'notifications']),
      z.object({
        ratePerSecond: z.number().positive().nullable(),
        concurrency: z.number().int().min(1),
        timeoutMs: z.number().int().min(1000),
      }),
    )
    .nullable(),
  /** How many yen a unit price may differ from the master price before PRICE_MISMATCH; null = exact. */
  masterPriceTolerance: z.number().int().min(0).nullable(),
  /** Personal data of orders synced longer ago than this is purged; null = kept until purged by hand. */
  retentionDays: z.number().int().min(1).nullable(),
  /** Where the desktop app looks for updates (electron-updater's generic provider); null = never (the default). */
  updateUrl: z.string().url().nullable(),
  /** The idle lock: on by default after 10 minutes without input (main/security/lock.ts). */
  idleLock: z.object({ enabled: z.boolean(), minutes: z.number().int().min(1).max(240) }),
  /** The idle lock's passphrase as a salted scrypt hash (main/security/passphrase.ts); never the passphrase. */
  lockPassphrase: z
    .object({
      kdf: z.literal('scrypt'),
      n: z.number().int().min(1024),
      r: z.number().int().min(1),
      p: z.number().int().min(1),
      salt: z.string().min(1),
      hash: z.string().min(1),
    })
    .nullable(),
  /** Whether the window is locked (so a restart does not open it) and the wrong passphrase tries so far. */
  lockState: z.object({ locked: z.boolean(), failures: z.number().int().min(0), retryAt: z.number().nullable() }),
  /** The main window's last position and size, restored at start. */
  windowBounds: z
    .object({
      x: z.number().int(),
      y: z.number().int(),
      width: z.number().int().min(400),
      height: z.number().int().min(300),
      maximized: z.boolean(),
    })
    .nullable(),
} as const;

export type SettingKey = keyof typeof settingSchemas;
export type SettingValue<K extends SettingKey> = z.infer<(typeof settingSchemas)[K]>;

export function readSetting<K extends SettingKey>(db: Db, key: K, fallback: SettingValue<K>): SettingValue<K> {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  if (!row) return fallback;
  const parsed = settingSchemas[key].safeParse(JSON.parse(row.value));
  return parsed.success ? (parsed.data as SettingValue<K>) : fallback;
}

export function writeSetting<K extends SettingKey>(db: Db, key: K, value: SettingValue<K>): void {
  const valid = settingSchemas[key].parse(value);
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    key,
    JSON.stringify(valid),
  );
}
