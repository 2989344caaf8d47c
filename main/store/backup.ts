import { constants, copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { makePrivate } from '../config/private-files';
import type Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../shared/errors';
import { openKeyed, type Store } from './database';
import type { StoreKey } from './key';

/** Checks that a file is a store readable with the key, without changing it. */
export function verifyBackup(path: string, key: StoreKey): void {
  let db: Database.Database | undefined;
  try {
    db = openKeyed(path, key, { readonly: true, fileMustExist: true });
    if (db.pragma('quick_check', { simple: true }) !== 'ok') throw new AppError('STORE_CORRUPT', { path });
    db.prepare('SELECT count(*) FROM schema_migrations').get();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('STORE_UNREADABLE', { path }, { cause: error });
  } finally {
    db?.close();
  }
}

/**
 * Copies the store, still encrypted with its key, to `dest`: the WAL is checkpointed first and the write
 * lock held during the copy so the copy is one consistent state. The copy is then checked with the key.
 */
export function backupStore(store: Store, dest: string, key: StoreKey): { path: string } {
  if (existsSync(dest)) throw new AppError('INVALID_INPUT', { option: '--out' });
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.db.exec('BEGIN IMMEDIATE');
  try {
    copyFileSync(store.path, dest, constants.COPYFILE_EXCL);
    makePrivate(dest);
  } finally {
    store.db.exec('COMMIT');
  }
  verifyBackup(dest, key);
  return { path: dest };
}

/**
 * Replaces a (closed) store with a backup taken with the same key. The current file is kept next to it
 * (`.before-restore-<time>`), never deleted.
 */
export function restoreStore(storePath: string, backupPath: string, key: StoreKey, now = new Date()): { previous: string | null } {
  verifyBackup(backupPath, key);
  let previous: string | null = null;
  if (existsSync(storePath)) {
    previous = `${storePath}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
    renameSync(storePath, previous);
    for (const suffix of ['-wal', '-shm']) if (existsSync(storePath + suffix)) renameSync(storePath + suffix, previous + suffix);
  }
  try {
    copyFileSync(backupPath, storePath);
    makePrivate(storePath);
  } catch (error) {
    if (previous) renameSync(previous, storePath);
    throw error;
  }
  rmSync(`${storePath}-wal`, { force: true });
  return { previous };
}
