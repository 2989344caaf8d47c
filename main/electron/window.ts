import { join } from 'node:path';
import { BrowserWindow } from 'electron';
import { APP_ORIGIN } from '../security/urls';

export function createMainWindow(outDir: string, devServerUrl: string | undefined): BrowserWindow {
  // The Electron security checklist, written at the call so a reader and a scanner (electronegativity) both
  // see every setting; window.test.ts parses this call and checks each one.
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Order Stager',
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: join(outDir, 'preload', 'index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Middle-click would open links in new windows (electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
  return window;
}
