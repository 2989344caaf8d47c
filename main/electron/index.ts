import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { userInfo } from 'node:os';
import { app, type BrowserWindow, dialog, ipcMain, net, powerSaveBlocker, protocol, safeStorage, session, shell } from 'electron';
import { IMPORTABLE_EXTENSIONS } from '../app/import-files';
import { routeArgv, startFace } from '../app/faces';
import { dispatchLog, type Logger, logSyncRuns } from '../app/log';
import { CrashReloads, closeAction, MainWindowHolder, quitNeedsConfirmation, quitWhenAllClosed } from '../app/main-window';
import { failedProgress, NO_PROGRESS, taskbarProgress, WakeLock } from '../app/sync-feedback';
import { toErrorInfo } from '../shared/errors';
import { createI18n, localeFromEnv } from '../shared/i18n';
import { createAppContext } from '../app/context';
import { defaultKeyFile, defaultPaths, storePath } from '../config/paths';
import { wireAppEvents } from '../handlers/events';
import { createHandlers } from '../handlers';
import { resolveAppAsset } from '../security/assets';
import { APP_SCHEME, isAllowedNavigation, isSafeExternalUrl } from '../security/urls';
import { RetentionSchedule } from '../schedule/retention';
import { restoreStore } from '../store/backup';
import { openStore, storeExists } from '../store/database';
import { type KeyWrapper, resolveDesktopKey } from '../store/key';
import { exitAfterFlush, runCliFace } from './cli-face';
import { appT, installMenu, rememberWindowState, saveDiagnostics, showAbout, startSchedule } from './desktop';
import { registerIpc } from './ipc';
import { startLock } from './lock';
import { shellLogger } from './logging';
import { APP_USER_MODEL_ID, WRAPPED_KEY_FILE } from './resources';
import { startUpdates } from './updates';
import { createMainWindow } from './window';

/** With a schedule on, the app lives on in the tray / menu bar and closing the window hides it. */
let keepInTray = false;

/** Where macOS's open-file goes once the app has started; before that, files wait in `openedEarly`. */
let fileOpener: ((path: string) => void) | null = null;
const openedEarly: string[] = [];

/** Hosts whose pages may be opened in the user's browser (help links); nothing else ever is. */
const EXTERNAL_HOSTS: readonly string[] = [];

const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const outDir = join(__dirname, '..');
const defaultApp = process.defaultApp === true;

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
app.enableSandbox();

const keychain: KeyWrapper = {
  available: () => safeStorage.isAsyncEncryptionAvailable(),
  wrap: (plain) => safeStorage.encryptStringAsync(plain),
  unwrap: async (wrapped) => {
    const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(wrapped);
    return { value: result, shouldRewrap: shouldReEncrypt };
  },
};

function hardenSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  protocol.handle(APP_SCHEME, async (request) => {
    const asset = resolveAppAsset(join(outDir, 'renderer'), request.url);
    if (!asset) return new Response('Not found', { status: 404 });
    try {
      return new Response(await readFile(asset.path), { headers: { 'content-type': asset.mimeType } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url, EXTERNAL_HOSTS)) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

async function start(files: string[], log: Logger, logFiles: () => string[]): Promise<void> {
  hardenSessions();
  // Notifications on Windows show under the app's name only with the shortcut's AppUserModelID.
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    // safeStorage uses basic_text: the store key is not protected by an OS keychain on this desktop.
    log.warn('keychain.basicText');
  }
  const paths = defaultPaths();
  const dbPath = storePath(paths.dataDir);
  const { key } = await resolveDesktopKey({
    envKey: process.env.ORDER_STAGER_KEY,
    plainKeyFile: defaultKeyFile(paths.configDir),
    wrappedKeyFile: join(paths.configDir, WRAPPED_KEY_FILE),
    storeExists: storeExists(dbPath),
    wrapper: keychain,
    readFile: (path) => {
      try {
        return readFileSync(path);
      } catch {
        return null;
      }
    },
    writeFile: (path, data) => {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, data, { mode: 0o600 });
    },
  });
  // WAL checkpoints in a worker thread: a large import returns once durable, and main never blocks copying the log.
  const store = openStore({
    path: dbPath,
    key,
    backgroundCheckpoints: { onError: (code) => log.warn('checkpoint.failed', { code }) },
  });
  app.on('will-quit', () => store.close());
  let quitting = false;
  const crashReloads = new CrashReloads();
  const holder: MainWindowHolder<BrowserWindow> = new MainWindowHolder(() => {
    const window = createMainWindow(outDir, devServerUrl);
    rememberWindowState(window, ctx);
    lock.watch(window);
    // With a schedule on, closing hides the window (the app lives on in the tray); it is made again when gone.
    window.on('close', (event) => {
      if (closeAction({ keepInTray, quitting }) === 'hide') {
        event.preventDefault();
        window.hide();
      }
    });
    return window;
  });
  const parent = () => holder.get();
  /** The OS dialog for one file of the given kind, on the main window when there is one; null when cancelled. */
  const openOne = async (filter: { name: string; extensions: string[] }): Promise<string | null> => {
    const options = { properties: ['openFile' as const], filters: [filter] };
    const window = parent();
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
  const ctx = createAppContext({
    version: app.getVersion(),
    dataDir: paths.dataDir,
    configDir: paths.configDir,
    store,
    actor: userInfo().username,
    key,
    // Chromium's network stack: the system proxy (PAC too) and the OS certificate store, as the staff's browser.
    fetch: (url, init) => net.fetch(url, init),
    dialogs: {
      openSpreadsheet: () => openOne({ name: appT(ctx)('desktop.filterSheets'), extensions: IMPORTABLE_EXTENSIONS.map((e) => e.slice(1)) }),
      saveFile: async (defaultName, extensions) => {
        const options = { defaultPath: defaultName, filters: [{ name: extensions.join(', '), extensions: [...extensions] }] };
        const window = parent();
        const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
        return result.canceled ? null : (result.filePath ?? null);
      },
      openBackup: () => openOne({ name: appT(ctx)('desktop.filterBackup'), extensions: ['db'] }),
    },
    restoreAndRestart: (backupPath) => {
      // The backup was checked with the key; the current store is kept aside (never deleted), then restart.
      store.close();
      restoreStore(dbPath, backupPath, key);
      app.relaunch();
      app.exit(0);
    },
  });
  // The idle lock: locks by itself after the idle time, on the OS's screen lock and on sleep.
  const lock = startLock(ctx);
  // Events go to the main window while it exists (the same wiring the renderer tests use).
  const appEvents = wireAppEvents(ctx, (channel, payload) => parent()?.webContents.send(channel, payload));
  registerIpc(ipcMain, createHandlers(ctx, appEvents.notify), dispatchLog(log), devServerUrl);
  logSyncRuns(ctx.sync, log);

  const menuActions = {
    about: () => void showAbout(ctx, parent(), outDir),
    saveDiagnostics: () => void saveDiagnostics(ctx, parent(), logFiles(), log),
  };
  installMenu(ctx, menuActions);
  const showWindow = () => void holder.show();

  // Taskbar / dock progress and no sleep while a sync sends.
  const wake = new WakeLock({ start: () => powerSaveBlocker.start('prevent-app-suspension'), stop: (id) => powerSaveBlocker.stop(id) });
  const setProgress = (bar: { value: number; mode: 'none' | 'normal' | 'indeterminate' | 'paused' | 'error' }) =>
    parent()?.setProgressBar(bar.value, { mode: bar.mode });
  ctx.sync.on('progress', (progress) => {
    setProgress(taskbarProgress(progress));
    wake.update(progress.state);
  });
  ctx.sync.on('finished', () => {
    setProgress(NO_PROGRESS);
    wake.update(null);
  });
  ctx.sync.on('failed', () => {
    setProgress(failedProgress(ctx.sync.status().progress));
    wake.update(null);
  });

  // A renderer that crashed or was killed is logged (reason and exit code only) and reloaded with a notice.
  app.on('render-process-gone', (_event, contents, details) => {
    log.error('process.gone', { type: 'renderer', reason: details.reason, exitCode: details.exitCode });
    const window = parent();
    if (!window || window.webContents !== contents || !crashReloads.shouldReload(details.reason, Date.now())) return;
    window.webContents.once('did-finish-load', () => {
      const t = appT(ctx);
      void dialog.showMessageBox(window, { type: 'warning', title: t('desktop.rendererGoneTitle'), message: t('desktop.rendererGone') });
    });
    window.reload();
  });
  app.on('child-process-gone', (_event, details) => {
    log.error('process.gone', { type: details.type, reason: details.reason, exitCode: details.exitCode });
  });

  // Personal data past the retention days goes shortly after start and then daily (main/schedule/retention.ts).
  const retention = new RetentionSchedule({
    db: store.db,
    actor: ctx.actor,
    onError: (info) => log.error('retention.failed', { code: info.code }),
  });
  retention.start();
  let schedule = startSchedule(ctx, showWindow, log);
  keepInTray = schedule.tray !== null;
  const restartSchedule = () => {
    schedule.scheduler?.stop();
    schedule.tray?.destroy();
    schedule = startSchedule(ctx, showWindow, log);
    keepInTray = schedule.tray !== null;
    // Without a tray icon a hidden window could not be reached again.
    const window = parent();
    if (!keepInTray && window && !window.isVisible()) holder.show();
  };
  // A schedule changed in Settings applies at once: the old scheduler and tray icon go, a new pair starts.
  ctx.onScheduleChanged = restartSchedule;
  // A new language: the menu and the tray are rebuilt in it (dialogs and notifications read it when shown).
  ctx.onLocaleChanged = () => {
    installMenu(ctx, menuActions);
    restartSchedule();
  };
  startUpdates(ctx, log);

  const openFiles = (paths: string[]) => {
    const fileIds = paths.flatMap((path) => {
      try {
        return [ctx.files.add(path)];
      } catch (error) {
        log.warn('openFile.refused', { code: toErrorInfo(error).code });
        return [];
      }
    });
    const window = holder.show();
    if (fileIds.length)
      holder.whenLoaded(window, () => {
        for (const file of fileIds) appEvents.send('importRequested', file);
      });
  };
  openFiles(files);
  fileOpener = (path) => openFiles([path]);
  app.on('second-instance', (_event, argv) => {
    const face = routeArgv(argv, defaultApp);
    openFiles(face.face === 'window' ? face.files : []);
  });
  // macOS: a click on the dock icon with no window open makes one.
  app.on('activate', showWindow);

  let confirmed = false;
  let syncClosed = false;
  app.on('before-quit', (event) => {
    if (quitNeedsConfirmation({ syncRunning: ctx.sync.running, confirmed })) {
      const t = appT(ctx);
      const window = parent();
      const options = {
        type: 'warning' as const,
        title: t('desktop.quitDuringSyncTitle'),
        message: t('desktop.quitDuringSyncTitle'),
        detail: t('desktop.quitDuringSyncMessage'),
        buttons: [t('desktop.quitAnyway'), t('desktop.cancel')],
        defaultId: 1,
        cancelId: 1,
      };
      const choice = window ? dialog.showMessageBoxSync(window, options) : dialog.showMessageBoxSync(options);
      if (choice !== 0) {
        event.preventDefault();
        return;
      }
      confirmed = true;
    }
    quitting = true;
    retention.stop();
    if (!syncClosed) {
      // Calls already sent finish and are recorded before the store closes; then quit for real.
      event.preventDefault();
      syncClosed = true;
      const quit = () => app.quit();
      ctx.sync.close().then(quit, quit);
    }
  });
}

/** The desktop face: one window per user session (the single-instance lock is taken by startFace). */
function startDesktop(files: string[]): void {
  const { log, files: logFiles } = shellLogger('main.log', !app.isPackaged);
  app.on('window-all-closed', () => {
    if (quitWhenAllClosed(process.platform, keepInTray)) app.quit();
  });
  // macOS hands over a file opened with the app before the app is ready (it is what started it).
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (fileOpener) fileOpener(path);
    else openedEarly.push(path);
  });
  app
    .whenReady()
    .then(() => start([...files, ...openedEarly.splice(0)], log, logFiles))
    .catch((error: unknown) => {
      // Staff see the translated reason (store locked, wrong key, newer schema...), never a stack trace.
      const info = toErrorInfo(error);
      const t = createI18n(localeFromEnv(app.getLocale())).t;
      log.error('start.failed', { code: info.code });
      dialog.showErrorBox(t('errors.title'), t(`errors.${info.code}`, info.params));
      app.exit(1);
    });
}

startFace(process.argv, defaultApp, {
  runCli: runCliFace,
  exit: exitAfterFlush,
  requestSingleInstanceLock: () => app.requestSingleInstanceLock(),
  quit: () => app.quit(),
  startWindow: startDesktop,
}).catch(() => {
  // runCli itself failed (startFace already asked for exit 1); nothing else can reach here.
});
