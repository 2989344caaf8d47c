import { chmodSync, closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, statSync, writeFileSync } from 'node:fs';

/**
 * Files and folders only the OS user may read (POSIX modes; Windows keeps its per-user ACLs, where these
 * modes mean nothing). The store is encrypted, but its names, sizes and times still tell a story, and
 * exports hold personal data in clear.
 */
const POSIX = process.platform !== 'win32';
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates the folder 0700. An existing folder that others can enter (one from an older version, created
 * 0755) is tightened when it is the app's own: the user owns it and `ours` claims every entry in it. A
 * folder that holds other things (a project folder or home given with --data-dir) is left as it is, and
 * the answer says so; the files the app writes there are 0600 all the same.
 */
export function ensurePrivateDir(dir: string, ours: (name: string) => boolean): 'private' | 'tightened' | 'left-open' {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (!POSIX) return 'private';
  const stat = statSync(dir);
  if ((stat.mode & 0o077) === 0) return 'private';
  if (stat.uid !== process.getuid?.() || !readdirSync(dir).every(ours)) return 'left-open';
  chmodSync(dir, PRIVATE_DIR_MODE);
  return 'tightened';
}

/** Makes an existing file 0600 (a store, WAL or backup written before files were private). */
export function makePrivate(path: string): void {
  if (POSIX && existsSync(path) && (statSync(path).mode & 0o077) !== 0) chmodSync(path, PRIVATE_FILE_MODE);
}

/** Creates an empty file 0600 unless it exists, so what is then written into it (SQLite, a copy) starts private. */
export function createPrivateFile(path: string): void {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** Writes a file only the user can read (an export or a backup copy); an existing file is tightened first. */
export function writePrivateFile(path: string, data: string | Uint8Array): void {
  makePrivate(path);
  writeFileSync(path, data, { mode: PRIVATE_FILE_MODE });
}
