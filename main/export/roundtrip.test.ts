import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { readSpreadsheet } from '../import/reader';
import { reimportIntoBatch } from '../import/reimport';
import { SAMPLE_HEADERS, type SampleRow, sampleLine, textBytes } from '../../scripts/fixtures/sample-sheets';
import { importFile } from '../import/stage';
import { AppError } from '../shared/errors';
import { createI18n } from '../shared/i18n';
import { openStore, type Store } from '../store/database';
import { generateKey } from '../store/key';
import { errorTable, renderBatchExport, renderTable } from './export';
import { toCp932Forms } from './shiftjis';

const tempDir = tempDirsPerTest();
let store: Store;
beforeEach(() => {
  store = openStore({ path: join(tempDir(), 'store.db'), key: generateKey() });
});
afterEach(() => store.close());
const ja = createI18n('ja').t;

const HEADERS = [...SAMPLE_HEADERS, '電話番号'];
/** An order line with an invalid email, so the order is in the error file; a phone number in an unmapped column. */
const row = (ref: string, overrides: Record<string, string | number | null>, phone: string): SampleRow => [
  ...sampleLine(ref, { メール: 'broken', ...overrides }),
  phone,
];

/** Codes with leading zeros, JAN codes, phone numbers, formula-looking text and genuine leading apostrophes. */
const CODES_SHEET: SampleRow[] = [
  HEADERS,
  row('000123', { 得意先コード: '00123', 品番: '0456', 備考: '=SUM(A1)' }, '0312345678'),
  row('000124', { 得意先コード: '00999', 品番: '4901234567894', 備考: '-5 off' }, '09012345678'),
  row('000124', { 得意先コード: '00999', 品番: '4512345678906' }, '09012345678'),
  row('A-0001', { 得意先コード: '0001', 品番: '@home', 得意先名: "'=本物の引用符", 備考: "'quoted" }, '0000'),
  row('-0005', { 得意先コード: '+81', 品番: '0000000000017', 数量: '二' }, '+81-3-1234-5678'),
];

function stage(rows: SampleRow[], fileName = 'codes.csv'): number {
  return importFile(store.db, { fileName, bytes: textBytes(rows, 'utf-8'), actor: 'tester' }).batchId;
}

/** Everything staged for a batch's orders and lines, without ids and times. */
function snapshot(batchId: number): unknown {
  return {
    orders: store.db
      .prepare(
        `SELECT order_ref, customer_id, customer_name, email, card_token, shipping_address, delivery_date, notes, total_amount,
           validation_status, errors FROM orders WHERE batch_id = ? ORDER BY order_ref`,
      )
      .all(batchId),
    lines: store.db
      .prepare(
        `SELECT o.order_ref, l.line_no, l.source_row, l.sku, l.quantity, l.unit_price, l.fields, l.raw_cells
         FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.batch_id = ? ORDER BY o.order_ref, l.line_no`,
      )
      .all(batchId),
  };
}

const FORMATS = [
  { format: 'csv', encoding: 'utf-8', file: 'errors.csv' },
  { format: 'csv', encoding: 'shift_jis', file: 'errors-sjis.csv' },
  { format: 'xlsx', encoding: 'utf-8', file: 'errors.xlsx' },
] as const;

