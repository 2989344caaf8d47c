import { describe, expect, it } from 'vitest';
import { importKit } from '../../tests/helpers/import';
import { sampleLine, textBytes, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import type { SampleRow } from '../../scripts/fixtures/sample-sheets';
import { CUSTOMER_HEADERS, PRICE_HEADERS, PRODUCT_HEADERS } from '../../scripts/fixtures/sample-masters';
import { writeSetting } from '../store/settings';
import { revalidateBatch } from '../import/edit';
import { importMasterList, clearMasterList } from './replace';
import type { MasterList } from '../store/masters';

const { store, run, orders, sheet } = importKit();

const PRODUCTS: SampleRow[] = [
  ['商品マスタ'],
  PRODUCT_HEADERS,
  ['SKU-0012', '4901234567894', 'ボールペン 黒', 1500, null, null, null],
  ['000123', null, 'ノート', '￥８００', null, null, null],
  ['A-100', '4909876543210', '付箋', 300, null, null, null],
  ['OLD-1', null, '旧型ホッチキス', 1000, '廃番', null, null],
  ['SEASON-1', null, '年末限定セット', 2000, null, '2026-10-01', '2026-11-30'],
];
const CUSTOMERS: SampleRow[] = [
  CUSTOMER_HEADERS,
  ['C001', '株式会社テスト', 'buyer@example.co.jp', '東京都千代田区1-1', '有効'],
  ['C002', '株式会社休止中', null, null, '無効'],
];

function master(list: MasterList, rows: SampleRow[], fileName = `${list}.csv`) {
  return importMasterList(store.db, {
    list,
    fileName,
    bytes: textBytes(rows, 'utf-8'),
    actor: 'tester',
    now: new Date('2026-11-20T00:00:00Z'),
  });
}

const codes = (batchId: number) =>
  orders(batchId).flatMap((o) =>
    o.error_details.map((e) => ({
      order: o.order_ref,
      code: e.code,
      field: e.field,
      value: e.value,
      master: e.master,
      suggestions: e.suggestions,
      severity: e.severity,
    })),
  );

const NOW = new Date('2026-11-20T00:00:00Z');

describe('master lists', () => {
  it('read with the order dictionary style, codes exact and NFKC, names width-folded; counted, replaced, audited without personal data', () => {
    const first = master('products', PRODUCTS);
    expect(first).toMatchObject({ list: 'products', rows: 5, added: 5, changed: 0, removed: 0, errors: [] });
    const stored = store.db
      .prepare('SELECT sku, jan, name, unit_price, active, valid_from, valid_to FROM master_products ORDER BY sku')
      .all();
    expect(stored).toContainEqual({
      sku: '000123',
      jan: null,
      name: 'ノート',
      unit_price: 800,
      active: 1,
      valid_from: null,
      valid_to: null,
    });
    expect(stored).toContainEqual(expect.objectContaining({ sku: 'OLD-1', active: 0 }));
    const next = master('products', [
      PRODUCT_HEADERS,
      ['ＳＫＵ－００１２', '4901234567894', 'ﾎﾞｰﾙﾍﾟﾝ 黒', 1600, null, null, null],
      ['A-100', '4909876543210', '付箋', 300, null, null, null],
      ['NEW-1', null, '新商品', 100, null, null, null],
      ['NEW-1', null, '重複', 100, null, null, null],
      ['BAD-1', null, '値段不明', 'お問い合わせ', null, null, null],
    ]);
    expect(next).toMatchObject({ rows: 3, added: 1, changed: 1, removed: 3 });
    expect(next.errors.map((e) => [e.row, e.code])).toEqual([
      [5, 'DUPLICATE_KEY'],
      [6, 'INVALID_PRICE'],
    ]);
    expect(store.db.prepare("SELECT name FROM master_products WHERE sku = 'SKU-0012'").pluck().get()).toBe('ボールペン 黒');
    const audit = store.db.prepare("SELECT details FROM audit_log WHERE action = 'master.imported' ORDER BY seq").pluck().all() as string[];
    expect(audit).toHaveLength(2);
    expect(JSON.parse(audit[1] ?? '{}')).toMatchObject({ list: 'products', rows: 3, added: 1, changed: 1, removed: 3 });
    expect(JSON.parse(audit[1] ?? '{}').file_sha256).toMatch(/^[0-9a-f]{64}$/);
    master('customers', CUSTOMERS);
    const customerAudit = store.db
      .prepare("SELECT details FROM audit_log WHERE action = 'master.imported' ORDER BY seq DESC")
      .pluck()
      .get();
    expect(customerAudit).not.toMatch(/株式会社|example|千代田|C001/);
  });

  it('reads an xlsx with number cells: codes keep their digits, prices are exact integers', () => {
    const bytes = workbookBytes([PRODUCT_HEADERS, [4901234567894, null, '数字の品番', 1200, null, null, null]], 'xlsx', '商品');
    const result = importMasterList(store.db, { list: 'products', fileName: 'p.xlsx', bytes, actor: 'tester' });
    expect(result.rows).toBe(1);
    expect(store.db.prepare('SELECT sku, unit_price FROM master_products').get()).toEqual({ sku: '4901234567894', unit_price: 1200 });
  });
});

describe('master checks', () => {
  it('no master list loaded: an import is exactly as before (same errors, same counts)', () => {
    const rows = sheet(sampleLine('N-1', { 品番: 'ANY' }), sampleLine('N-2', { 得意先コード: 'X', 単価: 1 }));
    const before = run('n.csv', textBytes(rows, 'utf-8'), { now: NOW });
    master('products', PRODUCTS);
    clearMasterList(store.db, { list: 'products', actor: 'tester' });
    const after = run(
      'n2.csv',
      textBytes(
        rows.map((r, i) => (i > 2 ? [`Z${r[0]}`, ...r.slice(1)] : r)),
        'utf-8',
      ),
      { now: NOW },
    );
    expect(after.orders).toEqual(before.orders);
    expect(after.errors.map(({ order_ref: _o, ...e }) => e)).toEqual(before.errors.map(({ order_ref: _o, ...e }) => e));
    expect(before.errors.every((e) => !e.code.includes('SKU') && e.master === undefined)).toBe(true);
  });

  it('each master mistake: unknown SKU with near codes, inactive and out-of-period SKU, prices, customers, the name as a warning', () => {
    master('products', PRODUCTS);
    master('customers', CUSTOMERS);
    master('prices', [PRICE_HEADERS, ['C001', 'A-100', 280]]);
    const result = run(
      'o.csv',
      textBytes(
        sheet(
          sampleLine('OK-1', { 品番: 'ＳＫＵ－００１２', 単価: 1500 }),
          sampleLine('OK-2', { 品番: 'A-100', 単価: 280, 数量: 5 }),
          sampleLine('Z-1', { 品番: '123', 単価: 800 }),
          sampleLine('Z-2', { 品番: 'SKU12', 単価: 1500 }),
          sampleLine('J-1', { 品番: '4909876543210', 単価: 280, 数量: 5 }),
          sampleLine('U-1', { 品番: 'NOPE-1' }),
          sampleLine('I-1', { 品番: 'OLD-1', 単価: 1000 }),
          sampleLine('P-1', { 品番: 'SEASON-1', 単価: 2000, 希望納品日: '2026/12/05' }),
          sampleLine('P-2', { 品番: 'SEASON-1', 単価: 2000, 希望納品日: '2026/11/25' }),
          sampleLine('M-1', { 品番: 'SKU-0012', 単価: 1400 }),
          sampleLine('M-2', { 品番: 'A-100', 単価: 300, 数量: 5 }),
          sampleLine('C-1', { 得意先コード: 'C999', 品番: 'SKU-0012', 単価: 1500 }),
          sampleLine('C-2', { 得意先コード: 'C002', 得意先名: '株式会社休止中', 品番: 'SKU-0012', 単価: 1500 }),
          sampleLine('W-1', { 得意先名: '(株)テスト', 品番: 'SKU-0012', 単価: 1500 }),
          sampleLine('W-2', { 得意先名: '株式会社　テスト', 品番: 'SKU-0012', 単価: 1500 }),
        ),
        'utf-8',
      ),
      { now: NOW },
    );
    const found = codes(result.batchId);
    const of = (order: string) => found.filter((f) => f.order === order);
    for (const ok of ['OK-1', 'OK-2', 'P-2', 'W-2']) expect(of(ok)).toEqual([]);
    expect(of('Z-1')).toEqual([expect.objectContaining({ code: 'UNKNOWN_SKU', field: 'sku', value: '123', suggestions: ['000123'] })]);
    expect(of('Z-2')).toEqual([expect.objectContaining({ code: 'UNKNOWN_SKU', suggestions: ['SKU-0012'] })]);
    expect(of('J-1')).toEqual([expect.objectContaining({ code: 'UNKNOWN_SKU', suggestions: ['A-100'] })]);
    expect(of('U-1')).toEqual([expect.objectContaining({ code: 'UNKNOWN_SKU', suggestions: [] })]);
    expect(of('I-1')).toEqual([expect.objectContaining({ code: 'INACTIVE_SKU', master: 'inactive' })]);
    expect(of('P-1')).toEqual([expect.objectContaining({ code: 'INACTIVE_SKU', master: '2026-10-01〜2026-11-30' })]);
    expect(of('M-1')).toEqual([expect.objectContaining({ code: 'PRICE_MISMATCH', field: 'unit_price', value: '1400', master: '1500' })]);
    // The customer's own price comes before the standard price.
    expect(of('M-2')).toEqual([expect.objectContaining({ code: 'PRICE_MISMATCH', value: '300', master: '280' })]);
    expect(of('C-1')).toEqual([expect.objectContaining({ code: 'UNKNOWN_CUSTOMER', field: 'customer_id', value: 'C999' })]);
    expect(of('C-2')).toEqual([expect.objectContaining({ code: 'INACTIVE_CUSTOMER', value: 'C002' })]);
    expect(of('W-1')).toEqual([
      expect.objectContaining({ code: 'CUSTOMER_NAME_MISMATCH', value: '(株)テスト', master: '株式会社テスト', severity: 'warning' }),
    ]);
    const status = Object.fromEntries(orders(result.batchId).map((o) => [o.order_ref, o.status]));
    // A warning does not block: the order is valid and syncs.
    expect(status['W-1']).toBe('valid');
    expect(status['M-1']).toBe('invalid');
    expect(result.orders).toEqual({ total: 15, valid: 5, invalid: 10 });
  });

  it('a price tolerance lets small differences pass', () => {
    master('products', PRODUCTS);
    writeSetting(store.db, 'masterPriceTolerance', 100);
    const result = run(
      't.csv',
      textBytes(sheet(sampleLine('T-1', { 品番: 'SKU-0012', 単価: 1550 }), sampleLine('T-2', { 品番: 'SKU-0012', 単価: 1650 })), 'utf-8'),
    );
    expect(codes(result.batchId).map((c) => [c.order, c.code])).toEqual([['T-2', 'PRICE_MISMATCH']]);
  });

  it('replacing a master list revalidates staged orders and says how many changed', () => {
    master('products', PRODUCTS);
    const result = run(
      'r.csv',
      textBytes(sheet(sampleLine('R-1', { 品番: 'NEW-9' }), sampleLine('R-2', { 品番: 'A-100', 単価: 300 })), 'utf-8'),
    );
    expect(result.orders).toMatchObject({ valid: 1, invalid: 1 });
    const other = run('u.csv', textBytes(sheet(sampleLine('U-1', { 品番: 'SKU-0012', 単価: 1500 })), 'utf-8'));
    const replaced = master('products', [
      ...PRODUCTS.slice(1).filter((r) => r[0] !== 'A-100'),
      ['NEW-9', null, '新', 1500, null, null, null],
    ]);
    // Only the orders naming a changed product are revalidated (U-1's SKU-0012 did not change).
    expect(replaced.revalidation).toEqual({ batches: 1, orders: 2, becameInvalid: 1, becameValid: 1 });
    expect(codes(other.batchId)).toEqual([]);
    expect(codes(result.batchId).map((c) => [c.order, c.code, c.suggestions])).toEqual([['R-2', 'UNKNOWN_SKU', []]]);
    // Cleared: no product check at all any more.
    const cleared = clearMasterList(store.db, { list: 'products', actor: 'tester' });
    expect(cleared.revalidation).toMatchObject({ becameValid: 1, becameInvalid: 0 });
    expect(revalidateBatch(store.db, result.batchId, 'tester')).toEqual({ total: 2, valid: 2, invalid: 0 });
  });
});
