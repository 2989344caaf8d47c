import { type AppContext, currentLocale } from '../app/context';
import { cancelSync, pauseSync, previewSync, resumeSync, setLocale, startSync, syncStatus } from '../operations';
import { listBatches } from '../store/batches';
import { readSetting } from '../store/settings';
import { type Handlers, LOCK_GATE } from './dispatch';
import { importHandlers } from './import-handlers';
import { masterHandlers } from './master-handlers';
import { privacyHandlers } from './privacy-handlers';
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
    ...masterHandlers(ctx, notify),
    ...privacyHandlers(ctx),
    [LOCK_GATE]: ctx.lock,
    getAppInfo: () => ({
      version: ctx.version,
      locale: currentLocale(ctx),
      dataDir: ctx.dataDir,
      store: { encrypted: true, cipher: ctx.cipher, schemaVersion: ctx.store.schemaVersion },
      backend: { mode: readSetting(db, 'backendUrl', null) ? 'remote' : 'simulator' },
    }),
    setLocale: (input) => setLocale(ctx, input),
    listBatches: () => listBatches(db),
    startSync: (input) => startSync(ctx, input),
    previewSync: (input) => previewSync(ctx, input),
    pauseSync: () => pauseSync(ctx),
    resumeSync: () => resumeSync(ctx),
    cancelSync: () => cancelSync(ctx),
    getSyncStatus: () => syncStatus(ctx),
  };
}
