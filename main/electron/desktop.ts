import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { type BrowserWindow, Menu, Notification, Tray, app, dialog, nativeImage, net, shell } from 'electron';
import { type AppContext, currentLocale } from '../app/context';
import { diagnosticFacts, diagnosticsFileName, diagnosticsZip } from '../app/diagnostics';
import { LICENCES_FILE, licenceSummary, licencesText, type PackageLicence } from '../app/licences';
import type { Logger } from '../app/log';
import { type MenuActions, menuTemplate } from '../app/menu';
import { APP_NAME } from '../config/paths';
import { backendReachable, readyBatches, Scheduler } from '../schedule/scheduler';
import { toErrorInfo } from '../shared/errors';
import { createI18n } from '../shared/i18n';
import { readSetting, writeSetting } from '../store/settings';
import { trayIconPath } from './resources';

/** Translations in the app's language: the saved setting, not the OS's. */
export const appT = (ctx: AppContext) => createI18n(currentLocale(ctx)).t;

/** Notifications, dialogs and the tray speak the app's language; what they say are counts, never personal data. */
export function notify(title: string, body: string): void {
  if (Notification.isSupported()) new Notification({ title, body }).show();
}

/** The application menu in the app's language (main/app/menu.ts), without Reload and DevTools when packaged. */
export function installMenu(ctx: AppContext, actions: MenuActions): void {
  const t = appT(ctx);
  const template = menuTemplate({
    t: (key, params) => t(key, params ?? {}),
    platform: process.platform,
    packaged: app.isPackaged,
    appName: APP_NAME,
    actions,
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** Restores the window's last bounds and remembers them on close. */
export function rememberWindowState(window: BrowserWindow, ctx: AppContext): void {
  const saved = readSetting(ctx.store.db, 'windowBounds', null);
  if (saved) {
    window.setBounds({ x: saved.x, y: saved.y, width: saved.width, height: saved.height });
    if (saved.maximized) window.maximize();
  }
  window.on('close', () => {
    const bounds = window.getNormalBounds();
    writeSetting(ctx.store.db, 'windowBounds', { ...bounds, maximized: window.isMaximized() });
  });
}

/** licences.json of the main bundle (shipped node_modules) and of the renderer bundle, written at build time. */
function readLicences(outDir: string): PackageLicence[] {
  const all = new Map<string, PackageLicence>();
  for (const file of [join(outDir, 'main', LICENCES_FILE), join(outDir, 'renderer', LICENCES_FILE)]) {
    if (!existsSync(file)) continue;
    for (const p of JSON.parse(readFileSync(file, 'utf8')) as PackageLicence[]) all.set(`${p.name}@${p.version}`, p);
  }
  return [...all.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Help > About: version, runtimes and the licences of the bundled packages (the full list opens as a text file). */
export async function showAbout(ctx: AppContext, window: BrowserWindow | null, outDir: string): Promise<void> {
  const t = appT(ctx);
  const licences = readLicences(outDir);
  const options = {
    type: 'info' as const,
    title: t('menu.about', { app: APP_NAME }),
    message: `${APP_NAME} ${app.getVersion()}`,
    detail: t('desktop.aboutDetail', {
      version: app.getVersion(),
      electron: process.versions.electron,
      node: process.versions.node,
      chrome: process.versions.chrome,
      count: licences.length,
      licences: licenceSummary(licences),
    }),
    buttons: [t('desktop.ok'), t('desktop.showLicences')],
    defaultId: 0,
    cancelId: 0,
  };
  const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  if (response !== 1) return;
  // The list lives inside app.asar; an editor can open only a real file.
  const file = join(app.getPath('temp'), 'order-stager-licences.txt');
  writeFileSync(file, licencesText(licences));
  await shell.openPath(file);
}

/** Help > Save diagnostics…: a zip of versions, store facts and the logs (main/app/diagnostics.ts), where staff choose. */
export async function saveDiagnostics(ctx: AppContext, window: BrowserWindow | null, logFiles: string[], log: Logger): Promise<void> {
  const t = appT(ctx);
  const now = new Date();
  const path = await ctx.dialogs.saveFile(diagnosticsFileName(now), ['zip']);
  if (!path) return;
  let message: string;
  try {
    const facts = diagnosticFacts(ctx, {
      runtime: {
        node: process.versions.node,
        electron: process.versions.electron,
        chrome: process.versions.chrome,
        v8: process.versions.v8,
      },
      os: { platform: process.platform, release: release(), arch: process.arch },
      packaged: app.isPackaged,
      now,
    });
    const logs = logFiles.filter((file) => existsSync(file)).map((file) => ({ path: file, bytes: readFileSync(file) }));
    writeFileSync(path, diagnosticsZip(facts, logs), { mode: 0o600 });
    log.info('diagnostics.saved', { logs: logs.length });
    message = t('desktop.diagnosticsSaved');
  } catch (error) {
    const { code } = toErrorInfo(error);
    log.error('diagnostics.failed', { code });
    message = t('desktop.diagnosticsFailed', { code });
  }
  const options = { type: 'info' as const, message, buttons: [t('desktop.ok')] };
  if (window) await dialog.showMessageBox(window, options);
  else await dialog.showMessageBox(options);
}

/**
 * Runs the unattended schedule while the app is open, also with the window closed (tray / menu bar), and
 * reports each finished run with an OS notification (counts only: no personal data).
 */
export function startSchedule(ctx: AppContext, showWindow: () => void, log: Logger): { tray: Tray | null; scheduler: Scheduler | null } {
  const expression = readSetting(ctx.store.db, 'syncSchedule', null);
  if (!expression) return { tray: null, scheduler: null };
  const scheduler = new Scheduler({
    db: ctx.store.db,
    expression,
    run: async (batchIds) => {
      const summary = await ctx.sync.runToEnd(batchIds);
      const t = appT(ctx);
      notify(
        t('desktop.runFinishedTitle'),
        t('desktop.runFinishedBody', { done: summary.orders.done, failed: summary.orders.failed, review: summary.orders.needs_review }),
      );
    },
    isOnline: async () => {
      const url = readSetting(ctx.store.db, 'backendUrl', null);
      return url ? backendReachable(url, 5000, (u, init) => net.fetch(u, init)) : true;
    },
  });
  scheduler.start();
  log.info('schedule.started');
  const t = appT(ctx);
  const icon = trayIconPath(app.isPackaged, process.resourcesPath, join(__dirname, '..', '..'));
  const tray = new Tray(nativeImage.createFromPath(icon).resize({ width: 16, height: 16 }));
  tray.setToolTip(t('app.name'));
  // Windows and Linux: a click on the icon opens the window (macOS shows the menu, as its menu bar does).
  if (process.platform !== 'darwin') tray.on('click', showWindow);
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: t('desktop.open'), click: showWindow },
      {
        label: t('desktop.syncReadyNow'),
        click: () => {
          if (readyBatches(ctx.store.db).length) void scheduler.trigger();
        },
      },
      { type: 'separator' },
      { label: t('desktop.quit'), click: () => app.quit() },
    ]),
  );
  return { tray, scheduler };
}
