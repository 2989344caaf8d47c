import { type BrowserWindow, powerMonitor, systemPreferences } from 'electron';
import type { AppContext } from '../app/context';
import { appT } from './desktop';

/**
 * The idle lock in the desktop app (main/security/lock.ts holds it): keyboard and mouse input to the window
 * postpones it, as the renderer's reports do; the OS locking the screen or the machine going to sleep locks it at
 * once; on macOS with Touch ID the OS confirms the user.
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
