import { AccessCoalescer } from '../audit/access';
import { AppLock } from '../security/lock';
import { STORE_CIPHER, type Store } from '../store/database';
import type { StoreKey } from '../store/key';
import { readSetting } from '../store/settings';
import { SyncManager } from '../sync/manager';
import type { FetchLike } from '../sync/transport';
import { ImportFiles } from './import-files';

/** The operating system's file dialogs: Electron's in the app, scripted ones in tests. Paths stay in main. */
export interface Dialogs {
  /** Asks for a spreadsheet to import; null when cancelled. */
  openSpreadsheet(): Promise<string | null>;
  /** Asks where to save a file; null when cancelled. */
  saveFile(defaultName: string, extensions: readonly string[]): Promise<string | null>;
  /** Asks for a backup file to restore; null when cancelled. */
  openBackup(): Promise<string | null>;
}

/** What the handlers work on: one open store and the app's identity. Built by the Electron shell, the CLI or a test. */
export interface AppContext {
  version: string;
  dataDir: string;
  cipher: string;
  store: Store;
  /** The store key, for backups (checked by opening the copy); never leaves main. */
  key: StoreKey | null;
  /** The OS user: recorded as the actor in the audit log. */
  actor: string;
  sync: SyncManager;
  dialogs: Dialogs;
  /** Files opened for import (dialog, drop, Open with), by id: the renderer never sees a path. */
  files: ImportFiles;
  /** The window's idle lock: while locked the dispatcher refuses every data channel. */
  lock: AppLock;
  /** Coalesces access entries (one per batch and screen visit, search, order shown). */
  access: AccessCoalescer;
  /**
   * Replaces the store with a checked backup and starts the app again on it (the Electron shell closes the
   * store, swaps the files and relaunches). Absent where the app cannot restart itself (tests, CLI).
   */
  restoreAndRestart: ((backupPath: string) => void) | null;
  /** Called after staff change the sync schedule; the Electron shell restarts its scheduler with it. */
  onScheduleChanged: (() => void) | null;
  /** Called after staff change the language; the Electron shell rebuilds its menu and tray in it. */
  onLocaleChanged: (() => void) | null;
  /** How main reaches the backend (Electron's net.fetch in the desktop app); Node's when undefined. */
  fetch?: FetchLike;
}

const NO_DIALOGS: Dialogs = {
  openSpreadsheet: async () => null,
  saveFile: async () => null,
  openBackup: async () => null,
};

export function createAppContext(options: {
  version: string;
  dataDir: string;
  /** Where the key files live (the Electron shell's config folder); like the data folder, never read for import. */
  configDir?: string;
  store: Store;
  actor: string;
  key?: StoreKey;
  dialogs?: Dialogs;
  restoreAndRestart?: (backupPath: string) => void;
  /** How sync reaches the backend: the desktop app passes Electron's net.fetch (system proxy, OS certificates). */
  fetch?: FetchLike;
  /** The idle lock's time in milliseconds instead of the setting's minutes (tests shorten it). */
  idleLockMs?: number;
}): AppContext {
  return {
    version: options.version,
    dataDir: options.dataDir,
    store: options.store,
    actor: options.actor,
    key: options.key ?? null,
    cipher: STORE_CIPHER,
    sync: new SyncManager(options.store.db, options.actor, {}, options.fetch),
    dialogs: options.dialogs ?? NO_DIALOGS,
    files: new ImportFiles([options.dataDir, ...(options.configDir ? [options.configDir] : [])]),
    lock: new AppLock(options.store.db, options.actor, { idleMs: options.idleLockMs }),
    access: new AccessCoalescer(),
    restoreAndRestart: options.restoreAndRestart ?? null,
    onScheduleChanged: null,
    onLocaleChanged: null,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
}

export function currentLocale(ctx: AppContext) {
  return readSetting(ctx.store.db, 'locale', 'ja');
}
