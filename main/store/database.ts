import { constants, copyFileSync, existsSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { createPrivateFile, ensurePrivateDir, makePrivate } from '../config/private-files';
import { AppError } from '../shared/errors';
import { type BackgroundCheckpointOptions, BackgroundCheckpoints } from './checkpoints';
import type { StoreKey } from './key';
import { nativeLoadError } from './native';
import { LATEST_SCHEMA_VERSION, type Migration, migrationHash, migrations as allMigrations } from './migrations';

export type Db = Database.Database;

export interface OpenStoreOptions {
  path: string;
  key: StoreKey;
  /** How long to wait for another process's lock before giving up (ms). */
  busyTimeoutMs?: number;
  /** Only for tests of the migration checks. */
  migrations?: readonly Migration[];
  /** Only for tests of a driver that does not load: the native addon file to load instead of the installed one. */
  nativeBinding?: string;
  /**
   * Run WAL checkpoints in a worker thread instead of inside commits (the desktop app: a large import then
   * returns as soon as it is durable, and the main process is never blocked copying the log).
   */
  backgroundCheckpoints?: boolean | Omit<BackgroundCheckpointOptions, 'path' | 'pragmas'>;
}

export interface Store {
  readonly db: Db;
  readonly path: string;
  readonly schemaVersion: number;
  /** The checkpoint worker, when asked for and started. */
  readonly checkpoints: BackgroundCheckpoints | null;
  close(): void;
}

/** The cipher the whole file is encrypted with: SQLCipher 4 (AES-256-CBC, HMAC-SHA512 per page). */
export const STORE_CIPHER = 'sqlcipher';

function sqliteCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

/** Maps SQLite failures while opening to typed errors; the file itself is never touched. */
function openError(error: unknown, path: string): AppError {
  const code = sqliteCode(error);
  if (code === 'SQLITE_NOTADB') return new AppError('STORE_UNREADABLE', { path }, { cause: error });
  if (code === 'SQLITE_CORRUPT') return new AppError('STORE_CORRUPT', { path }, { cause: error });
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return new AppError('STORE_LOCKED', { path }, { cause: error });
  if (error instanceof AppError) return error;
  return new AppError('STORE_UNREADABLE', { path }, { cause: error });
}

/**
 * Page size of new stores. SQLCipher authenticates and encrypts each page: 16 KB pages mean a quarter of
 * the per-page work of the 4 KB default, which makes a 100,000-line import commit ~0.5 s faster.
 */
export const STORE_PAGE_SIZE = 16384;
/** Page sizes tried, in order, when opening: stores created before 16 KB pages use SQLCipher's 4 KB default. */
const PAGE_SIZES = [STORE_PAGE_SIZE, 4096] as const;

/** The cipher, page size and key pragmas, in order; they must be the first statements on a connection. */
export function keyPragmas(key: StoreKey, pageSize: number = STORE_PAGE_SIZE): string[] {
  return [
    `cipher='${STORE_CIPHER}'`,
    'legacy=4',
    // The page size is not stored in clear in an encrypted file, so it must be set before the key.
    `legacy_page_size=${Math.trunc(pageSize)}`,
    // Raw 256-bit key: no passphrase derivation; the hex is validated by parseKey, so this cannot inject.
    `key="x'${key}'"`,
  ];
}

/** Applies the cipher, page size and key; must be the first statements on a connection. */
export function applyKey(db: Db, key: StoreKey, pageSize: number = STORE_PAGE_SIZE): void {
  for (const pragma of keyPragmas(key, pageSize)) db.pragma(pragma);
}

/** A connection; the driver's native half is loaded by the first one, so a driver that cannot load fails here. */
function connect(path: string, options: Database.Options): Db {
  try {
    return new Database(path, options);
  } catch (error) {
    throw nativeLoadError(error) ?? error;
  }
}

/**
 * Opens a connection and proves the key with a first read (a wrong key only shows there). A store written
 * with another page size reads as "not a database" too, so each known page size is tried before giving up.
 */
export function openKeyed(path: string, key: StoreKey, options: Database.Options = {}): Db {
  let lastError: unknown;
  for (const pageSize of PAGE_SIZES) {
    const db = connect(path, options);
    try {
      applyKey(db, key, pageSize);
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      return db;
    } catch (error) {
      db.close();
      lastError = error;
      if (sqliteCode(error) !== 'SQLITE_NOTADB') break;
    }
  }
  throw lastError;
}

/** The settings every connection to the store works with (the main one, and the import worker's). */
export function tuneConnection(db: Db): void {
  db.pragma('temp_store=MEMORY');
  // 64 MB page cache: a 100,000-line import fits without spilling encrypted pages mid-transaction.
  db.pragma('cache_size=-65536');
  db.pragma('foreign_keys=ON');
  // Deleted and overwritten content is zeroed in the page instead of left in its free space: a purge
  // (retention) must leave no personal data in any page, including freed ones.
  db.pragma('secure_delete=ON');
  // FULL: each commit reaches the disk, so a sync state written before a call survives a power cut.
  db.pragma('synchronous=FULL');
}

/**
 * Opens (or creates) the encrypted store and brings its schema up to date. Refuses, with a typed error
 * and without modifying the file, a store it cannot decrypt, a damaged one, one locked by another
 * process, one written by a newer version of the app, or one whose applied migrations were edited.
 */
export function openStore(options: OpenStoreOptions): Store {
  const { path, key } = options;
  const migrations = options.migrations ?? allMigrations;
  if (path !== ':memory:') {
    // Private on POSIX: the folder 0700 (when it is the store's own), the store 0600 before SQLite writes to
    // it (its WAL and shared-memory files take the store's mode); a store or folder from before is tightened.
    const name = basename(path);
    ensurePrivateDir(dirname(path), (entry) => entry.startsWith(name));
    createPrivateFile(path);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) makePrivate(file);
  }
  let db: Db | undefined;
  try {
    db = openKeyed(path, key, {
      timeout: options.busyTimeoutMs ?? 5000,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
    tuneConnection(db);
    if (path !== ':memory:') {
      const mode = db.pragma('journal_mode=WAL', { simple: true });
      if (mode !== 'wal') throw new AppError('STORE_LOCKED', { path });
    }
    const quick = db.pragma('quick_check', { simple: true });
    if (quick !== 'ok') throw new AppError('STORE_CORRUPT', { path });
    const schemaVersion = migrate(db, migrations, path);
    const opened = db;
    const background = options.backgroundCheckpoints;
    const checkpoints =
      background && path !== ':memory:'
        ? new BackgroundCheckpoints(opened, {
            ...(typeof background === 'object' ? background : {}),
            path,
            pragmas: keyPragmas(key, Number(opened.pragma('page_size', { simple: true }))),
          })
        : null;
    return {
      db: opened,
      path,
      schemaVersion,
      checkpoints,
      close: () => {
        // The worker's connection closes first: the last connection to close folds the WAL into the file.
        checkpoints?.stop();
        if (opened.open) opened.close();
      },
    };
  } catch (error) {
    db?.close();
    throw openError(error, path);
  }
}

function migrate(db: Db, migrations: readonly Migration[], path: string): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  // Read under the write lock: proves the store is writable now (another process holding it for longer
  // than the busy timeout is STORE_LOCKED) and keeps two processes from migrating at once.
  const readApplied = db.prepare('SELECT version, name, sha256 FROM schema_migrations ORDER BY version');
  const applied = db.transaction(() => readApplied.all()).immediate() as { version: number; name: string; sha256: string }[];
  const latest = migrations.length;
  const newest = applied.at(-1)?.version ?? 0;
  if (newest > latest) throw new AppError('STORE_TOO_NEW', { path, storeVersion: newest, appVersion: latest });
  for (const row of applied) {
    const known = migrations[row.version - 1];
    if (!known || migrationHash(known) !== row.sha256) {
      throw new AppError('STORE_MIGRATION_EDITED', { path, version: row.version });
    }
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)');
  for (const migration of migrations.slice(newest)) {
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        record.run(migration.version, migration.name, migrationHash(migration), new Date().toISOString());
      }).immediate();
    } catch (cause) {
      const code = sqliteCode(cause);
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw cause;
      throw new AppError('STORE_MIGRATION_FAILED', { path, version: migration.version }, { cause });
    }
  }
  return latest;
}

