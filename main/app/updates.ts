import { checkBackendUrl } from '../shared/backend-url';

/** electron-updater's generic provider: latest.yml (Windows), latest-mac.yml, latest-linux.yml under `url`. */
export interface UpdateFeed {
  provider: 'generic';
  url: string;
  channel: 'latest';
}

/**
 * The update feed, or null when updates are off: off by default (no URL saved), and always in a development
 * run (nothing to replace). The URL follows the backend's transport policy (`https:`; `http:` only to this
 * computer, for testing). electron-updater then checks each download's SHA-512 from the feed and, on Windows,
 * that the installer is signed by the running app's publisher; on macOS Squirrel.Mac checks the code signature.
 */
export function updateFeed(url: string | null, packaged: boolean): UpdateFeed | null {
  if (!url || !packaged) return null;
  if (!checkBackendUrl(url).ok) return null;
  return { provider: 'generic', url, channel: 'latest' };
}
