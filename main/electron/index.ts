import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { userInfo } from 'node:os';
import { app, type BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, session, shell } from 'electron';
import { IMPORTABLE_EXTENSIONS } from '../app/import-files';
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
import { filesFromArgv } from '../app/open-files';
import { installMenu, rememberWindowState, startSchedule } from './desktop';
import { registerIpc } from './ipc';
import { createMainWindow } from './window';

let keepInTray = false;

/** Hosts whose pages may be opened in the user's browser (help links); nothing else ever is. */
const EXTERNAL_HOSTS: readonly string[] = [];

const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const outDir = join(__dirname, '..');

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

async function start(): Promise<void> {
  hardenSessions();
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    console.warn('[order-stager] safeStorage uses basic_text: the store key is not protected by an OS keychain on this desktop.');
  }
  const paths = defaultPaths();
  const dbPath = storePath(paths.dataDir);
  const { key } = await resolveDesktopKey({
    envKey: process.env.ORDER_STAGER_KEY,
    plainKeyFile: defaultKeyFile(paths.configDir),
    wrappedKeyFile: join(paths.configDir, 'store.key.safe'),
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
  const store = openStore({ path: dbPath, key, backgroundCheckpoints: true });
  app.on('will-quit', () => store.close());
  let window: BrowserWindow | null = null;
  /** The OS dialog for one file of the given kind, on the main window when there is one; null when cancelled. */
  const openOne = async (filter: { name: string; extensions: string[] }): Promise<string | null> => {
    const options = { properties: ['openFile' as const], filters: [filter] };
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
      openSpreadsheet: () => openOne({ name: 'Excel / CSV', extensions: IMPORTABLE_EXTENSIONS.map((e) => e.slice(1)) }),
      saveFile: async (defaultName, extensions) => {
        const options = { defaultPath: defaultName, filters: [{ name: extensions.join(', '), extensions: [...extensions] }] };
        const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
        return result.canceled ? null : (result.filePath ?? null);
      },
      openBackup: () => openOne({ name: 'Order Stager backup', extensions: ['db'] }),
    },
    restoreAndRestart: (backupPath) => {
      // The backup was checked with the key; the current store is kept aside (never deleted), then restart.
      store.close();
      restoreStore(dbPath, backupPath, key);
      app.relaunch();
      app.exit(0);
    },
  });
  // Events go to the main window while it exists (the same wiring the renderer tests use).
  const appEvents = wireAppEvents(ctx, (channel, payload) => {
    if (window && !window.isDestroyed()) window.webContents.send(channel, payload);
  });
  registerIpc(
    ipcMain,
    createHandlers(ctx, appEvents.notify),
    { error: (channel, info) => console.error(`[ipc] ${channel} failed: ${info.code}`) },
    devServerUrl,
  );
  installMenu();
  const main = createMainWindow(outDir, devServerUrl);
  window = main;
  rememberWindowState(main, ctx);
  const showWindow = () => {
    if (main.isMinimized()) main.restore();
    main.show();
    main.focus();
  };
  // Personal data past the retention days goes shortly after start and then daily (main/schedule/retention.ts).
  const retention = new RetentionSchedule({ db: store.db, actor: ctx.actor, onError: (info) => console.error(`[retention] ${info.code}`) });
  retention.start();
  app.on('before-quit', () => retention.stop());
  let schedule = startSchedule(ctx, showWindow);
  keepInTray = schedule.tray !== null;
  // A schedule changed in Settings applies at once: the old scheduler and tray icon go, a new pair starts.
  ctx.onScheduleChanged = () => {
    schedule.scheduler?.stop();
    schedule.tray?.destroy();
    schedule = startSchedule(ctx, showWindow);
    keepInTray = schedule.tray !== null;
  };
  const openFiles = (paths: string[]) => {
    for (const path of paths) {
      try {
        appEvents.send('importRequested', ctx.files.add(path));
      } catch (error) {
        console.error(`[open-file] refused: ${toErrorInfo(error).code}`);
      }
    }
    if (paths.length) showWindow();
  };
  main.webContents.once('did-finish-load', () => openFiles(filesFromArgv(process.argv)));
  app.on('second-instance', (_event, argv) => openFiles(filesFromArgv(argv)));
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openFiles([path]);
  });
  app.on('before-quit', () => {
    void ctx.sync.close();
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // With a schedule the app lives on in the tray / menu bar so scheduled runs happen with the window closed.
  app.on('window-all-closed', () => {
    if (!keepInTray) app.quit();
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      // Staff see the translated reason (store locked, wrong key, newer schema...), never a stack trace.
      const info = toErrorInfo(error);
      const t = createI18n(localeFromEnv(app.getLocale())).t;
      console.error(`[order-stager] start failed: ${info.code}`);
      dialog.showErrorBox(t('errors.title'), t(`errors.${info.code}`, info.params));
      app.exit(1);
    });
}
