import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../../tests/helpers/tmp';
import { type Db, openStore } from '../database';
import { generateKey } from '../key';
import { migrations } from './index';

const tempDir = tempDirsPerTest();
const AT = '2026-11-01T09:00:00.000Z';
const HASH = 'a'.repeat(64);

/**
 * What a store at `version` holds after real use: a batch with an order, a line, its sync state, an audit
 * entry and a setting; from 002 a template and an edit, from 003 a sync run, from 005 import notes. Written
 * with that version's columns only.
 */
function seed(db: Db, version: number, batchStatus = 'ready'): void {
  db.prepare(
    `INSERT INTO batches (id, source_file_name, source_sha256, column_mapping, imported_by, imported_at, status)
     VALUES (1, '発注.xlsx', ?, '{"order_ref":"注文番号"}', 'sato', ?, ?)`,
  ).run(HASH, AT, batchStatus);
  db.prepare(
    `INSERT INTO orders (id, batch_id, order_ref, client_reference, customer_name, email, total_amount, validation_status, created_at, updated_at)
     VALUES (1, 1, 'PO-1', 'os-1', '株式会社さくら商事', 'order1@example.co.jp', 1200, 'valid', ?, ?)`,
  ).run(AT, AT);
  db.prepare(
    `INSERT INTO order_lines (id, order_id, line_no, source_row, sku, quantity, unit_price) VALUES (1, 1, 1, 4, 'SKU-1', 2, 600)`,
  ).run();
  db.prepare(`INSERT INTO sync_state (order_id, state, idempotency_key, attempts, updated_at) VALUES (1, 'failed', 'idem-1', 3, ?)`).run(
    AT,
  );
  db.prepare(
    `INSERT INTO audit_log (seq, at, actor, action, batch_id, details, prev_hash, hash) VALUES (1, ?, 'sato', 'batch.imported', 1, '{}', ?, ?)`,
  ).run(AT, '0'.repeat(64), HASH);
  db.prepare(`INSERT INTO settings (key, value) VALUES ('retentionDays', '90')`).run();
  if (version >= 2) {
    db.prepare(
      `INSERT INTO mapping_templates (name, header_signature, mapping, created_by, created_at, updated_at) VALUES ('標準', 'sig', '{}', 'sato', ?, ?)`,
    ).run(AT, AT);
    const hashes = version < 6 ? ', old_hash, new_hash' : '';
    const values = version < 6 ? `, '${HASH}', '${HASH}'` : '';
    db.prepare(
      `INSERT INTO order_edits (order_id, source_row, field, edited_by, edited_at${hashes}) VALUES (1, NULL, 'email', 'sato', ?${values})`,
    ).run(AT);
  }
  if (version >= 3)
    db.prepare(`INSERT INTO sync_runs (id, started_at, started_by, batch_ids, outcome) VALUES (1, ?, 'sato', '[1]', 'finished')`).run(AT);
  if (version >= 5) db.prepare(`UPDATE batches SET import_notes = '{"continued_lines":2}' WHERE id = 1`).run();
}

/** A store built with migrations 1..version-1 and seeded as that version, then opened with 1..version. */
function upgradeTo(version: number, batchStatus?: string): Db {
  const path = join(tempDir(), 'order-stager.db');
  const key = generateKey();
  const old = openStore({ path, key, migrations: migrations.slice(0, version - 1) });
  expect(old.schemaVersion).toBe(version - 1);
  seed(old.db, version - 1, batchStatus);
  old.close();
  const store = openStore({ path, key, migrations: migrations.slice(0, version) });
  expect(store.schemaVersion).toBe(version);
  return store.db;
}

/** The data every version keeps: the order, its line, its sync state and the audit entry. */
function expectKept(db: Db): void {
  expect(db.prepare('SELECT order_ref, customer_name, email, total_amount, validation_status FROM orders').all()).toEqual([
    {
      order_ref: 'PO-1',
      customer_name: '株式会社さくら商事',
      email: 'order1@example.co.jp',
      total_amount: 1200,
      validation_status: 'valid',
    },
  ]);
  expect(db.prepare('SELECT sku, quantity, unit_price FROM order_lines').all()).toEqual([{ sku: 'SKU-1', quantity: 2, unit_price: 600 }]);
  expect(db.prepare('SELECT state, attempts FROM sync_state').get()).toEqual({ state: 'failed', attempts: 3 });
  expect(db.prepare('SELECT action, hash FROM audit_log').all()).toEqual([{ action: 'batch.imported', hash: HASH }]);
  expect(db.prepare("SELECT value FROM settings WHERE key = 'retentionDays'").pluck().get()).toBe('90');
}

const plan = (db: Db, sql: string) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join('\n');

