import { join } from 'node:path';
import envPaths from 'env-paths';

export const APP_NAME = 'Order Stager';

export interface AppPaths {
  /** Where the encrypted store lives. */
  dataDir: string;
  /** Where the CLI keeps its key file: deliberately a different folder from the data. */
  configDir: string;
}

/**
 * The per-user folders for "Order Stager" (Windows %LOCALAPPDATA% / %APPDATA%, macOS Application Support /
 * Preferences, Linux XDG data / config). The desktop app and the CLI use the same ones, so both see one store.
 */
export function defaultPaths(): AppPaths {
  const paths = envPaths(APP_NAME, { suffix: '' });
  return { dataDir: paths.data, configDir: paths.config };
}

export function storePath(dataDir: string): string {
  return join(dataDir, 'order-stager.db');
}

export function defaultKeyFile(configDir: string): string {
  return join(configDir, 'store.key');
}
