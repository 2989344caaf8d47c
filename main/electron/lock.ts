import { type BrowserWindow, powerMonitor, systemPreferences } from 'electron';
import type { AppContext } from '../app/context';
import { appT } from './desktop';

/**
 * The idle lock in the desktop app (main/security/lock.ts holds it): keyboard input reaching the window
 * (before-input-event, seen by main itself) postpones it, as the renderer's reports of keyboard and mouse input
 * do; the OS locking the screen or the machine going to sleep locks it at once; on macOS with Touch ID the OS
 * confirms the user.
 */
export function startLock(ctx: AppContext): { watch(window: BrowserWindow): void } {
  if (process.platform === 'darwin') {
    ctx.lock.osConfirm = {
      available: () => systemPreferences.canPromptTouchID(),
      confirm: () =>
        systemPreferences.promptTouchID(appT(ctx)('lock.touchIdReason')).then(
          () => true,
          () => false,
        ),
    };
  }
  powerMonitor.on('lock-screen', () => ctx.lock.lock('os'));
  powerMonitor.on('suspend', () => ctx.lock.lock('os'));
  ctx.lock.start();
  return {
    watch: (window) => {
      window.webContents.on('before-input-event', () => ctx.lock.activity());
    },
  };
}
