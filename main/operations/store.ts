import { existsSync } from 'node:fs';
import { appendAudit } from '../audit/log';
import type { AppContext } from '../app/context';
import { AppError } from '../shared/errors';
import { backupStore, restoreStore, verifyBackup } from '../store/backup';
import { rekeyStore } from '../store/database';
import { generateKey, type StoreKey, writeKeyFile } from '../store/key';

/** Store info: where it is, its cipher and schema version. */
export function storeInfo(ctx: AppContext): { path: string; cipher: string; encrypted: true; schemaVersion: number } {
  return { path: ctx.store.path, cipher: ctx.cipher, encrypted: true, schemaVersion: ctx.store.schemaVersion };
}

/** Backup: the store, still encrypted with its key, copied to `path` (which must not exist) and checked. */
export function backupTo(ctx: AppContext, path: string): { path: string } {
  if (!ctx.key) throw new AppError('BACKUP_NO_KEY', {});
  const result = backupStore(ctx.store, path, ctx.key);
  appendAudit(ctx.store.db, { actor: ctx.actor, action: 'store.backed_up' });
  return result;
}

/**
 * Restore, as the app does it: the backup is checked with the key before anything is touched and the request
 * recorded; the shell then closes the store, swaps the files and starts again on it.
 */
export function requestRestore(ctx: AppContext, path: string): void {
  if (!ctx.key || !ctx.restoreAndRestart) throw new AppError('RESTORE_UNAVAILABLE', {});
  if (ctx.sync.running) throw new AppError('SYNC_ALREADY_RUNNING', {});
  if (ctx.imports.running) throw new AppError('IMPORT_IN_PROGRESS', {});
  verifyBackup(path, ctx.key);
  appendAudit(ctx.store.db, { actor: ctx.actor, action: 'store.restore_requested' });
}

/**
 * Restore, as the command line does it: the (closed) store replaced by a checked backup, the current file kept
 * aside. `record` then opens the restored store and writes `store.restored` into it.
 */
export async function restoreFromBackup(
  target: { storePath: string; key: StoreKey },
  backupPath: string,
  record: (write: (ctx: AppContext) => void) => Promise<void>,
): Promise<{ previous: string | null }> {
  const result = restoreStore(target.storePath, backupPath, target.key);
  await record((ctx) => appendAudit(ctx.store.db, { actor: ctx.actor, action: 'store.restored' }));
  return result;
}

/**
 * Rekey: a new random key written to `newKeyFile` (0600) before the store depends on it, so a crash in between
 * loses nothing; the store (copied aside first) re-encrypted with it.
 */
export function rekey(ctx: AppContext, newKeyFile: string): { backupPath: string } {
  if (existsSync(newKeyFile)) throw new AppError('INVALID_INPUT', { option: '--new-key-file' });
  const key = generateKey();
  writeKeyFile(newKeyFile, key);
  const { backupPath } = rekeyStore(ctx.store, key);
  appendAudit(ctx.store.db, { actor: ctx.actor, action: 'store.rekeyed' });
  return { backupPath };
}
