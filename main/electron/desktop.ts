import { join } from 'node:path';
import { type BrowserWindow, Menu, Notification, Tray, app, nativeImage, net } from 'electron';
import type { AppContext } from '../app/context';
import { backendReachable, readyBatches, Scheduler } from '../schedule/scheduler';
import { createI18n, localeFromEnv } from '../shared/i18n';
import { readSetting, writeSetting } from '../store/settings';
import { trayIconPath } from './resources';

const t = () => createI18n(localeFromEnv(app.getLocale())).t;

/** The application menu: the platforms' standard roles only (their labels are localised by the OS). */
export function installMenu(): void {
  const template: Electron.MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
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

/**
 * Runs the unattended schedule while the app is open, also with the window closed (tray / menu bar), and
 * reports each finished run with an OS notification (counts only: no personal data).
 */
export function startSchedule(ctx: AppContext, showWindow: () => void): { tray: Tray | null; scheduler: Scheduler | null } {
  const expression = readSetting(ctx.store.db, 'syncSchedule', null);
  if (!expression) return { tray: null, scheduler: null };
  const tr = t();
  const scheduler = new Scheduler({
    db: ctx.store.db,
    expression,
    run: async (batchIds) => {
      const summary = await ctx.sync.runToEnd(batchIds);
      if (Notification.isSupported()) {
        new Notification({
          title: tr('desktop.runFinishedTitle'),
          body: tr('desktop.runFinishedBody', {
            done: summary.orders.done,
            failed: summary.orders.failed,
            review: summary.orders.needs_review,
          }),
        }).show();
      }
    },
    isOnline: async () => {
      const url = readSetting(ctx.store.db, 'backendUrl', null);
      return url ? backendReachable(url, 5000, (u, init) => net.fetch(u, init)) : true;
    },
  });
  scheduler.start();
  const icon = trayIconPath(app.isPackaged, process.resourcesPath, join(__dirname, '..', '..'));
  const tray = new Tray(nativeImage.createFromPath(icon).resize({ width: 16, height: 16 }));
  tray.setToolTip(tr('app.name'));
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: tr('desktop.open'), click: showWindow },
      {
        label: tr('desktop.syncReadyNow'),
        click: () => {
          if (readyBatches(ctx.store.db).length) void scheduler.trigger();
        },
      },
      { type: 'separator' },
      { label: tr('desktop.quit'), click: () => app.quit() },
    ]),
  );
  return { tray, scheduler };
}
