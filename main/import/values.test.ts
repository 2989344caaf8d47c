import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { importStore } from '../../tests/helpers/import';
import { issueMessage } from '../cli/orders';
import { createI18n } from '../shared/i18n';
import { parseAmount, parseQuantity } from './amounts';
import { revalidateBatch } from './edit';
import { SAMPLE_HEADERS, type SampleRow, sampleLine, textBytes, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import type { ValidationIssue } from './validate';
import { foldWidth } from './values';

const { db, run, orders } = importStore();
const ja = createI18n('ja').t;
const en = createI18n('en').t;
const messages = (issue: ValidationIssue) => [issueMessage(ja, issue), issueMessage(en, issue)];

describe('exact codes', () => {
  // Real number cells, as Excel stores a JAN typed into a General cell: SheetJS shows them as 4.90123E+12.
  const rows = (): SampleRow[] => [
    [...SAMPLE_HEADERS, '電話番号'],
    [...sampleLine('J-1', { 品番: 4901234567894 }), 819012345678],
    [...sampleLine('J-2', { 品番: 4901234567900, 得意先コード: 20261130001 }), null],
    [...sampleLine('J-3', { 品番: Number('12345678901234567890') }), null],
    [...sampleLine('J-4', { 得意先コード: 12.5 }), null],
    [20261130005, ...sampleLine('').slice(1), null],
  ];

  it('keeps two 13-digit JANs in number cells exact and distinct', () => {
    const result = run('jan.xlsx', workbookBytes(rows(), 'xlsx'));
    const list = orders(result.batchId);
    expect(list.find((o) => o.order_ref === 'J-1')?.items[0]?.sku).toBe('4901234567894');
    expect(list.find((o) => o.order_ref === 'J-2')?.items[0]?.sku).toBe('4901234567900');
    expect(list.find((o) => o.order_ref === 'J-2')?.customer_id).toBe('20261130001');
    expect(list.find((o) => o.order_ref === '20261130005')?.status).toBe('valid');
    // An unmapped column (a phone number) is not shown in exponent form either.
    expect(db().prepare('SELECT raw_cells FROM order_lines WHERE source_row = 2').get()).toEqual({ raw_cells: '{"11":"819012345678"}' });
  });

  it('flags a number that cannot be an exact code, naming the cell, and keeps flagging it after revalidation', () => {
    const result = run('big.xlsx', workbookBytes(rows(), 'xlsx'));
    const invalid = result.errors.map(({ order_ref, row, field, code, value }) => ({ order_ref, row, field, code, value }));
    expect(invalid).toEqual([
      { order_ref: 'J-3', row: 4, field: 'sku', code: 'INVALID_CODE', value: '1.2345678901234567E+19' },
      { order_ref: 'J-4', row: 5, field: 'customer_id', code: 'INVALID_CODE', value: '1.25E+1' },
    ]);
    expect(messages(result.errors[0] as ValidationIssue)).toEqual([
      '品番「1.2345678901234567E+19」は正確なコードとして読めません（数値のセルで桁が失われています）。セルの書式を文字列にして、コードを入力し直してください。',
      'SKU "1.2345678901234567E+19" cannot be read as an exact code (the number cell has lost digits). Format the cell as text and enter the code again.',
    ]);
    revalidateBatch(db(), result.batchId, 'sato');
    expect(orders(result.batchId).find((o) => o.order_ref === 'J-3')?.errors).toEqual(['INVALID_CODE']);
  });

  it('flags a code a CSV already holds in exponent form (Excel saved it so)', () => {
    const result = run(
      'jan.csv',
      textBytes([SAMPLE_HEADERS, sampleLine('JC-1', { 品番: '4.90123E+12' }), sampleLine('JC-2', { 品番: '3E4' })], 'utf-8'),
    );
    expect(result.errors.map((e) => [e.order_ref, e.code])).toEqual([['JC-1', 'INVALID_CODE']]);
  });

  it('keeps the leading zeros a number format shows', () => {
    const ws = XLSX.utils.aoa_to_sheet([SAMPLE_HEADERS, sampleLine('Z-1', { 得意先コード: 123 })]);
    (ws.B2 as XLSX.CellObject).z = '00000';
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, ws, 'S');
    const result = run('z.xlsx', XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    expect(orders(result.batchId)[0]?.customer_id).toBe('00123');
  });
});

describe('normalisation per field', () => {
  it('folds only the width of names, addresses and notes; NFKC for codes and emails', () => {
    const rows: SampleRow[] = [
      [...SAMPLE_HEADERS, '担当'],
      [
        ...sampleLine('ＮＦ－１', {
          得意先名: '　㈱髙橋ﾃﾞﾝｷ　ＡＢＣ　',
          納品先住所: '東京都千代田区１－２ Ⅱ棟',
          備考: '①午前着 ｶﾞﾗｽ注意',
          品番: 'ＳＫＵ－１',
          メール: 'ＢＵＹＥＲ@example.jp',
        }),
        '㈲①',
      ],
    ];
    for (const [name, bytes] of [
      ['n.xlsx', workbookBytes(rows, 'xlsx')],
      ['n.csv', textBytes(rows, 'utf-8')],
    ] as const) {
      const result = run(name, bytes);
      const order = db()
        .prepare('SELECT order_ref, customer_name, shipping_address, notes, email FROM orders WHERE batch_id = ?')
        .get(result.batchId);
      expect(order).toEqual({
        order_ref: 'NF-1',
        customer_name: '㈱髙橋デンキ ABC',
        shipping_address: '東京都千代田区1-2 Ⅱ棟',
        notes: '①午前着 ガラス注意',
        email: 'BUYER@example.jp',
      });
      expect(orders(result.batchId)[0]?.items[0]?.sku).toBe('SKU-1');
      expect(db().prepare('SELECT raw_cells FROM order_lines WHERE order_id = (SELECT max(id) FROM orders)').get()).toEqual({
        raw_cells: '{"11":"㈲①"}',
      });
      db().prepare('DELETE FROM orders').run();
    }
  });

  it('composes half-width sound marks and widens half-width kana punctuation', () => {
    expect(foldWidth('ｶﾞｷﾞｸﾞ ﾊﾟﾋﾟ')).toBe('ガギグ パピ');
    expect(foldWidth('カﾞ')).toBe('ガ');
    expect(foldWidth('｢ｱｲｳ｣･ｰ')).toBe('「アイウ」・ー');
    expect(foldWidth('￥１，０００')).toBe('¥1,000');
    expect(foldWidth('㈱①Ⅱ髙﨑')).toBe('㈱①Ⅱ髙﨑');
    expect(foldWidth('plain ascii')).toBe('plain ascii');
  });
});

describe('amounts and quantities', () => {
  it.each([
    ['2個', 2],
    ['10 個', 10],
    ['2 pcs', 2],
    ['2pcs.', 2],
    ['3点', 3],
    ['1本', 1],
    ['5枚', 5],
    ['2箱', 2],
    ['1台', 1],
    ['4 PC', 4],
    ['2 ea', 2],
    ['２個', 2],
    ['1,000個', 1000],
  ])('reads the quantity %s as %d', (text, n) => {
    expect(parseQuantity(text)).toBe(n);
  });

  it.each([
    ['¥1,234-', -1234],
    ['△1,234', -1234],
    ['▲1,234', -1234],
    ['(1,234)', -1234],
    ['（1,234）', -1234],
    ['-1,234', -1234],
    ['−1,234', -1234],
    ['¥-1,234', -1234],
    ['-¥1,234', -1234],
    ['1,234円', 1234],
    ['￥1,234', 1234],
  ])('reads the amount %s as %d', (text, n) => {
    expect(parseAmount(text)).toBe(n);
  });

  it('rejects quantities and amounts that are not numbers', () => {
    for (const text of ['二', '2個個', '個', '2 boxes', '1-2', '¥', '()']) expect(parseQuantity(text), text).toBeNull();
  });

  it.each([
    ['q.xlsx', (rows: SampleRow[]) => workbookBytes(rows, 'xlsx')],
    ['q.csv', (rows: SampleRow[]) => textBytes(rows, 'utf-8')],
  ])('%s: counters read as integers; a negative price says it is negative', (name, bytes) => {
    const rows: SampleRow[] = [
      SAMPLE_HEADERS,
      sampleLine('Q-1', { 数量: '2個', 単価: 1000 }),
      sampleLine('Q-1', { 数量: '10 個', 単価: 100, 品番: 'S2' }),
      sampleLine('Q-1', { 数量: '2 pcs', 単価: 50, 品番: 'S3' }),
      sampleLine('Q-2', { 単価: '¥1,234-' }),
      sampleLine('Q-3', { 単価: '△1,234' }),
      sampleLine('Q-4', { 単価: '(1,234)' }),
      sampleLine('Q-5', { 単価: -500 }),
    ];
    const result = run(name, bytes(rows));
    expect(orders(result.batchId).find((o) => o.order_ref === 'Q-1')).toMatchObject({ status: 'valid', total_amount: 3100 });
    expect(result.errors.map((e) => [e.order_ref, e.field, e.code, e.value])).toEqual([
      ['Q-2', 'unit_price', 'NEGATIVE_AMOUNT', '¥1,234-'],
      ['Q-3', 'unit_price', 'NEGATIVE_AMOUNT', '△1,234'],
      ['Q-4', 'unit_price', 'NEGATIVE_AMOUNT', '(1,234)'],
      ['Q-5', 'unit_price', 'NEGATIVE_AMOUNT', '-500'],
    ]);
    expect(messages(result.errors[0] as ValidationIssue)).toEqual([
      '単価「¥1,234-」がマイナスになっています。0以上の金額を入力してください。',
      'Unit price "¥1,234-" is negative. Enter an amount of 0 or more.',
    ]);
  });
});

describe('line amounts (金額)', () => {
  const HEADERS = ['注文番号', '得意先コード', '得意先名', 'メール', '品番', '数量', '金額', '決済トークン', '納品先住所'];
  const order = (ref: string, quantity: number | string, amount: number | string): SampleRow => [
    ref,
    'C1',
    '株式会社テスト',
    'a@example.jp',
    'S1',
    quantity,
    amount,
    'tok',
    '東京都',
  ];

  it.each([
    ['a.xlsx', (rows: SampleRow[]) => workbookBytes(rows, 'xlsx')],
    ['a.csv', (rows: SampleRow[]) => textBytes(rows, 'utf-8')],
  ])('%s: derives the unit price when the amount divides exactly, otherwise names both cells', (name, bytes) => {
    const result = run(name, bytes([HEADERS, order('A-1', 2, 2300), order('A-1', 1, '¥700'), order('A-2', 3, 1000)]));
    expect(result.mapping).toMatchObject({ line_amount: '金額' });
    const list = orders(result.batchId);
    expect(list.find((o) => o.order_ref === 'A-1')).toMatchObject({
      status: 'valid',
      total_amount: 3000,
      items: [
        { quantity: 2, unit_price: 1150 },
        { quantity: 1, unit_price: 700 },
      ],
    });
    expect(result.errors.map((e) => [e.order_ref, e.field, e.code, e.value])).toEqual([
      ['A-2', 'line_amount', 'AMOUNT_NOT_DIVISIBLE', '1000'],
    ]);
    expect(messages(result.errors[0] as ValidationIssue)).toEqual([
      '金額「1000」が数量で割り切れないため、単価を求められません。単価を入力するか、金額と数量を確認してください。',
      'Line amount "1000" does not divide exactly by the quantity, so the unit price cannot be derived. Enter the unit price, or check the Line amount and the quantity.',
    ]);
  });

  it('reports a line amount that disagrees with quantity x unit price', () => {
    const headers = [...HEADERS, '単価'];
    const result = run('b.csv', textBytes([headers, [...order('B-1', 2, 2000), 1000], [...order('B-2', 2, 2100), 1000]], 'utf-8'));
    expect(result.errors.map((e) => [e.order_ref, e.field, e.code])).toEqual([['B-2', 'line_amount', 'AMOUNT_MISMATCH']]);
    expect(orders(result.batchId).find((o) => o.order_ref === 'B-1')).toMatchObject({ status: 'valid', total_amount: 2000 });
    expect(issueMessage(ja, result.errors[0] as ValidationIssue)).toBe(
      '金額「2100」が数量×単価と一致しません。金額・数量・単価を確認してください。',
    );
  });
});
