import { statSync } from 'node:fs';
import { appendAudit } from '../audit/log';
import { auditableUrl } from '../audit/redact';
import { type AppContext, currentLocale } from '../app/context';
import { nextRunAfter, validateSchedule } from '../schedule/scheduler';
import type { Input, SettingsView, SyncLimits } from '../shared/contract';
import { backendOrigin } from '../shared/backend-url';
import { AppError } from '../shared/errors';
import { readSetting, type SettingKey, type SettingValue, writeSetting } from '../store/settings';
import { connectBackend } from '../sync/backend';
import { type ConnectionResult, testConnection } from '../sync/connection-test';
import { DEFAULT_SYNC_SETTINGS } from '../sync/engine';
import { withStaffLimits } from '../sync/manager';

type Service = keyof SyncLimits;

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * The limits a sync runs with: staff's saved limits over the defaults, per service. (main/sync merges
 * DEFAULT_SYNC_SETTINGS itself in the engine, the manager and the backend set-up; this is the settings view's.)
 */
export function effectiveLimits(saved: SettingValue<'syncLimits'>): SyncLimits {
  const service = (name: Service) => {
    const own = saved?.[name];
    const base = DEFAULT_SYNC_SETTINGS.services[name];
    return {
      ratePerSecond: own ? own.ratePerSecond : base.ratePerSecond,
      concurrency: own?.concurrency ?? base.concurrency,
      timeoutMs: own?.timeoutMs ?? base.timeoutMs,
    };
  };
  return { orders: service('orders'), payments: service('payments'), notifications: service('notifications') };
}

/** Everything the settings screen shows. Secrets are write-only: only whether one is stored. */
export function settingsView(ctx: AppContext): SettingsView {
  const { db } = ctx.store;
  const url = readSetting(db, 'backendUrl', null);
  const cron = readSetting(db, 'syncSchedule', null);
  return {
    locale: currentLocale(ctx),
    backend: {
      mode: url ? 'remote' : 'simulator',
      url,
      clientId: url ? readSetting(db, 'backendClientId', null) : null,
      hasSecret: readSetting(db, 'backendClientSecret', null) !== null,
    },
    limits: effectiveLimits(readSetting(db, 'syncLimits', null)),
    schedule: { cron, lastRun: readSetting(db, 'syncScheduleLastRun', null), nextRun: nextRunAfter(cron) },
    retentionDays: readSetting(db, 'retentionDays', null),
    updates: { url: readSetting(db, 'updateUrl', null) },
    store: {
      path: ctx.store.path,
      sizeBytes: fileSize(ctx.store.path) + fileSize(`${ctx.store.path}-wal`),
      encrypted: true,
      cipher: ctx.cipher,
      pageSize: Number(db.pragma('page_size', { simple: true })),
      schemaVersion: ctx.store.schemaVersion,
    },
  };
}

/** Writes settings and one audit entry naming what changed (never a secret's value), in one transaction. */
export function changeSettings(ctx: AppContext, setting: string, value: string | number | boolean | null, writes: () => void): void {
  const { db } = ctx.store;
  db.transaction(() => {
    writes();
    appendAudit(db, { actor: ctx.actor, action: 'settings.changed', details: { setting, value } });
  })();
}

function set<K extends SettingKey>(ctx: AppContext, key: K, value: SettingValue<K>): void {
  writeSetting(ctx.store.db, key, value);
}

export function setLocale(ctx: AppContext, { locale }: Input<'setLocale'>): { locale: Input<'setLocale'>['locale'] } {
  changeSettings(ctx, 'locale', locale, () => set(ctx, 'locale', locale));
  ctx.onLocaleChanged?.();
  return { locale };
}

/**
 * The backend sync talks to: the built-in simulator, or a URL (already checked by the contract's BackendUrl)
 * with its client id and secret. The stored secret belongs to the stored backend: a URL on another origin
 * needs its own secret. The audit entry keeps the URL without credentials, query or fragment.
 */
export function saveBackend(ctx: AppContext, input: Input<'saveBackend'>): void {
  const { db } = ctx.store;
  if (input.mode === 'simulator') {
    changeSettings(ctx, 'backend', 'simulator', () => {
      set(ctx, 'backendUrl', null);
      set(ctx, 'backendClientId', null);
      set(ctx, 'backendClientSecret', null);
    });
    return;
  }
  const storedSecret = readSetting(db, 'backendClientSecret', null);
  if (input.clientSecret === undefined && storedSecret === null) throw new AppError('INVALID_INPUT', { field: 'clientSecret' });
  const stored = readSetting(db, 'backendUrl', null);
  const url = new URL(input.url);
  if (input.clientSecret === undefined && (stored === null || backendOrigin(stored) !== url.origin))
    throw new AppError('BACKEND_SECRET_REQUIRED', { host: url.hostname });
  const value = `${input.clientSecret === undefined ? 'remote' : 'remote, new secret'} ${auditableUrl(url.href)}`;
  changeSettings(ctx, 'backend', value, () => {
    set(ctx, 'backendUrl', url.href);
    set(ctx, 'backendClientId', input.clientId);
    if (input.clientSecret !== undefined) set(ctx, 'backendClientSecret', input.clientSecret);
  });
}

export function saveLimits(ctx: AppContext, limits: Input<'saveLimits'>): void {
  changeSettings(ctx, 'syncLimits', JSON.stringify(limits), () => set(ctx, 'syncLimits', limits));
}

/** The unattended sync schedule (cron syntax; null or '' removes it). The shell restarts its scheduler with it. */
export function saveSchedule(ctx: AppContext, { cron }: Input<'saveSchedule'>): { schedule: string | null; nextRun: string | null } {
  const value = cron ? cron : null;
  if (value) validateSchedule(value);
  changeSettings(ctx, 'syncSchedule', value, () => set(ctx, 'syncSchedule', value));
  ctx.onScheduleChanged?.();
  return { schedule: value, nextRun: nextRunAfter(value) };
}

/** The update feed's URL (checked by the contract's BackendUrl); null turns updates off. Applies at the next start. */
export function saveUpdateUrl(ctx: AppContext, { url }: Input<'saveUpdateUrl'>): void {
  changeSettings(ctx, 'updateUrl', url === null ? null : auditableUrl(url), () => set(ctx, 'updateUrl', url));
}

export function saveRetention(ctx: AppContext, { days }: Input<'saveRetention'>): void {
  changeSettings(ctx, 'retentionDays', days, () => set(ctx, 'retentionDays', days));
}

/**
 * "接続テスト" for the configured backend (or the built-in simulator in demo mode): reach, token, one harmless
 * look-up. Settings that cannot work (URL refused by the policy, a secret missing) throw their AppError as a
 * sync would; a demo simulator started for the test is closed after it.
 */
export async function testBackendConnection(ctx: AppContext): Promise<ConnectionResult> {
  const { db } = ctx.store;
  const backend = await connectBackend(db, { settings: withStaffLimits(db, {}), ...(ctx.fetch ? { fetch: ctx.fetch } : {}) });
  try {
    const baseUrl = backend.simulator?.url ?? readSetting(db, 'backendUrl', null);
    if (!baseUrl) throw new AppError('BACKEND_URL_INVALID', { reason: 'missing' });
    return await testConnection(backend, baseUrl, ctx.fetch ? { fetch: ctx.fetch } : {});
  } finally {
    await backend.simulator?.close();
  }
}
