import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { AppError } from '../shared/errors';
import { insertBatch } from './batches';
import { applyKey, LATEST_SCHEMA_VERSION, openStore, rekeyStore, STORE_PAGE_SIZE } from './database';
import { generateKey } from './key';
import { migrations } from './migrations';

const tempDir = tempDirsPerTest();
const PERSONAL = '山田太郎 yamada.taro@example.co.jp 東京都千代田区丸の内1-1-1';

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function expectCode(fn: () => unknown, code: string): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    return error as AppError;
  }
  throw new Error(`expected ${code}, but nothing was thrown`);
}

function seedPersonalData(path: string, key = generateKey()) {
  const store = openStore({ path, key });
  const batchId = insertBatch(store.db, {
    sourceFileName: '発注一覧.xlsx',
    sourceSha256: 'a'.repeat(64),
    sheetName: 'Sheet1',
    encoding: null,
    headerRow: 1,
    columnMapping: {},
    importedBy: 'tester',
    importedAt: new Date().toISOString(),
  });
  const now = new Date().toISOString();
  store.db
    .prepare(
      `INSERT INTO orders (batch_id, order_ref, client_reference, customer_name, shipping_address, created_at, updated_at)
       VALUES (?, 'A-001', 'ref-1', ?, ?, ?, ?)`,
    )
    .run(batchId, PERSONAL, PERSONAL, now, now);
  return { store, key };
}

function bytesContain(path: string, needle: string): boolean {
  if (!existsSync(path)) return false;
  const bytes = readFileSync(path);
  return bytes.includes(Buffer.from(needle, 'utf8')) || bytes.includes(Buffer.from(needle, 'utf16le'));
}

describe('encrypted store', () => {
  it('keeps personal data out of the raw file, the WAL and the shm, and reads it back with the key', () => {
    const path = join(tempDir(), 'store.db');
    const { store, key } = seedPersonalData(path);
    // While open, recent writes sit in the WAL: it must be encrypted too.
    expect(existsSync(`${path}-wal`)).toBe(true);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      expect(bytesContain(file, PERSONAL), file).toBe(false);
      expect(bytesContain(file, '山田太郎'), file).toBe(false);
      expect(bytesContain(file, 'yamada.taro'), file).toBe(false);
    }
    // The plain SQLite header is gone too: the file is encrypted from its first byte.
    expect(readFileSync(path).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    store.close();
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(bytesContain(file, 'yamada.taro'), file).toBe(false);

    const reopened = openStore({ path, key });
    const row = reopened.db.prepare('SELECT customer_name FROM orders WHERE order_ref = ?').get('A-001') as { customer_name: string };
    expect(row.customer_name).toBe(PERSONAL);
    reopened.close();
  });

  it('cannot be read without the key', () => {
    const path = join(tempDir(), 'store.db');
    seedPersonalData(path).store.close();
    const plain = new Database(path);
    expect(() => plain.prepare('SELECT * FROM orders').all()).toThrow(/not a database/);
    plain.close();
  });

  it('refuses a wrong key with a clear error and leaves the file untouched', () => {
    const path = join(tempDir(), 'store.db');
    seedPersonalData(path).store.close();
    const before = sha256(path);
    const error = expectCode(() => openStore({ path, key: generateKey() }), 'STORE_UNREADABLE');
    expect(error.params.path).toBe(path);
    expect(error.message).not.toContain('yamada');
    expect(sha256(path)).toBe(before);
  });

  it('uses SQLCipher, WAL, foreign keys and in-memory temp storage', () => {
    const { store } = seedPersonalData(join(tempDir(), 'store.db'));
    expect(store.db.pragma('cipher', { simple: true })).toBe('sqlcipher');
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('temp_store', { simple: true })).toBe(2);
    store.close();
  });
  it('creates stores with 16 KB encrypted pages', () => {
    const { store } = seedPersonalData(join(tempDir(), 'store.db'));
    expect(store.db.pragma('page_size', { simple: true })).toBe(STORE_PAGE_SIZE);
    store.close();
  });

  it('opens a store written with 4 KB pages by an earlier version, and keeps its data', () => {
    const path = join(tempDir(), 'store.db');
    const key = generateKey();
    const old = new Database(path);
    applyKey(old, key, 4096);
    old.exec("CREATE TABLE legacy (v TEXT); INSERT INTO legacy VALUES ('山田太郎');");
    old.close();
    const store = openStore({ path, key });
    expect(store.db.pragma('page_size', { simple: true })).toBe(4096);
    expect(store.db.prepare('SELECT v FROM legacy').pluck().get()).toBe('山田太郎');
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    store.close();
    // Still refused with a wrong key, after trying both page sizes.
    expectCode(() => openStore({ path, key: generateKey() }), 'STORE_UNREADABLE');
  });
});

