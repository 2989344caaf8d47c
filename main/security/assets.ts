import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { isAppUrl } from './urls';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export interface AppAsset {
  path: string;
  mimeType: string;
}

/**
 * Maps an app:// request to a file inside the renderer folder, or null. Rejects other origins,
 * traversal (also percent-encoded), absolute paths, NUL bytes and unknown file types.
 */
export function resolveAppAsset(rendererRoot: string, requestUrl: string): AppAsset | null {
  if (!isAppUrl(requestUrl)) return null;
  const { pathname } = new URL(requestUrl);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const wanted = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = resolve(rendererRoot);
  const target = resolve(root, wanted);
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
  const mimeType = MIME[extname(target).toLowerCase()];
  return mimeType ? { path: target, mimeType } : null;
}
