/**
 * URL checks for the Electron shell, as plain functions so they can be tested with misleading input.
 * Every check parses with the WHATWG URL parser; none compares string prefixes.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'order-stager';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True only for pages of the app itself, served from the app:// protocol. */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return (
    parsed !== null &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** Navigation inside the window is allowed only between the app's own pages (and the dev server in development). */
export function isAllowedNavigation(url: string, devServerUrl?: string): boolean {
  if (isAppUrl(url)) return true;
  if (!devServerUrl) return false;
  const target = parse(url);
  const dev = parse(devServerUrl);
  return target !== null && dev !== null && target.origin === dev.origin && (dev.hostname === 'localhost' || dev.hostname === '127.0.0.1');
}

/** IPC is answered only for frames showing the app itself. */
export function isTrustedSender(frameUrl: string | undefined, devServerUrl?: string): boolean {
  return frameUrl !== undefined && isAllowedNavigation(frameUrl, devServerUrl);
}

/** Only https links to known documentation hosts may be opened in the user's browser. */
export function isSafeExternalUrl(url: string, allowedHosts: readonly string[]): boolean {
  const parsed = parse(url);
  return (
    parsed !== null &&
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    allowedHosts.includes(parsed.hostname)
  );
}
