import { join } from 'node:path';
import { app, BrowserWindow } from 'electron';
import { guideLocation } from '../app/guide';

/**
 * The staff guide in a window of its own: a local HTML page (docs/guide, shipped as resources/guide) with no
 * preload and no IPC (ipc.ts answers only the app's own pages), opened at a section's anchor. One window,
 * reused: asking again moves it to the new section.
 */
export function guideWindowOpener(): (locale: string, section: string | null) => void {
  let window: BrowserWindow | null = null;
  return (locale, section) => {
    const { file, hash } = guideLocation({
      packaged: app.isPackaged,
      resourcesPath: process.resourcesPath,
      appRoot: join(__dirname, '..', '..'),
      locale,
      section,
    });
    if (!window || window.isDestroyed()) {
      // The main window's checklist, written out again at this call as window.ts does (a scanner reads
      // literals only; window.test.ts checks the two agree), without a preload and with no script at all.
      window = new BrowserWindow({
        width: 1000,
        height: 760,
        title: 'Order Stager',
        backgroundColor: '#ffffff',
        webPreferences: {
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
          nodeIntegrationInWorker: false,
          nodeIntegrationInSubFrames: false,
          webSecurity: true,
          allowRunningInsecureContent: false,
          experimentalFeatures: false,
          disableBlinkFeatures: 'Auxclick',
          webviewTag: false,
          navigateOnDragDrop: false,
          safeDialogs: true,
          spellcheck: false,
          javascript: false,
        },
      });
      window.setMenuBarVisibility(false);
      window.on('closed', () => {
        window = null;
      });
    }
    void window.loadFile(file, hash ? { hash } : undefined);
    window.show();
    window.focus();
  };
}
