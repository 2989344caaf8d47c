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

/** The desktop app's store key, wrapped by the OS keychain (safeStorage), in the config folder. */
export const WRAPPED_KEY_FILE = 'store.key.safe';

/**
 * Windows' AppUserModelID: the same as electron-builder.yml's appId, which the NSIS shortcuts carry, so
 * notifications show under the app's name (tests/packaging.test.ts checks they match).
 */
export const APP_USER_MODEL_ID = 'jp.co.orderstager.app';
