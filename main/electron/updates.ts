import { app } from 'electron';
import { autoUpdater } from 'electron-updater';
import type { AppContext } from '../app/context';
import type { Logger } from '../app/log';
import { updateFeed } from '../app/updates';
import { readSetting } from '../store/settings';
import { appT, notify } from './desktop';

/**
 * Looks for an update once at start when staff saved an update URL (Settings or `updates set`); off by default
 * and in development. electron-updater downloads it, checks its SHA-512 against the feed and (Windows) that the
 * installer carries the same publisher's signature (macOS: Squirrel.Mac checks the code signature), and
 * installs it when the app quits. Nothing is installed from an unsigned or altered download.
 */
export function startUpdates(ctx: AppContext, log: Logger): void {
  const feed = updateFeed(readSetting(ctx.store.db, 'updateUrl', null), app.isPackaged);
  if (!feed) return;
  // electron-updater's own logger would write URLs and messages; ours writes codes only.
  autoUpdater.logger = null;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.setFeedURL(feed);
  autoUpdater.on('error', () => log.warn('update.failed', { code: 'UPDATE_FAILED' }));
  autoUpdater.on('update-downloaded', (info) => {
    log.info('update.downloaded');
    const t = appT(ctx);
    notify(t('desktop.updateReadyTitle'), t('desktop.updateReadyBody', { version: info.version }));
  });
  autoUpdater.checkForUpdates().catch(() => log.warn('update.failed', { code: 'UPDATE_FAILED' }));
}
