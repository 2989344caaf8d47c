import { describe, expect, it } from 'vitest';
import { importStore } from '../../tests/helpers/import';
import { digitValue, maskCardNumbers, scanCardNumbers } from './cards';
import { editOrderField } from './edit';
import { reimportIntoBatch } from './reimport';
import { SAMPLE_HEADERS, type SampleRow, sampleLine, textBytes, workbookBytes } from '../../scripts/fixtures/sample-sheets';

const { db, run, orders } = importStore();

const MASKED = '************3826';

describe('card numbers in a cell', () => {
  it.each([
    ['dots', '4929.3827.1645.3826'],
    ['slashes', '4929/3827/1645/3826'],
    ['underscores', '4929_3827_1645_3826'],
    ['en dashes', '4929–3827–1645–3826'],
    ['several spaces', '4929   3827    1645  3826'],
    ['tabs', '4929\t3827\t1645\t3826'],
    ['a line break (Alt+Enter)', '4929 3827\n1645 3826'],
    ['CR LF and spaces', '4929 3827\r\n  1645 3826'],
    ['full-width digits and dots', '４９２９．３８２７．１６４５．３８２６'],
    ['Arabic-Indic digits', '٤٩٢٩ ٣٨٢٧ ١٦٤٥ ٣٨٢٦'],
    ['Devanagari digits', '४९२९-३८२७-१६४५-३८२६'],
    ['mathematical digits', '𝟒𝟗𝟐𝟗 𝟑𝟖𝟐𝟕 𝟏𝟔𝟒𝟓 𝟑𝟖𝟐𝟔'],
    ['no separators', '4929382716453826'],
    ['long-vowel marks an IME types for hyphens', '4929ー3827ー1645ー3826'],
    ['half-width long-vowel marks and full-width digits', '４９２９ｰ３８２７ｰ１６４５ｰ３８２６'],
  ])('finds one written with %s, and masks it', (_, card) => {
    expect(scanCardNumbers(`支払い: ${card} でお願いします`)).toEqual({ masked: `支払い: ${MASKED} でお願いします`, found: true });
    expect(maskCardNumbers(card)).toBe(MASKED);
  });

  it('leaves digits alone that are not a card number', () => {
    for (const text of [
      '4929 3827 1645 3827', // fails Luhn
      'Order 4929 no 3827 1645 3826', // a word between the groups
      '49293827164538260000000', // 23 digits in one run
      '03-1234-5678',
      '〒100-0005 東京都千代田区丸の内1-1-1',
      // Each of these passes Luhn when its groups are joined, but none is grouped as a card is written: masking
      // would destroy a phone number, an address or an order number for good.
      '03-7347-1741 / 03-7347-1742',
      '東京都港区芝公園4-2-8 03-7347-1741',
      '〒100-0001 03-1234-1009',
      '20251201-000002',
    ])
      expect(scanCardNumbers(text)).toEqual({ masked: text, found: false });
  });

  it('keeps a JAN/GTIN written as one run, in any column (a sheet may hold both 商品コード and JANコード)', () => {
    expect(scanCardNumbers('4901234567894').found).toBe(false);
    expect(scanCardNumbers('4901234567191').found).toBe(false);
    // The same 13 digits with a wrong GTIN check digit but a valid Luhn sum are not a product code.
    expect(scanCardNumbers('4222222222222').found).toBe(true);
    // Grouped like a card, digits are a card number whatever their check digits.
    expect(scanCardNumbers('4929.3827.1645.3826').found).toBe(true);
  });

  it('reads the value of every Unicode decimal digit', () => {
    const nd = /^\p{Nd}$/u;
    for (let code = 0; code < 0x20000; code += 1) {
      if (code >= 0xd800 && code < 0xe000) continue;
      const value = digitValue(code);
      if (nd.test(String.fromCodePoint(code))) expect(value, code.toString(16)).toBeGreaterThanOrEqual(0);
      else expect(value, code.toString(16)).toBe(-1);
    }
    expect([0x664, 0x96a, 0xff14, 0x1d7d2, 0x1d7e6].map(digitValue)).toEqual([4, 4, 4, 4, 4]);
  });

  it.each([
    ['digits and spaces', '1 '.repeat(50_000)],
    ['digits and letters', '1a'.repeat(50_000)],
    ['one long run', '4'.repeat(100_000)],
    ['card-like groups', '4929 3827 1645 382'.repeat(5_500)],
    ['Arabic-Indic digits and dots', '٤.'.repeat(50_000)],
    ['separators only', `1${'-'.repeat(100_000)}`],
  ])('scans a 100 KB cell of %s in linear time', (_, text) => {
    const started = performance.now();
    scanCardNumbers(text);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('card numbers through import, edit and re-import', () => {
  const rows = (): SampleRow[] => [
    [...SAMPLE_HEADERS, 'カード 4929.3827.1645.3826'],
    [...sampleLine('K-1', { 備考: '4929\t3827\t1645\t3826' }), null],
    [...sampleLine('K-2', { 品番: '4901234567894' }), '4929 3827\n1645 3826'],
    [...sampleLine('K-3'), null],
  ];

  it.each([
    ['k.xlsx', () => workbookBytes(rows(), 'xlsx')],
    ['k.csv', () => textBytes(rows(), 'utf-8')],
  ])('%s: masks them in cells, headers and the file name before anything is stored', (name, bytes) => {
    const result = run(`注文_4929382716453826_${name}`, bytes());
    expect(result.file).toBe(`注文_${MASKED}_${name}`);
    const dump = ['batches', 'orders', 'order_lines', 'audit_log']
      .map((table) => JSON.stringify(db().prepare(`SELECT * FROM ${table}`).all()))
      .join('');
    expect(dump).not.toMatch(/4929\D{0,4}3827/);
    const headers = JSON.parse((db().prepare('SELECT headers FROM batches').get() as { headers: string }).headers) as string[];
    expect(headers.at(-1)).toBe(`カード ${MASKED}`);
    expect(result.errors.map((e) => [e.order_ref, e.field, e.code])).toEqual([
      ['K-1', 'notes', 'CARD_NUMBER'],
      ['K-2', `カード ${MASKED}`, 'CARD_NUMBER'],
    ]);
    expect(orders(result.batchId).find((o) => o.order_ref === 'K-3')?.status).toBe('valid');
  });

  it('refuses a card number typed in an edit: masked, never stored, the order invalid', () => {
    const result = run('e.csv', textBytes([SAMPLE_HEADERS, sampleLine('ED-1')], 'utf-8'));
    const edited = editOrderField(db(), {
      batchId: result.batchId,
      orderRef: 'ED-1',
      field: 'card_token',
      value: '4929.3827.1645.3826',
      actor: 'sato',
    });
    expect(edited.issues).toEqual([{ row: 2, field: 'card_token', code: 'CARD_NUMBER', value: MASKED }]);
    expect(JSON.stringify(db().prepare('SELECT * FROM orders').all())).not.toContain('4929.3827');
  });

  it('masks them in a re-imported file', () => {
    const first = run('r.csv', textBytes([SAMPLE_HEADERS, sampleLine('RI-1')], 'utf-8'));
    const fixed = textBytes([SAMPLE_HEADERS, sampleLine('RI-1', { 備考: '4929_3827_1645_3826' })], 'utf-8');
    const result = reimportIntoBatch(db(), { batchId: first.batchId, fileName: 'fixed.csv', bytes: fixed, actor: 'sato' });
    expect(result).toMatchObject({ updated: 1, invalid: 1 });
    expect(JSON.stringify(db().prepare('SELECT * FROM order_lines').all())).not.toContain('4929_3827');
    expect(orders(first.batchId)[0]?.errors).toEqual(['CARD_NUMBER']);
  });
});