describe('export -> re-import round trip', () => {
  it('keeps every code, phone number and formula-looking text byte for byte in all three formats', () => {
    const batchId = stage(CODES_SHEET);
    const staged = snapshot(batchId);
    const customers = store.db.prepare('SELECT customer_id FROM orders WHERE batch_id = ? ORDER BY id').pluck().all(batchId);
    expect(customers).toEqual(['00123', '00999', '0001', '+81']);
    for (const { format, encoding, file } of FORMATS) {
      const exported = renderBatchExport(store.db, { batchId, kind: 'errors', format, encoding, t: ja });
      expect(exported.rows, file).toBe(5);
      const result = reimportIntoBatch(store.db, { batchId, fileName: file, bytes: exported.bytes, actor: 'sato' });
      expect(result, file).toMatchObject({ updated: 4, notInBatch: [], locked: [] });
      expect(snapshot(batchId), file).toEqual(staged);
    }
    const notes = store.db.prepare('SELECT notes FROM orders WHERE batch_id = ? ORDER BY id').pluck().all(batchId);
    expect(notes).toEqual(['=SUM(A1)', '-5 off', "'quoted", null]);
    const skus = store.db.prepare('SELECT sku FROM order_lines ORDER BY id').pluck().all();
    expect(skus).toEqual(['0456', '4901234567894', '4512345678906', '@home', '0000000000017']);
  });

  it('writes codes as text cells in xlsx (Text format) and only true numbers as numbers', () => {
    const batchId = stage(CODES_SHEET);
    const book = XLSX.read(renderTable(errorTable(store.db, batchId, ja), 'xlsx'), { type: 'buffer', cellNF: true });
    const ws = book.Sheets[book.SheetNames[0] as string] as XLSX.WorkSheet;
    // Columns: A order number, B customer code, E SKU, F quantity, G unit price, L phone, O source row.
    expect(ws.A2).toMatchObject({ t: 's', v: '000123', z: '@' });
    expect(ws.B2).toMatchObject({ t: 's', v: '00123', z: '@' });
    expect(ws.E2).toMatchObject({ t: 's', v: '0456' });
    expect(ws.E3).toMatchObject({ t: 's', v: '4901234567894' });
    expect(ws.L2).toMatchObject({ t: 's', v: '0312345678' });
    expect(ws.F2).toMatchObject({ t: 'n', v: 2 });
    expect(ws.G2).toMatchObject({ t: 'n', v: 1500 });
    expect(ws.O2).toMatchObject({ t: 'n', v: 2 });
    // An invalid quantity as written: a word stays text.
    expect(ws.F6).toMatchObject({ t: 's', v: '二' });
    // Formula-looking text is neutralised with one quote; a genuine leading quote before = gets one more.
    expect(ws.K2?.v).toBe("'=SUM(A1)");
    expect(ws.A6?.v).toBe("'-0005");
    expect(ws.C5?.v).toBe("''=本物の引用符");
    expect(ws.K5?.v).toBe("'quoted");
  });

  it('quotes text and leaves numbers bare in CSV, so the reader and quote-aware tools keep codes as text', () => {
    const batchId = stage(CODES_SHEET);
    const text = renderTable(errorTable(store.db, batchId, ja), 'csv')
      .subarray(3)
      .toString('utf8');
    const first = text.split('\r\n')[1] ?? '';
    expect(first.startsWith('"000123","00123","株式会社テスト","broken","0456",2,1500,')).toBe(true);
    expect(first).toContain(`"'=SUM(A1)","0312345678","INVALID_EMAIL"`);
    expect(first.endsWith(',2')).toBe(true);
  });

  it('exports the success report with order numbers as text in every format', () => {
    const batchId = stage(CODES_SHEET);
    const orderId = store.db.prepare("SELECT id FROM orders WHERE order_ref = '000123'").pluck().get();
    store.db
      .prepare(
        `INSERT INTO sync_state (order_id, state, idempotency_key, backend_order_id, payment_id, transaction_id, updated_at)
         VALUES (?, 'done', 'k', '0012', 'pay-1', '00000000-0000-4000-8000-000000000001', '2026-11-30T00:00:00.000Z')`,
      )
      .run(orderId);
    for (const { format, encoding, file } of FORMATS) {
      const exported = renderBatchExport(store.db, { batchId, kind: 'success', format, encoding, t: ja });
      const rows = readSpreadsheet(file, exported.bytes).sheets[0]?.rows ?? [];
      const cells = (rows[1] ?? []).map((cell) => (typeof cell === 'object' && cell !== null && 't' in cell ? cell.v : cell));
      expect(cells.slice(0, 5), file).toEqual([
        '000123',
        '0012',
        'pay-1',
        '00000000-0000-4000-8000-000000000001',
        format === 'xlsx' ? 3000 : '3000',
      ]);
    }
  });
});