describe('migrations', () => {
  it('migrates an empty database to the latest schema and records each migration with its hash', () => {
    const store = openStore({ path: join(tempDir(), 'store.db'), key: generateKey() });
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
      (r) => r.name,
    );
    expect(tables).toEqual(
      expect.arrayContaining(['audit_log', 'batches', 'order_lines', 'orders', 'schema_migrations', 'settings', 'sync_state']),
    );
    const applied = store.db.prepare('SELECT version, sha256 FROM schema_migrations').all() as { version: number; sha256: string }[];
    expect(applied.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
    expect(applied.every((r) => /^[0-9a-f]{64}$/.test(r.sha256))).toBe(true);
    store.close();
  });

  it('is idempotent when reopened', () => {
    const path = join(tempDir(), 'store.db');
    const key = generateKey();
    openStore({ path, key }).close();
    const again = openStore({ path, key });
    expect((again.db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(migrations.length);
    again.close();
  });

  it('refuses a store written by a newer version and never overwrites it', () => {
    const path = join(tempDir(), 'store.db');
    const key = generateKey();
    const store = openStore({ path, key });
    store.db.prepare("INSERT INTO schema_migrations VALUES (999, 'future', ?, 'x')").run('f'.repeat(64));
    store.close();
    const before = sha256(path);
    const error = expectCode(() => openStore({ path, key }), 'STORE_TOO_NEW');
    expect(error.params).toMatchObject({ storeVersion: 999, appVersion: LATEST_SCHEMA_VERSION });
    expect(sha256(path)).toBe(before);
  });

  it('refuses to open when an applied migration was edited', () => {
    const path = join(tempDir(), 'store.db');
    const key = generateKey();
    openStore({ path, key }).close();
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    expectCode(() => openStore({ path, key, migrations: edited }), 'STORE_MIGRATION_EDITED');
  });

  it('rolls back a failing migration completely', () => {
    const path = join(tempDir(), 'store.db');
    const key = generateKey();
    const broken = [
      ...migrations,
      { version: migrations.length + 1, name: 'broken', sql: 'CREATE TABLE half (x); INSERT INTO nowhere VALUES (1);' },
    ];
    expectCode(() => openStore({ path, key, migrations: broken }), 'STORE_MIGRATION_FAILED');
    const store = openStore({ path, key });
    expect(store.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
    expect(store.schemaVersion).toBe(migrations.length);
    store.close();
  });

  it('serves the hot look-ups from their indexes', () => {
    const store = openStore({ path: join(tempDir(), 'store.db'), key: generateKey() });
    const plan = (sql: string) =>
      (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan("SELECT id FROM orders WHERE order_ref = 'A'")).toMatch(/USING (COVERING )?INDEX orders_by_ref/);
    // Since 004, per-batch look-ups use the unique (batch_id, order_ref) index.
    expect(plan("SELECT id FROM orders WHERE batch_id = 1 AND validation_status = 'valid'")).toMatch(
      /USING (COVERING )?INDEX sqlite_autoindex_orders_2/,
    );
    expect(plan("SELECT order_id FROM sync_state WHERE state = 'queued'")).toMatch(/USING (COVERING )?INDEX sync_state_by_state/);
    expect(plan('SELECT * FROM order_lines WHERE order_id = 1')).toMatch(/USING INDEX sqlite_autoindex_order_lines_1/);
    expect(plan('SELECT * FROM audit_log WHERE batch_id = 1 ORDER BY seq')).toMatch(/USING INDEX audit_log_by_batch/);
    // 002: template look-up by header set, and the edit log of an order.
    expect(plan("SELECT * FROM mapping_templates WHERE header_signature = 'x' ORDER BY updated_at DESC LIMIT 1")).toMatch(
      /USING INDEX mapping_templates_by_signature/,
    );
    expect(plan('SELECT * FROM order_edits WHERE order_id = 1')).toMatch(/USING INDEX order_edits_by_order/);
    // 005: the daily purge reads only orders not purged yet (main/store/retention.ts).
    expect(
      plan(
        `SELECT o.id, s.state FROM batches b JOIN orders o ON o.batch_id = b.id LEFT JOIN sync_state s ON s.order_id = o.id
         WHERE b.imported_at < 'x' AND o.purged_at IS NULL`,
      ),
    ).toMatch(/USING INDEX orders_unpurged_by_batch/);
    store.close();
  });
});

describe('damaged and busy stores', () => {
  it('refuses a file that is not a store and leaves it untouched', () => {
    const path = join(tempDir(), 'store.db');
    writeFileSync(path, Buffer.alloc(8192, 7));
    const before = sha256(path);
    expectCode(() => openStore({ path, key: generateKey() }), 'STORE_UNREADABLE');
    expect(sha256(path)).toBe(before);
  });

  it('reports a store with a damaged page as corrupt and leaves it untouched', () => {
    const path = join(tempDir(), 'store.db');
    const { store, key } = seedPersonalData(path);
    store.close();
    const bytes = readFileSync(path);
    expect(bytes.length).toBeGreaterThan(STORE_PAGE_SIZE * 3);
    // Flip bytes inside page 3: SQLCipher's per-page HMAC must notice.
    for (let i = STORE_PAGE_SIZE * 2 + 100; i < STORE_PAGE_SIZE * 2 + 200; i += 1) bytes[i] = (bytes[i] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);
    const before = sha256(path);
    const error = expectCode(() => openStore({ path, key }), 'STORE_CORRUPT');
    expect(error.params.path).toBe(path);
    expect(sha256(path)).toBe(before);
  });

  it('reports a store locked by another process', async () => {
    const path = join(tempDir(), 'store.db');
    const key = generateKey();
    openStore({ path, key }).close();
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3-multiple-ciphers');
         const db = new D(process.argv[1]);
         db.pragma("cipher='sqlcipher'"); db.pragma('legacy=4'); db.pragma('legacy_page_size=16384'); db.pragma(\`key="x'\${process.argv[2]}'"\`);
         db.exec('BEGIN EXCLUSIVE'); process.stdout.write('locked\\n'); setInterval(() => {}, 1000);`,
        path,
        key,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
        holder.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
      });
      expectCode(() => openStore({ path, key, busyTimeoutMs: 200 }), 'STORE_LOCKED');
    } finally {
      holder.kill();
    }
  });
});

describe('re-keying', () => {
  it('re-encrypts the store with a new key and keeps a backup under the old one', () => {
    const path = join(tempDir(), 'store.db');
    const { store, key: oldKey } = seedPersonalData(path);
    const newKey = generateKey();
    const { backupPath } = rekeyStore(store, newKey);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    store.close();

    expectCode(() => openStore({ path, key: oldKey }), 'STORE_UNREADABLE');
    const reopened = openStore({ path, key: newKey });
    expect(reopened.db.prepare('SELECT customer_name FROM orders').get()).toEqual({ customer_name: PERSONAL });
    reopened.close();
    expect(bytesContain(path, 'yamada.taro')).toBe(false);

    const backup = openStore({ path: backupPath, key: oldKey });
    expect(backup.db.prepare('SELECT customer_name FROM orders').get()).toEqual({ customer_name: PERSONAL });
    backup.close();
  });
});