describe('each migration upgrades a store of the version before it, holding data', () => {
  it('002 import: headers, row counts and packed fields start empty; templates and edits can be written', () => {
    const db = upgradeTo(2);
    expectKept(db);
    expect(db.prepare('SELECT headers, row_count, source_kind FROM batches').get()).toEqual({
      headers: '[]',
      row_count: 0,
      source_kind: null,
    });
    expect(db.prepare('SELECT fields FROM order_lines').pluck().get()).toBe('[]');
    expect(db.prepare('SELECT count(*) FROM mapping_templates').pluck().get()).toBe(0);
  });

  it('003 sync: states get an empty detail and no in-flight time; runs and the lock are new tables', () => {
    const db = upgradeTo(3);
    expectKept(db);
    expect(db.prepare('SELECT detail, in_flight_since FROM sync_state').get()).toEqual({ detail: '{}', in_flight_since: null });
    expect(db.prepare("SELECT value FROM settings WHERE key = 'retentionDays'").pluck().get()).toBe('90');
    expect(db.prepare('SELECT count(*) FROM order_edits').pluck().get()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM sync_runs').pluck().get()).toBe(0);
  });

  it('004 drops the redundant index; per-batch look-ups still use an index', () => {
    const db = upgradeTo(4);
    expectKept(db);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'orders_by_batch_status'").pluck().get()).toBe(0);
    expect(plan(db, "SELECT id FROM orders WHERE batch_id = 1 AND order_ref = 'PO-1'")).toMatch(/INDEX sqlite_autoindex_orders/);
    expect(db.prepare('SELECT outcome FROM sync_runs').pluck().get()).toBe('finished');
  });

  it('005 import notes: existing batches get none', () => {
    const db = upgradeTo(5);
    expectKept(db);
    expect(db.prepare('SELECT import_notes FROM batches').pluck().get()).toBe('{}');
  });

  it('006 retention: nothing is purged; edits keep who and when but lose the value hashes; the purge look-up has its index', () => {
    const db = upgradeTo(6);
    expectKept(db);
    expect(db.prepare('SELECT purged_at FROM orders').pluck().get()).toBeNull();
    expect(db.prepare('SELECT import_notes FROM batches').pluck().get()).toBe('{"continued_lines":2}');
    expect(db.prepare('SELECT * FROM order_edits').all()).toEqual([
      { id: 1, order_id: 1, source_row: null, field: 'email', edited_by: 'sato', edited_at: AT },
    ]);
    expect(
      plan(db, "SELECT o.id FROM batches b JOIN orders o ON o.batch_id = b.id WHERE b.imported_at < '2027' AND o.purged_at IS NULL"),
    ).toMatch(/orders_unpurged_by_batch/);
  });

  it('007 batch statuses: a ready batch stays ready, a never-used status goes back to staged, and none can be written again', () => {
    const ready = upgradeTo(7);
    expectKept(ready);
    expect(ready.prepare('SELECT status FROM batches').pluck().get()).toBe('ready');
    const synced = upgradeTo(7, 'synced');
    expect(synced.prepare('SELECT status FROM batches').pluck().get()).toBe('staged');
    for (const status of ['syncing', 'synced', 'archived']) {
      expect(() => synced.prepare('UPDATE batches SET status = ? WHERE id = 1').run(status)).toThrow(/staged or ready/);
      expect(() =>
        synced
          .prepare(`INSERT INTO batches (source_file_name, source_sha256, imported_by, imported_at, status) VALUES ('x', ?, 'sato', ?, ?)`)
          .run(HASH, AT, status),
      ).toThrow(/staged or ready/);
    }
    synced.prepare("UPDATE batches SET status = 'ready' WHERE id = 1").run();
    expect(synced.prepare('SELECT status FROM batches').pluck().get()).toBe('ready');
  });

  it('008 masters: the lists start empty, existing orders are kept, a product is found by its JAN through its index', () => {
    const db = upgradeTo(8);
    expectKept(db);
    for (const table of ['master_products', 'master_customers', 'master_prices', 'master_imports'])
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    db.prepare(
      "INSERT INTO master_products (sku, jan, name, unit_price, match_key) VALUES ('A-1', '4901234567894', '商品', 600, 'A1')",
    ).run();
    expect(db.prepare('SELECT active FROM master_products').pluck().get()).toBe(1);
    expect(plan(db, "SELECT sku FROM master_products WHERE jan = '4901234567894'")).toMatch(/master_products_by_jan/);
    expect(() => db.prepare("INSERT INTO master_imports VALUES ('orders', 'f', 'h', 1, 'sato', 'now')").run()).toThrow(/CHECK/);
  });
});
