/** Import: hostile input and limits, mapping and templates, staff edits and revalidation. */
import { createHash } from 'node:crypto';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { codeOf, importKit } from '../../tests/helpers/import';
import { AppError } from '../shared/errors';
import { editOrderField, revalidateBatch } from './edit';
import {
  SAMPLE_HEADERS,
  type SampleRow,
  sampleLine,
  sampleOrderRows,
  textBytes,
  workbookBytes,
} from '../../scripts/fixtures/sample-sheets';
import { DEFAULT_LIMITS } from './types';

const { store, run, orders, sheet, rowsIn } = importKit();
const H = SAMPLE_HEADERS;
const line = sampleLine;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe('hostile input and limits', () => {
  it('refuses files that are not spreadsheets', () => {
    expect(codeOf(() => run('photo.xlsx', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0])))).toBe('IMPORT_UNSUPPORTED_FILE');
    expect(codeOf(() => run('binary.csv', Buffer.from([0, 1, 2, 3, 0, 0, 0, 4, 5, 6, 0, 0])))).toBe('IMPORT_UNSUPPORTED_FILE');
    expect(codeOf(() => run('program.exe', Buffer.from('MZ....')))).toBe('IMPORT_UNSUPPORTED_FILE');
    expect(codeOf(() => run('broken.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5])))).toBe('IMPORT_UNSUPPORTED_FILE');
    expect(codeOf(() => run('empty.csv', Buffer.alloc(0)))).toBe('IMPORT_EMPTY');
    expect(codeOf(() => run('notes.csv', Buffer.from('hello\nworld\n')))).toBe('IMPORT_NO_HEADER');
    expect(rowsIn('batches')).toBe(0);
  });

  it('refuses a zip bomb from its declared sizes, before inflating it', () => {
    // 64 MB of zeros deflate to ~64 KB: a ratio of ~1000, far beyond any real workbook.
    const bomb = zipSync(
      { '[Content_Types].xml': new Uint8Array(10), 'xl/worksheets/sheet1.xml': new Uint8Array(64 * 1024 * 1024) },
      { level: 9 },
    );
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(codeOf(() => run('bomb.xlsx', bomb))).toBe('IMPORT_TOO_LARGE');
    const huge = { ...DEFAULT_LIMITS, maxUncompressedBytes: 32 * 1024 * 1024, maxCompressionRatio: 1e9 };
    expect(codeOf(() => run('bomb.xlsx', bomb, { limits: huge }))).toBe('IMPORT_TOO_LARGE');
  });

  it('enforces the size and row limits', () => {
    const small = { ...DEFAULT_LIMITS, maxBytes: 1000, maxRows: 10 };
    expect(codeOf(() => run('big.csv', textBytes(sampleOrderRows({ orders: 40 }), 'utf-8'), { limits: small }))).toBe('IMPORT_TOO_LARGE');
    const rowsOnly = { ...DEFAULT_LIMITS, maxRows: 10 };
    expect(codeOf(() => run('long.csv', textBytes(sampleOrderRows({ orders: 40 }), 'utf-8'), { limits: rowsOnly }))).toBe(
      'IMPORT_TOO_MANY_ROWS',
    );
    expect(codeOf(() => run('long.xlsx', workbookBytes(sampleOrderRows({ orders: 40 }), 'xlsx'), { limits: rowsOnly }))).toBe(
      'IMPORT_TOO_MANY_ROWS',
    );
    expect(rowsIn('batches')).toBe(0);
  });

  it('ignores headers like __proto__ and constructor safely', () => {
    const rows: SampleRow[] = [
      [...H, '__proto__', 'constructor', 'prototype'],
      [...line('P-1'), '{"polluted":true}', 'x', 'y'],
    ];
    const result = run('proto.csv', textBytes(rows, 'utf-8'));
    expect(result.orders.valid).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('leaves nothing behind when staging fails midway', () => {
    store.db.exec(
      "CREATE TRIGGER fail_on_third AFTER INSERT ON orders WHEN (SELECT count(*) FROM orders) >= 3 BEGIN SELECT RAISE(ABORT, 'boom'); END",
    );
    expect(() => run('fail.xlsx', workbookBytes(sampleOrderRows({ orders: 5 }), 'xlsx'))).toThrow();
    for (const table of ['batches', 'orders', 'order_lines', 'audit_log']) expect(rowsIn(table), table).toBe(0);
  });
});

describe('mapping', () => {
  const custom = ['受注No', '取引先コード', '会社名', 'Email', 'Item Code', 'Qty', 'Unit Price', 'Payment Token', 'Ship To', '区分'];
  const customRow = ['M-1', 'C1', 'テスト', 'a@example.jp', 'S1', 1, 1000, 'tok', '東京', '通常'];

  it('matches Japanese and English headers exactly, without fuzzy guesses', () => {
    const result = run('m.csv', textBytes([custom, customRow], 'utf-8'));
    expect(result.mapping).toMatchObject({
      order_ref: '受注No',
      customer_id: '取引先コード',
      email: 'Email',
      quantity: 'Qty',
      shipping_address: 'Ship To',
    });
    // 単位 (unit) must not be taken for 単価 (unit price).
    const near = ['注文番号', '顧客ID', '顧客名', 'メール', '品番', '数量', '単位', '決済トークン', '住所'];
    expect(codeOf(() => run('near.csv', textBytes([near, ['X', 'C', 'N', 'a@b.jp', 'S', 1, '個', 't', '東京']], 'utf-8')))).toBe(
      'IMPORT_MAPPING_INCOMPLETE',
    );
  });

  it('lets staff override a mapping, saves it as a template and reuses it for the same header set', () => {
    const headers = ['伝票番号', '顧客ID', '顧客名', 'メール', '品番', '数量', '売価', '決済トークン', '住所'];
    const row = ['T-1', 'C1', 'テスト', 'a@example.jp', 'S1', 2, 700, 'tok', '東京'];
    expect(codeOf(() => run('t.csv', textBytes([headers, row], 'utf-8')))).toBe('IMPORT_MAPPING_INCOMPLETE');
    const first = run('t.csv', textBytes([headers, row], 'utf-8'), { overrides: { unit_price: '売価' }, saveTemplateAs: '取引先A' });
    expect(first.orders.valid).toBe(1);
    const reordered = [headers[6], ...headers.slice(0, 6), ...headers.slice(7)] as string[];
    const second = run(
      't2.csv',
      textBytes([reordered, [row[6], ...row.slice(0, 6), ...row.slice(7)].map((c) => (c === 'T-1' ? 'T-2' : c)) as SampleRow], 'utf-8'),
    );
    expect(second.template).toBe('取引先A');
    expect(orders(second.batchId)[0]).toMatchObject({ order_ref: 'T-2', total_amount: 1400 });
    expect(codeOf(() => run('t3.csv', textBytes([headers, row], 'utf-8'), { template: 'ないテンプレート' }))).toBe('TEMPLATE_NOT_FOUND');
    expect(codeOf(() => run('t4.csv', textBytes([headers, row], 'utf-8'), { overrides: { unit_price: '存在しない列' } }))).toBe(
      'IMPORT_MAPPING_INVALID',
    );
    const audit = store.db.prepare("SELECT action FROM audit_log WHERE action = 'mapping.saved'").all();
    expect(audit).toHaveLength(1);
  });
});

describe('staff edits', () => {
  it('fix an invalid order, revalidate it and record the change without the values', () => {
    const result = run(
      'edit.xlsx',
      workbookBytes(sheet(line('ED-1', { メール: 'wrong' }), line('ED-2', { 品番: 'A' }), line('ED-2', { 品番: 'B' })), 'xlsx'),
    );
    expect(orders(result.batchId).find((o) => o.order_ref === 'ED-1')?.status).toBe('invalid');
    const fixed = editOrderField(store.db, {
      batchId: result.batchId,
      orderRef: 'ED-1',
      field: 'email',
      value: 'ｒｉｇｈｔ@example.jp',
      actor: 'sato',
    });
    expect(fixed.issues).toEqual([]);
    expect(orders(result.batchId).find((o) => o.order_ref === 'ED-1')).toMatchObject({ status: 'valid', email: 'right@example.jp' });

    const lineEdit = editOrderField(store.db, {
      batchId: result.batchId,
      orderRef: 'ED-2',
      field: 'quantity',
      value: '-1',
      row: 6,
      actor: 'sato',
    });
    expect(lineEdit.issues).toEqual([{ row: 6, field: 'quantity', code: 'INVALID_QUANTITY', value: '-1' }]);
    expect(() =>
      editOrderField(store.db, { batchId: result.batchId, orderRef: 'ED-2', field: 'quantity', value: '1', actor: 'sato' }),
    ).toThrow(AppError);

    const edits = store.db.prepare('SELECT field, source_row, edited_by FROM order_edits').all() as Record<string, unknown>[];
    expect(edits).toEqual([
      { field: 'email', source_row: null, edited_by: 'sato' },
      { field: 'quantity', source_row: 6, edited_by: 'sato' },
    ]);
    const audit = JSON.stringify(store.db.prepare("SELECT * FROM audit_log WHERE action = 'order.edited'").all());
    expect(audit).toContain('ED-1');
    expect(audit).not.toContain('example.jp');
    // A dictionary of every value imported or typed, hashed as an attacker would, matches nothing in the log or the edit log.
    const log =
      JSON.stringify(store.db.prepare('SELECT * FROM audit_log').all()) +
      JSON.stringify(store.db.prepare('SELECT * FROM order_edits').all());
    const imported = (
      store.db.prepare('SELECT customer_id, customer_name, email, card_token, shipping_address FROM orders').all() as Record<
        string,
        string
      >[]
    ).flatMap(Object.values);
    const dictionary = [...imported, 'wrong', 'right@example.jp', 'ｒｉｇｈｔ@example.jp', '-1', 'A', 'B', ''];
    for (const value of dictionary) {
      for (const digest of [sha256(value), sha256(value).slice(0, 16)]) expect(log, value).not.toContain(digest);
    }
    expect(
      JSON.parse((store.db.prepare("SELECT details FROM audit_log WHERE action = 'order.edited'").get() as { details: string }).details),
    ).toEqual({
      field: 'email',
      row: null,
      changed: true,
      valid: true,
    });
    expect(
      codeOf(() => editOrderField(store.db, { batchId: result.batchId, orderRef: 'NOPE', field: 'email', value: 'x', actor: 'sato' })),
    ).toBe('ORDER_NOT_FOUND');
    expect(
      codeOf(() => editOrderField(store.db, { batchId: result.batchId, orderRef: 'ED-1', field: 'order_ref', value: 'x', actor: 'sato' })),
    ).toBe('INVALID_INPUT');
  });

  it('keeps order fields that only a later line carries when another field is edited', () => {
    // Continuation lines often carry what the first left blank: the order's email is on its second line only.
    const result = run(
      'later.csv',
      textBytes(
        sheet(
          line('LT-1', { メール: null, 希望納品日: null }),
          line('LT-1', { 得意先名: null, メール: 'later@example.jp', 品番: 'SKU-2', 希望納品日: '2026/12/24' }),
        ),
        'utf-8',
      ),
    );
    expect(orders(result.batchId)[0]).toMatchObject({ status: 'valid', email: 'later@example.jp' });
    const edited = editOrderField(store.db, {
      batchId: result.batchId,
      orderRef: 'LT-1',
      field: 'quantity',
      value: '3',
      row: 4,
      actor: 'sato',
    });
    expect(edited.issues).toEqual([]);
    expect(edited.order).toMatchObject({ email: 'later@example.jp', customer_name: '株式会社テスト', delivery_date: '2026-12-24' });
    expect(orders(result.batchId)[0]).toMatchObject({ status: 'valid', email: 'later@example.jp', total_amount: 3 * 1500 + 2 * 1500 });
    // Revalidating again from what was stored changes nothing.
    expect(revalidateBatch(store.db, result.batchId, 'sato')).toEqual({ total: 1, valid: 1, invalid: 0 });
    expect(orders(result.batchId)[0]).toMatchObject({ email: 'later@example.jp', customer_name: '株式会社テスト' });
  });

  it('stores an order field once, on the order, not again on each line', () => {
    const result = run('once.csv', textBytes(sheet(line('ON-1'), line('ON-1', { 品番: 'SKU-2', 得意先名: '別の会社' })), 'utf-8'));
    const stored = store.db
      .prepare('SELECT l.fields FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.batch_id = ? ORDER BY l.line_no')
      .all(result.batchId) as { fields: string }[];
    const [first, second] = stored.map((s) => JSON.parse(s.fields) as (string | null)[]);
    expect(first).not.toContain('buyer@example.co.jp');
    expect(first).toContain('SKU-1');
    // A conflicting value stays on its line, to show staff.
    expect(second).toContain('別の会社');
    expect(orders(result.batchId)[0]?.errors).toEqual(['CONFLICTING_LINES']);
  });

  it('revalidates a whole batch', () => {
    const a = run('a.csv', textBytes(sheet(line('RV-1')), 'utf-8'));
    expect(revalidateBatch(store.db, a.batchId, 'sato')).toEqual({ total: 1, valid: 1, invalid: 0 });
    expect(codeOf(() => revalidateBatch(store.db, 999, 'sato'))).toBe('BATCH_NOT_FOUND');
  });
});
