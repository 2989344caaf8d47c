import { STORE_CIPHER, type Store } from '../store/database';
import { readSetting } from '../store/settings';
import { SyncManager } from '../sync/manager';

/** What the handlers work on: one open store and the app's identity. Built by the Electron shell, the CLI or a test. */
export interface AppContext {
  version: string;
  dataDir: string;
  cipher: string;
  store: Store;
  /** The OS user: recorded as the actor in the audit log. */
  actor: string;
  sync: SyncManager;
}

export function createAppContext(options: { version: string; dataDir: string; store: Store; actor: string }): AppContext {
  return { ...options, cipher: STORE_CIPHER, sync: new SyncManager(options.store.db, options.actor) };
}

export function currentLocale(ctx: AppContext) {
  return readSetting(ctx.store.db, 'locale', 'ja');
}