export function storeExists(path: string): boolean {
  return existsSync(path) && statSync(path).size > 0;
}

export interface RekeyResult {
  /** Copy of the store, still encrypted with the old key, taken before re-keying. */
  backupPath: string;
}

/**
 * Re-encrypts the whole store with a new key. SQLCipher refuses to re-key in WAL mode, so the WAL is
 * checkpointed and the journal switched to DELETE for the duration; a byte copy of the file (still
 * encrypted with the old key) is kept first, so a failure midway loses nothing.
 */
export function rekeyStore(store: Store, newKey: StoreKey, now = new Date()): RekeyResult {
  const { db, path } = store;
  if (path === ':memory:') throw new AppError('REKEY_FAILED', { reason: 'memory' });
  // Leaving WAL mode needs the only connection: the checkpoint worker's goes (automatic checkpoints resume).
  store.checkpoints?.stop();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const mode = db.pragma('journal_mode=DELETE', { simple: true });
  if (mode !== 'delete') throw new AppError('STORE_LOCKED', { path });
  const backupPath = `${path}.before-rekey-${now.toISOString().replace(/[:.]/g, '-')}`;
  try {
    copyFileSync(path, backupPath, constants.COPYFILE_EXCL);
    makePrivate(backupPath);
    db.pragma(`rekey="x'${newKey}'"`);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (cause) {
    throw new AppError('REKEY_FAILED', { reason: 'rekey' }, { cause });
  } finally {
    db.pragma('journal_mode=WAL');
  }
  return { backupPath };
}

export { LATEST_SCHEMA_VERSION };
