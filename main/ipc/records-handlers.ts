import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { Cron } from 'croner';
import { appendAudit, pageAudit, verifyAudit } from '../audit/log';
import { auditableUrl } from '../audit/redact';
import { type AppContext, currentLocale } from '../app/context';
import { writePrivateFile } from '../config/private-files';
import { recordExport, renderBatchExport } from '../export/export';
import { validateSchedule } from '../schedule/scheduler';
import type { SettingsView } from '../shared/contract';
import { backendOrigin } from '../shared/backend-url';
import { AppError } from '../shared/errors';
import { createI18n } from '../shared/i18n';
import { backupStore, verifyBackup } from '../store/backup';
import { purgeExpired } from '../store/retention';
import { readSetting, type SettingKey, type SettingValue, writeSetting } from '../store/settings';
import { DEFAULT_SYNC_SETTINGS } from '../sync/engine';
import type { Handlers } from './dispatch';

type RecordHandlers = Pick<
  Handlers,
  | 'listAudit'
  | 'verifyAudit'
  | 'exportBatch'
  | 'getSettings'
  | 'saveBackend'
  | 'saveLimits'
  | 'saveSchedule'
  | 'saveRetention'
  | 'purgeNow'
  | 'backupStore'
  | 'restoreStore'
>;

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** History and audit, exports, and settings. Secrets are write-only: nothing here returns one. */
export function recordHandlers(ctx: AppContext): RecordHandlers {
  const { db } = ctx.store;

  const settingsView = (): SettingsView => {
    const url = readSetting(db, 'backendUrl', null);
    const cron = readSetting(db, 'syncSchedule', null);
    const limits = readSetting(db, 'syncLimits', null);
    const service = (name: 'orders' | 'payments' | 'notifications') => {
      const own = limits?.[name];
      const base = DEFAULT_SYNC_SETTINGS.services[name];
      return {
        ratePerSecond: own ? own.ratePerSecond : base.ratePerSecond,
        concurrency: own?.concurrency ?? base.concurrency,
        timeoutMs: own?.timeoutMs ?? base.timeoutMs,
      };
    };
    return {
      locale: currentLocale(ctx),
      backend: {
        mode: url ? 'remote' : 'simulator',
        url,
        clientId: url ? readSetting(db, 'backendClientId', null) : null,
        hasSecret: readSetting(db, 'backendClientSecret', null) !== null,
      },
      limits: { orders: service('orders'), payments: service('payments'), notifications: service('notifications') },
      schedule: {
        cron,
        lastRun: readSetting(db, 'syncScheduleLastRun', null),
        nextRun: cron ? (new Cron(cron, { paused: true }).nextRun()?.toISOString() ?? null) : null,
      },
      retentionDays: readSetting(db, 'retentionDays', null),
      store: {
        path: ctx.store.path,
        sizeBytes: fileSize(ctx.store.path) + fileSize(`${ctx.store.path}-wal`),
        encrypted: true,
        cipher: ctx.cipher,
        pageSize: Number(db.pragma('page_size', { simple: true })),
        schemaVersion: ctx.store.schemaVersion,
      },
    };
  };

  /** Writes settings and one audit entry naming what changed (never a secret's value). */
  const change = (setting: string, value: string | number | boolean | null, writes: () => void) => {
    db.transaction(() => {
      writes();
      appendAudit(db, { actor: ctx.actor, action: 'settings.changed', details: { setting, value } });
    })();
    return settingsView();
  };
  const set = <K extends SettingKey>(key: K, value: SettingValue<K>) => writeSetting(db, key, value);

  return {
    listAudit: (filter) => {
      const page = pageAudit(db, filter);
      return { ...page, rows: page.rows.map(({ prevHash: _p, hash: _h, ...row }) => row) };
    },
    verifyAudit: () => verifyAudit(db),
    exportBatch: async (request) => {
      // Rendered first, so a batch that does not exist fails before any dialog opens.
      const rendered = renderBatchExport(db, { ...request, t: createI18n(currentLocale(ctx)).t });
      const path = await ctx.dialogs.saveFile(rendered.suggestedName, [request.format]);
      if (!path) return { saved: null };
      writePrivateFile(path, rendered.bytes);
      recordExport(db, { ...request, rows: rendered.rows, actor: ctx.actor });
      return { saved: { fileName: basename(path), rows: rendered.rows } };
    },
    getSettings: () => settingsView(),
    saveBackend: (input) => {
      if (input.mode === 'simulator') {
        return change('backend', 'simulator', () => {
          set('backendUrl', null);
          set('backendClientId', null);
          set('backendClientSecret', null);
        });
      }
      const storedSecret = readSetting(db, 'backendClientSecret', null);
      if (input.clientSecret === undefined && storedSecret === null) throw new AppError('INVALID_INPUT', { field: 'clientSecret' });
      // The stored secret belongs to the stored backend: a URL on another origin needs its own secret.
      const stored = readSetting(db, 'backendUrl', null);
      const url = new URL(input.url);
      if (input.clientSecret === undefined && (stored === null || backendOrigin(stored) !== url.origin))
        throw new AppError('BACKEND_SECRET_REQUIRED', { host: url.hostname });
      // The URL as the log may keep it: no credentials, query or fragment (whatever the URL check let through).
      const value = `${input.clientSecret === undefined ? 'remote' : 'remote, new secret'} ${auditableUrl(url.href)}`;
      return change('backend', value, () => {
        set('backendUrl', url.href);
        set('backendClientId', input.clientId);
        if (input.clientSecret !== undefined) set('backendClientSecret', input.clientSecret);
      });
    },
    saveLimits: (limits) => change('syncLimits', JSON.stringify(limits), () => set('syncLimits', limits)),
    saveSchedule: ({ cron }) => {
      const value = cron ? cron : null;
      if (value) validateSchedule(value);
      const view = change('syncSchedule', value, () => set('syncSchedule', value));
      ctx.onScheduleChanged?.();
      return view;
    },
    saveRetention: ({ days }) => change('retentionDays', days, () => set('retentionDays', days)),
    purgeNow: () => {
      const days = readSetting(db, 'retentionDays', null);
      if (days === null) throw new AppError('RETENTION_NOT_SET', {});
      return purgeExpired(db, { days, actor: ctx.actor });
    },
    backupStore: async () => {
      if (!ctx.key) throw new AppError('BACKUP_NO_KEY', {});
      const name = `order-stager-backup-${new Date().toISOString().slice(0, 10)}.db`;
      const path = await ctx.dialogs.saveFile(name, ['db']);
      if (!path) return { saved: null };
      backupStore(ctx.store, path, ctx.key);
      appendAudit(db, { actor: ctx.actor, action: 'store.backed_up' });
      return { saved: { fileName: basename(path) } };
    },
    restoreStore: async () => {
      const restart = ctx.restoreAndRestart;
      if (!ctx.key || !restart) throw new AppError('RESTORE_UNAVAILABLE', {});
      if (ctx.sync.running) throw new AppError('SYNC_ALREADY_RUNNING', {});
      const path = await ctx.dialogs.openBackup();
      if (!path) return { restoring: false };
      // Refuses a file that is not a store readable with this key before anything is touched.
      verifyBackup(path, ctx.key);
      appendAudit(db, { actor: ctx.actor, action: 'store.restore_requested' });
      // After the answer reaches the window: the shell closes the store, swaps the files and relaunches.
      setTimeout(() => restart(path), 200);
      return { restoring: true };
    },
  };
}
