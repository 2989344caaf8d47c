import { join } from 'node:path';

/** The tray icon's file name: electron-builder.yml's extraResources puts it in the packaged app's resources folder. */
export const TRAY_ICON = 'icon.png';

/**
 * Where the tray icon is: in the packaged app, the resources folder electron-builder fills (extraResources);
 * in a checkout, resources/ at the project root (`appRoot`).
 */
export function trayIconPath(packaged: boolean, resourcesPath: string, appRoot: string): string {
  return packaged ? join(resourcesPath, TRAY_ICON) : join(appRoot, 'resources', TRAY_ICON);
}