describe('Shift_JIS export', () => {
  it('maps every character that has a CP932 form to it, with the code Excel in Japan uses', () => {
    const table = { header: ['備考'], rows: [['−〜‖—¢£¬¦¥‾']] };
    const bytes = renderTable(table, 'csv', 'shift_jis');
    expect(new TextDecoder('shift_jis').decode(bytes)).toBe('"備考"\r\n"－～∥―￠￡￢￤￥￣"\r\n');
    expect(bytes.subarray(9, 29).toString('hex')).toBe('817c81608161815c8191819281cafa55818f8150');
  });

  it('writes the CP932 form in a staged batch, never a question mark, and re-imports it as typed in CP932', () => {
    const name = '株式会社−〜‖—¢£¬¥';
    const batchId = stage([HEADERS, row('000201', { 得意先名: name, 備考: '10〜12時、−5%', 納品先住所: '東京都港区1−2−3' }, '0312345678')]);
    const bytes = renderBatchExport(store.db, { batchId, kind: 'errors', format: 'csv', encoding: 'shift_jis', t: ja }).bytes;
    expect(bytes.includes(0x3f)).toBe(false);
    const text = new TextDecoder('shift_jis').decode(bytes);
    expect(text).toContain('"10～12時、－5%"');
    expect(text).toContain('"東京都港区1－2－3"');

    // Re-imported, the text reads as if staff had typed the CP932 forms; the codes stay exact.
    reimportIntoBatch(store.db, { batchId, fileName: 'errors.csv', bytes, actor: 'sato' });
    const typed = stage(
      [HEADERS, row('000201', { 得意先名: toCp932Forms(name), 備考: '10～12時、－5%', 納品先住所: '東京都港区1－2－3' }, '0')],
      'typed.csv',
    );
    const fields = 'SELECT order_ref, customer_id, customer_name, notes, shipping_address FROM orders WHERE batch_id = ?';
    expect(store.db.prepare(fields).get(batchId)).toEqual(store.db.prepare(fields).get(typed));
    const line = 'SELECT sku, raw_cells FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.batch_id = ?';
    expect(store.db.prepare(line).get(batchId)).toEqual({ sku: 'SKU-1', raw_cells: JSON.stringify({ 11: '0312345678' }) });
  });

  it('refuses characters CP932 cannot hold with EXPORT_UNREPRESENTABLE naming the source rows, never the values', () => {
    const batchId = stage([
      HEADERS,
      row('000301', {}, '0312345678'),
      row('000302', { 得意先名: '𠮷野家' }, '0312345678'),
      row('000303', {}, '0312345678'),
      row('000304', { 備考: '至急😀' }, '0312345678'),
    ]);
    let thrown: unknown;
    try {
      renderBatchExport(store.db, { batchId, kind: 'errors', format: 'csv', encoding: 'shift_jis', t: ja });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).toInfo()).toEqual({ code: 'EXPORT_UNREPRESENTABLE', params: { rows: '3, 5', total: '2' } });
    expect(ja('errors.EXPORT_UNREPRESENTABLE', (thrown as AppError).params)).toBe(
      'Shift_JISで表せない文字があるため、書き出しませんでした（元の行番号：3, 5、計2行）。その文字を直すか、UTF-8（BOM付き）で書き出してください。',
    );
    // UTF-8 with BOM and xlsx hold every character, and bring it back exactly.
    for (const { format, encoding, file } of FORMATS.filter((f) => f.encoding === 'utf-8')) {
      const before = snapshot(batchId);
      const bytes = renderBatchExport(store.db, { batchId, kind: 'errors', format, encoding, t: ja }).bytes;
      reimportIntoBatch(store.db, { batchId, fileName: file, bytes, actor: 'sato' });
      expect(snapshot(batchId), file).toEqual(before);
    }
    const names = store.db.prepare('SELECT customer_name, notes FROM orders WHERE batch_id = ? ORDER BY id').all(batchId);
    expect(names[1]).toMatchObject({ customer_name: '𠮷野家' });
    expect(names[3]).toMatchObject({ notes: '至急😀' });
  });

  it('names the header row when a header cannot be encoded, and lists at most 20 rows', () => {
    const rows: SampleRow[] = [['発注一覧'], [...SAMPLE_HEADERS, '𠮷']];
    for (let i = 0; i < 25; i += 1) rows.push([...sampleLine(`R-${i}`, { メール: 'broken' }), `😀${i}`]);
    const batchId = stage(rows);
    expect(() => renderTable(errorTable(store.db, batchId, ja), 'csv', 'shift_jis')).toThrow(
      expect.objectContaining({
        code: 'EXPORT_UNREPRESENTABLE',
        params: { rows: '2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, …', total: '26' },
      }),
    );
  });
});
