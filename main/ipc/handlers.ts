import { appendAudit } from '../audit/log';
import { type AppContext, currentLocale } from '../app/context';
import { listBatches } from '../store/batches';
import { readSetting, writeSetting } from '../store/settings';
import { assertBatches } from '../sync/engine';
import type { Handlers } from './dispatch';
import { importHandlers } from './import-handlers';
import { recordHandlers } from './records-handlers';

/**
 * Every channel's implementation, as plain functions over the app context (no Electron here).
 * `notify` tells the windows which batches changed (Electron sends the batchesChanged event).
 */
export function createHandlers(ctx: AppContext, notify: (batchIds: number[]) => void = () => {}): Handlers {
  const { db } = ctx.store;
  return {
    ...importHandlers(ctx, notify),
    ...recordHandlers(ctx),
    getAppInfo: () => ({
      version: ctx.version,
      locale: currentLocale(ctx),
      dataDir: ctx.dataDir,
      store: { encrypted: true, cipher: ctx.cipher, schemaVersion: ctx.store.schemaVersion },
      backend: { mode: readSetting(db, 'backendUrl', null) ? 'remote' : 'simulator' },
    }),
    setLocale: ({ locale }) => {
      db.transaction(() => {
        writeSetting(db, 'locale', locale);
        appendAudit(db, { actor: ctx.actor, action: 'settings.changed', details: { setting: 'locale', value: locale } });
      })();
      return { locale };
    },
    listBatches: () => listBatches(db),
    startSync: ({ batchIds, retryFailed }) => {
      assertBatches(db, batchIds);
      return ctx.sync.start(batchIds, { retryFailed });
    },
    pauseSync: () => {
      ctx.sync.pause();
      return { ok: true } as const;
    },
    resumeSync: () => {
      ctx.sync.resume();
      return { ok: true } as const;
    },
    cancelSync: () => {
      ctx.sync.cancel();
      return { ok: true } as const;
    },
    getSyncStatus: () => {
      const { running, progress, failure } = ctx.sync.status();
      return { running, progress, failure };
    },
  };
}
