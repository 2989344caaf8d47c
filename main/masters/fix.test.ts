import { describe, expect, it } from 'vitest';
import { importKit } from '../../tests/helpers/import';
import { sampleLine, textBytes } from '../../scripts/fixtures/sample-sheets';
import type { SampleRow } from '../../scripts/fixtures/sample-sheets';
import { PRODUCT_HEADERS } from '../../scripts/fixtures/sample-masters';
import { errorTable } from '../export/export';
import { reimportIntoBatch } from '../import/reimport';
import { renderTable } from '../export/export';
import { AppError } from '../shared/errors';
import { createI18n } from '../shared/i18n';
import { issueText } from '../shared/issue-text';
import { queryLines } from '../review/lines';
import { importMasterList } from './replace';
import { applySuggestion } from './suggestions';

const { store, run, orders, sheet } = importKit();
const ja = createI18n('ja').t;

const PRODUCTS: SampleRow[] = [
  PRODUCT_HEADERS,
  ['SKU-0012', null, 'ボールペン', 1500, null, null, null],
  ['SKU-012', null, 'ボールペン（旧）', 1500, null, null, null],
];

function setUp() {
  importMasterList(store.db, { list: 'products', fileName: 'p.csv', bytes: textBytes(PRODUCTS, 'utf-8'), actor: 'tester' });
  return run(
    'o.csv',
    textBytes(sheet(sampleLine('F-1', { 品番: 'SKU12', 単価: 1500 }), sampleLine('F-2', { 品番: 'SKU-0012', 単価: 1450 })), 'utf-8'),
  );
}

const errorsOf = (batchId: number, ref: string) => orders(batchId).find((o) => o.order_ref === ref)?.error_details ?? [];

describe('fix in place', () => {
  it('an unknown SKU takes one of its suggestions, a wrong price the master price: one audited edit each, the order valid again', () => {
    const { batchId } = setUp();
    expect(errorsOf(batchId, 'F-1')).toEqual([expect.objectContaining({ code: 'UNKNOWN_SKU', suggestions: ['SKU-012', 'SKU-0012'] })]);
    const sku = applySuggestion(store.db, { batchId, orderRef: 'F-1', row: 4, code: 'UNKNOWN_SKU', value: 'SKU-0012', actor: 'tester' });
    expect(sku.issues).toEqual([]);
    expect(orders(batchId).find((o) => o.order_ref === 'F-1')).toMatchObject({ status: 'valid', items: [{ sku: 'SKU-0012' }] });
    const price = applySuggestion(store.db, { batchId, orderRef: 'F-2', row: 5, code: 'PRICE_MISMATCH', actor: 'tester' });
    expect(price.issues).toEqual([]);
    expect(orders(batchId).find((o) => o.order_ref === 'F-2')).toMatchObject({ status: 'valid', items: [{ unit_price: 1500 }] });
    const audit = store.db.prepare("SELECT order_ref, details FROM audit_log WHERE action = 'order.edited' ORDER BY seq").all() as {
      order_ref: string;
      details: string;
    }[];
    expect(audit.map((a) => [a.order_ref, JSON.parse(a.details)])).toEqual([
      ['F-1', { field: 'sku', row: 4, changed: true, valid: true, applied: 'UNKNOWN_SKU' }],
      ['F-2', { field: 'unit_price', row: 5, changed: true, valid: true, applied: 'PRICE_MISMATCH' }],
    ]);
  });

  it('only what the issue offers can be applied', () => {
    const { batchId } = setUp();
    const refused = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error instanceof AppError ? error.code : String(error);
      }
      return 'nothing thrown';
    };
    expect(
      refused(() => applySuggestion(store.db, { batchId, orderRef: 'F-1', row: 4, code: 'UNKNOWN_SKU', value: 'OTHER', actor: 't' })),
    ).toBe('SUGGESTION_NOT_APPLICABLE');
    expect(refused(() => applySuggestion(store.db, { batchId, orderRef: 'F-1', row: 4, code: 'PRICE_MISMATCH', actor: 't' }))).toBe(
      'SUGGESTION_NOT_APPLICABLE',
    );
    expect(refused(() => applySuggestion(store.db, { batchId, orderRef: 'NONE', row: 4, code: 'PRICE_MISMATCH', actor: 't' }))).toBe(
      'ORDER_NOT_FOUND',
    );
    expect(errorsOf(batchId, 'F-1')).toHaveLength(1);
  });

  it('the error export carries the master value and the suggestions beside the file, and re-imports without them', () => {
    const { batchId } = setUp();
    const table = errorTable(store.db, batchId, ja);
    expect(table.header.slice(-5)).toEqual(['エラーコード', 'エラー内容', '元の行番号', 'マスタの値', '候補']);
    expect(table.rows.map((row) => row.slice(-5))).toEqual([
      ['UNKNOWN_SKU', '品番「SKU12」は商品マスタにありません。候補：SKU-012、SKU-0012', 4, '', 'SKU-012; SKU-0012'],
      ['PRICE_MISMATCH', '単価「1450」がマスタの単価1,500円と一致しません。', 5, '1500', ''],
    ]);
    const bytes = renderTable(table, 'csv');
    const fixed = reimportIntoBatch(store.db, { batchId, fileName: 'errors.csv', bytes, actor: 'tester' });
    expect(fixed).toMatchObject({ updated: 2, invalid: 2 });
    expect(orders(batchId).find((o) => o.order_ref === 'F-1')?.items).toHaveLength(1);
  });

  it("the review grid's lines carry the master value and the suggestions, and issueText words them", () => {
    const { batchId } = setUp();
    const page = queryLines(store.db, { batchId, sort: { column: 'row', direction: 'asc' }, offset: 0, limit: 10 });
    const [first, second] = page.rows.map((row) => row.issues[0]);
    expect(first).toEqual({ field: 'sku', code: 'UNKNOWN_SKU', value: 'SKU12', suggestions: ['SKU-012', 'SKU-0012'] });
    expect(second).toEqual({ field: 'unit_price', code: 'PRICE_MISMATCH', value: '1450', master: '1500' });
    const en = createI18n('en').t;
    expect(second && issueText(en, { ...second, code: 'PRICE_MISMATCH' })).toBe('Unit price "1450" is not the master price of 1,500 yen.');
    expect(issueText(en, { field: 'customer_name', code: 'CUSTOMER_NAME_MISMATCH', value: 'A', master: 'B', severity: 'warning' })).toBe(
      '(Warning) Customer name "A" differs from the customer master\'s name "B".',
    );
  });
});
