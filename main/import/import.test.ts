import * as XLSX from '@e965/xlsx';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { codeOf, importKit } from '../../tests/helpers/import';
import { AppError } from '../shared/errors';
import { editOrderField } from './edit';
import {
  SAMPLE_HEADERS,
  type SampleRow,
  sampleLine,
  sampleOrderRows,
  textBytes,
  workbookBytes,
} from '../../scripts/fixtures/sample-sheets';

const { store, run, orders, sheet, rowsIn } = importKit();
const H = SAMPLE_HEADERS;
const line = sampleLine;

describe('formats', () => {
  const rows = sampleOrderRows({ orders: 12, prefix: 'F' });
  it.each([
    ['orders.xlsx', () => workbookBytes(rows, 'xlsx')],
    ['orders.xlsm', () => workbookBytes(rows, 'xlsm')],
    ['orders.xls', () => workbookBytes(rows, 'xls')],
    ['orders.csv', () => textBytes(rows, 'utf-8')],
    ['orders.tsv', () => textBytes(rows, 'utf-8', '\t')],
    ['orders.txt', () => textBytes(rows, 'shift_jis', '\t')],
  ])('imports %s with the same orders', (fileName, bytes) => {
    const result = run(fileName, bytes());
    expect(result.orders).toEqual({ total: 12, valid: 12, invalid: 0 });
    expect(result.lines).toBe(24);
    expect(result.headerRow).toBe(3);
    const first = orders(result.batchId)[0];
    expect(first).toMatchObject({ order_ref: 'F-000001', customer_name: COMPANY(1), items: [{ row: 4 }] });
    expect(first?.total_amount).toBe((first?.items ?? []).reduce((n, i) => n + (i.quantity ?? 0) * (i.unit_price ?? 0), 0));
  });

  it('picks the first sheet that holds order data, or the one named', () => {
    const bytes = workbookBytes(sampleOrderRows({ orders: 3, prefix: 'S' }), 'xlsx', '受注', {
      表紙: [['ご担当者様'], ['よろしくお願いします']],
    });
    expect(run('book.xlsx', bytes).sheet).toBe('受注');
    expect(codeOf(() => run('book.xlsx', bytes, { sheet: 'なし' }))).toBe('IMPORT_SHEET_NOT_FOUND');
    expect(codeOf(() => run('book2.xlsx', bytes, { sheet: '表紙' }))).toBe('IMPORT_NO_HEADER');
  });
});

const COMPANY = (i: number) =>
  ['株式会社さくら商事', '有限会社みなと物産', 'ひかり工業株式会社', '株式会社ふじ電機', 'あおば食品株式会社'][i % 5];

describe('encodings', () => {
  const rows = sheet(line('E-1', { 単価: '￥1,500', 得意先名: 'ｶﾌﾞｼｷｶﾞｲｼｬ ﾃｽﾄ' }));
  it.each([
    ['utf-8', 'utf-8'],
    ['utf-8-bom', 'utf-8'],
    ['shift_jis', 'shift_jis'],
  ] as const)('detects %s', (encoding, detected) => {
    const result = run('e.csv', textBytes(rows, encoding));
    expect(result.encoding).toBe(detected);
    expect(result.orders.valid).toBe(1);
    const order = orders(result.batchId)[0];
    expect(order?.customer_name).toBe('カブシキガイシャ テスト');
    expect(order?.items[0]?.unit_price).toBe(1500);
  });

  it('reads a Shift_JIS backslash in an amount column as the yen sign', () => {
    const bytes = iconv.encode(
      `注文番号,顧客ID,顧客名,メール,品番,数量,単価,決済トークン,納品先住所\r\nY-1,C1,テスト商事,a@example.jp,S1,1,"\\1,500",tok,大阪府\r\n`,
      'Shift_JIS',
    );
    expect(bytes.includes(0x5c)).toBe(true);
    const result = run('yen.csv', bytes);
    expect(orders(result.batchId)[0]).toMatchObject({ total_amount: 1500, status: 'valid' });
  });

  it('can be overridden', () => {
    const bytes = textBytes(rows, 'shift_jis');
    expect(run('e.csv', bytes, { encoding: 'shift_jis' })).toMatchObject({ encoding: 'shift_jis', orders: { valid: 1 } });
    // Forcing the wrong encoding garbles the headers: a clear error, nothing staged.
    expect(codeOf(() => run('e2.csv', bytes, { encoding: 'utf-8' }))).toBe('IMPORT_NO_HEADER');
    expect(rowsIn('batches')).toBe(1);
  });
});

