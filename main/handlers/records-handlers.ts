import { basename } from 'node:path';
import { type AppContext, currentLocale } from '../app/context';
import {
  auditPage,
  backupTo,
  checkAudit,
  exportBatch,
  purgeNow,
  requestRestore,
  saveBackend,
  saveLimits,
  saveRetention,
  saveSchedule,
  saveUpdateUrl,
  settingsView,
  testBackendConnection,
} from '../operations';
import type { SettingsView } from '../shared/contract';
import { AppError } from '../shared/errors';
import type { Handlers } from './dispatch';

type RecordHandlers = Pick<
  Handlers,
  | 'listAudit'
  | 'verifyAudit'
  | 'exportBatch'
  | 'getSettings'
  | 'saveBackend'
  | 'saveLimits'
  | 'testConnection'
  | 'saveSchedule'
  | 'saveRetention'
  | 'saveUpdateUrl'
  | 'purgeNow'
  | 'backupStore'
  | 'restoreStore'
>;

/** History and audit, exports, and settings: adapters over main/operations. Secrets are write-only: nothing here returns one. */
export function recordHandlers(ctx: AppContext): RecordHandlers {
  /** A settings change answers with the whole settings view, as the screen shows it after saving. */
  const thenView =
    <I>(change: (context: AppContext, input: I) => unknown) =>
    (input: I): SettingsView => {
      change(ctx, input);
      return settingsView(ctx);
    };
  return {
    listAudit: (filter) => auditPage(ctx, filter),
    verifyAudit: () => checkAudit(ctx),
    exportBatch: async (request) => {
      const saved = await exportBatch(ctx, request, {
        locale: currentLocale(ctx),
        choosePath: (name) => ctx.dialogs.saveFile(name, [request.format]),
      });
      return { saved: saved && { fileName: basename(saved.path), rows: saved.rows } };
    },
    getSettings: () => settingsView(ctx),
    saveBackend: thenView(saveBackend),
    saveLimits: thenView(saveLimits),
    testConnection: () => testBackendConnection(ctx),
    saveSchedule: thenView(saveSchedule),
    saveRetention: thenView(saveRetention),
    saveUpdateUrl: thenView(saveUpdateUrl),
    purgeNow: () => {
      const { orders, batches, held, inSync } = purgeNow(ctx);
      return { orders, batches, held, inSync };
    },
    backupStore: async () => {
      if (!ctx.key) throw new AppError('BACKUP_NO_KEY', {});
      const name = `order-stager-backup-${new Date().toISOString().slice(0, 10)}.db`;
      const path = await ctx.dialogs.saveFile(name, ['db']);
      if (!path) return { saved: null };
      backupTo(ctx, path);
      return { saved: { fileName: basename(path) } };
    },
    restoreStore: async () => {
      const restart = ctx.restoreAndRestart;
      if (!ctx.key || !restart) throw new AppError('RESTORE_UNAVAILABLE', {});
      if (ctx.sync.running) throw new AppError('SYNC_ALREADY_RUNNING', {});
      const path = await ctx.dialogs.openBackup();
      if (!path) return { restoring: false };
      requestRestore(ctx, path);
      // After the answer reaches the window: the shell closes the store, swaps the files and relaunches.
      setTimeout(() => restart(path), 200);
      return { restoring: true };
    },
  };
}