describe('layout', () => {
  it('skips title rows, total rows and trailing blanks; groups lines by order_ref', () => {
    const rows: SampleRow[] = [
      ['2026年11月度 発注一覧'],
      ['株式会社さくら商事 御中'],
      [],
      H,
      line('G-1', { 品番: 'A' }),
      line('G-2'),
      line('G-1', { 品番: 'B', 数量: 3 }),
      [null, null, null, null, null, '合計', 7, null],
      ['合計'],
      [],
      [null, '', '　'],
    ];
    const result = run('g.xlsx', workbookBytes(rows, 'xlsx'));
    expect(result.orders).toEqual({ total: 2, valid: 2, invalid: 0 });
    expect(result.headerRow).toBe(4);
    const g1 = orders(result.batchId).find((o) => o.order_ref === 'G-1');
    expect(g1?.items).toEqual([
      { sku: 'A', quantity: 2, unit_price: 1500, row: 5 },
      { sku: 'B', quantity: 3, unit_price: 1500, row: 7 },
    ]);
    expect(g1?.total_amount).toBe(7500);
  });

  it('parses ragged rows, embedded newlines and quotes, and keeps file row numbers', () => {
    const csv = [
      H.join(','),
      'R-1,C1,"株式会社 ""テスト""",a@example.jp,S1,1,1000,tok,"東京都千代田区\n1-1-1 ビル5F"',
      'R-2,C2,テスト,b@example.jp,S2,2,500,tok,大阪府,2026-12-01,備考,余分なセル,もう一つ',
      'R-3,C3,テスト,c@example.jp,S3,1',
    ].join('\r\n');
    const result = run('ragged.csv', Buffer.from(csv));
    const list = orders(result.batchId);
    expect(list.map((o) => [o.order_ref, o.status])).toEqual([
      ['R-1', 'valid'],
      ['R-2', 'valid'],
      ['R-3', 'invalid'],
    ]);
    expect(list[0]?.customer_name).toBe('株式会社 "テスト"');
    expect(list[2]?.items[0]?.row).toBe(4);
    expect(result.errors.filter((e) => e.order_ref === 'R-3').map((e) => e.field)).toEqual([
      'unit_price',
      'card_token',
      'shipping_address',
    ]);
    const address = store.db.prepare("SELECT shipping_address FROM orders WHERE order_ref = 'R-1'").get() as { shipping_address: string };
    expect(address.shipping_address).toBe('東京都千代田区\n1-1-1 ビル5F');
  });

  it('reports an unclosed quote with its row and stages nothing', () => {
    const csv = `${H.join(',')}\r\nQ-1,C1,テスト,a@example.jp,S1,1,1000,tok,東京\r\nQ-2,C2,"閉じない,b@example.jp,S1,1,1000,tok,東京\r\n`;
    const error = (() => {
      try {
        run('q.csv', Buffer.from(csv));
      } catch (e) {
        return e as AppError;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect(error?.code).toBe('IMPORT_MALFORMED_TEXT');
    expect(error?.params.row).toBe(3);
    expect(rowsIn('batches')).toBe(0);
  });
});

describe('normalising', () => {
  it('applies NFKC, trims ideographic spaces, reads yen amounts and dates in every form', () => {
    const rows = sheet(
      line('Ｎ－１', { 数量: '２', 単価: '￥１，２００', 得意先名: '　株式会社ﾃｽﾄ　', メール: 'ＢＵＹＥＲ@example.jp', 希望納品日: 46357 }),
      line('N-2', { 単価: '1,500円', 希望納品日: '2026-12-03' }),
      line('N-3', { 単価: '\\800', 希望納品日: new Date(2026, 11, 4) }),
      line('N-4', { 単価: '¥2,000', 希望納品日: '2026年12月5日' }),
    );
    const result = run('n.xlsx', workbookBytes(rows, 'xlsx'));
    expect(result.orders.invalid).toBe(0);
    const list = orders(result.batchId);
    expect(list.map((o) => o.order_ref)).toEqual(['N-1', 'N-2', 'N-3', 'N-4']);
    expect(list[0]).toMatchObject({ customer_name: '株式会社テスト', email: 'BUYER@example.jp', total_amount: 2400 });
    expect(list.map((o) => o.items[0]?.unit_price)).toEqual([1200, 1500, 800, 2000]);
    const dates = store.db.prepare('SELECT delivery_date FROM orders ORDER BY id').all() as { delivery_date: string }[];
    expect(dates.map((d) => d.delivery_date)).toEqual(['2026-12-01', '2026-12-03', '2026-12-04', '2026-12-05']);
  });

  it('keeps codes as displayed (leading zeros) but amounts by value', () => {
    const ws = XLSX.utils.aoa_to_sheet([H, line('Z-1', { 品番: 123, 単価: 1500.4 })]);
    const skuCell = ws.E2 as XLSX.CellObject;
    skuCell.z = '00000';
    const priceCell = ws.G2 as XLSX.CellObject;
    priceCell.z = '#,##0';
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, ws, 'S');
    const result = run('z.xlsx', XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    const order = orders(result.batchId)[0];
    expect(order?.items[0]?.sku).toBe('00123');
    expect(result.errors.map((e) => [e.field, e.code, e.value])).toEqual([['unit_price', 'INVALID_PRICE', '1500.4']]);
  });
});

describe('validation', () => {
  it('reports every error code with order, row, field and value', () => {
    run('earlier.csv', textBytes(sheet(line('V-DUP')), 'utf-8'));
    const rows = sheet(
      line('V-REQ', { メール: '' }),
      line('V-EMAIL', { メール: 'buyer@@example' }),
      line('V-QTY', { 数量: 0 }),
      line('V-PRICE', { 単価: 'abc' }),
      line('V-MIN', { 数量: 1, 単価: 99 }),
      line('V-MAX', { 数量: 1, 単価: 1_000_001 }),
      line('V-CARD', { 決済トークン: '4111-1111-1111-1111' }),
      line('V-DUP'),
      line('V-CONF', { 納品先住所: '東京' }),
      line('V-CONF', { 納品先住所: '大阪' }),
      line('V-DATE', { 希望納品日: '2026/13/40' }),
      line('V-OK-MIN', { 数量: 1, 単価: 100 }),
      line('V-OK-MAX', { 数量: 1, 単価: 1_000_000 }),
    );
    const result = run('v.xlsx', workbookBytes(rows, 'xlsx'));
    const byRef = (ref: string) => result.errors.filter((e) => e.order_ref === ref).map(({ order_ref: _, ...rest }) => rest);
    expect(byRef('V-REQ')).toEqual([{ row: 4, field: 'email', code: 'REQUIRED', value: '' }]);
    expect(byRef('V-EMAIL')).toEqual([{ row: 5, field: 'email', code: 'INVALID_EMAIL', value: 'buyer@@example' }]);
    expect(byRef('V-QTY')).toEqual([{ row: 6, field: 'quantity', code: 'INVALID_QUANTITY', value: '0' }]);
    expect(byRef('V-PRICE')).toEqual([{ row: 7, field: 'unit_price', code: 'INVALID_PRICE', value: 'abc' }]);
    expect(byRef('V-MIN')).toEqual([{ row: 8, field: 'total_amount', code: 'AMOUNT_BELOW_MIN', value: '99' }]);
    expect(byRef('V-MAX')).toEqual([{ row: 9, field: 'total_amount', code: 'AMOUNT_ABOVE_MAX', value: '1000001' }]);
    expect(byRef('V-CARD')).toEqual([{ row: 10, field: 'card_token', code: 'CARD_NUMBER', value: '************1111' }]);
    expect(byRef('V-DUP')).toEqual([{ row: 11, field: 'order_ref', code: 'DUPLICATE_ORDER', value: 'V-DUP' }]);
    expect(byRef('V-CONF')).toEqual([{ row: 13, field: 'shipping_address', code: 'CONFLICTING_LINES', value: '大阪' }]);
    expect(byRef('V-DATE')).toEqual([{ row: 14, field: 'delivery_date', code: 'INVALID_DATE', value: '2026/13/40' }]);
    expect(byRef('V-OK-MIN')).toEqual([]);
    expect(byRef('V-OK-MAX')).toEqual([]);
    expect(result.orders).toEqual({ total: 12, valid: 2, invalid: 10 });
  });

  it('lets continuation lines leave order fields blank, but flags a different value', () => {
    const blank = { 得意先コード: null, 得意先名: null, メール: null, 決済トークン: null, 納品先住所: null, 希望納品日: null };
    const rows = sheet(
      line('B-1', { 品番: 'A' }),
      line('B-1', { 品番: 'B', ...blank }),
      line('B-1', { 品番: 'C', メール: 'other@example.jp' }),
    );
    const result = run('blank.xlsx', workbookBytes(rows, 'xlsx'));
    expect(result.errors.map((e) => [e.row, e.field, e.code])).toEqual([[6, 'email', 'CONFLICTING_LINES']]);
    const fixed = editOrderField(store.db, {
      batchId: result.batchId,
      orderRef: 'B-1',
      field: 'email',
      value: 'buyer@example.co.jp',
      actor: 'sato',
    });
    expect(fixed.issues).toEqual([]);
    expect(orders(result.batchId)[0]).toMatchObject({ status: 'valid', email: 'buyer@example.co.jp', total_amount: 9000 });
  });

  it('never stores a card number, in any column, not even encrypted', () => {
    const rows = sheet(line('C-1', { 備考: 'カード 4111 1111 1111 1111 で払います' }), line('C-2', { 品番: '4901234567894' }), line('C-3'));
    rows[2] = [...H, 'メモ'];
    (rows[3] as SampleRow).push('5555555555554444');
    // Typed with full-width digits in a column nobody mapped: still a card number.
    (rows[5] as SampleRow).push('４０１２ ８８８８ ８８８８ １８８１');
    const result = run('card.xlsx', workbookBytes(rows, 'xlsx'));
    const dump =
      JSON.stringify(store.db.prepare('SELECT * FROM orders').all()) + JSON.stringify(store.db.prepare('SELECT * FROM order_lines').all());
    expect(dump).not.toMatch(/4111 ?1111 ?1111 ?1111/);
    expect(dump).not.toContain('5555555555554444');
    expect(dump).not.toMatch(/4012 ?8888 ?8888 ?1881|４０１２/);
    expect(dump).toContain('************1111');
    expect(result.errors.filter((e) => e.order_ref === 'C-1').map((e) => [e.field, e.code])).toEqual([
      ['notes', 'CARD_NUMBER'],
      ['メモ', 'CARD_NUMBER'],
    ]);
    expect(result.errors.filter((e) => e.order_ref === 'C-3').map((e) => [e.field, e.code])).toEqual([['メモ', 'CARD_NUMBER']]);
    // A JAN product code in the SKU column is not a card number.
    expect(result.errors.filter((e) => e.order_ref === 'C-2')).toEqual([]);
  });
});
