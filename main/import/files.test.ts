import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { caught, importStorePerTest, sparseFile } from '../../tests/helpers/import';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { ImportFiles } from '../app/import-files';
import type { AppError } from '../shared/errors';
import { createI18n } from '../shared/i18n';
import { listOrders } from '../store/orders';
import { matchHeader } from './mapping';
import { previewImport } from './preview';
import { readSpreadsheet } from './reader';
import { SAMPLE_HEADERS, type SampleRow, sampleLine, sampleOrderRows, textBytes } from '../../scripts/fixtures/sample-sheets';
import { readImportFile } from './source';
import { decodeText } from './text';

const tempDir = tempDirsPerTest();
const { store: currentStore, run } = importStorePerTest(tempDir);

function count(sql: string): number {
  return (currentStore().db.prepare(sql).get() as { n: number }).n;
}

/** A workbook with sheets in this order, each hidden (1), very hidden (2) or visible (0). */
function book(sheets: [name: string, rows: SampleRow[], hidden: 0 | 1 | 2][], bookType: 'xlsx' | 'xls' = 'xlsx'): Buffer {
  const workbook = XLSX.utils.book_new();
  for (const [name, rows] of sheets) XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(rows), name);
  workbook.Workbook = { Sheets: sheets.map(([, , hidden]) => ({ Hidden: hidden })) };
  return XLSX.write(workbook, { type: 'buffer', bookType, bookSST: true, compression: true }) as Buffer;
}

describe('hidden sheets', () => {
  const lastMonth = sampleOrderRows({ orders: 4, prefix: 'OLD' });
  const thisMonth = sampleOrderRows({ orders: 2, prefix: 'NEW' });

  it.each([
    ['hidden', 1, 'xlsx'],
    ['very hidden', 2, 'xlsx'],
    ['hidden', 1, 'xls'],
  ] as const)('never picks a %s first sheet automatically (%s)', (_, hidden, bookType) => {
    const bytes = book(
      [
        ['先月', lastMonth, hidden],
        ['今月', thisMonth, 0],
      ],
      bookType,
    );
    const result = run(`book.${bookType}`, bytes);
    expect(result).toMatchObject({ sheet: '今月', sheetHidden: false, orders: { total: 2, valid: 2 } });
    expect(listOrders(currentStore().db, result.batchId).map((o) => o.order_ref)).toEqual(['NEW-000001', 'NEW-000002']);
  });

  it('imports a hidden sheet staff name, and says it was hidden', () => {
    const bytes = book([
      ['先月', lastMonth, 1],
      ['今月', thisMonth, 0],
    ]);
    expect(run('book.xlsx', bytes, { sheet: '先月' })).toMatchObject({ sheet: '先月', sheetHidden: true, orders: { total: 4 } });
  });

  it('lists hidden sheets in the preview, which starts on the visible one and can switch to a hidden one', () => {
    const read = readSpreadsheet(
      'book.xlsx',
      book([
        ['先月', lastMonth, 1],
        ['今月', thisMonth, 0],
        ['マクロ', [['x']], 2],
      ]),
    );
    const first = previewImport(currentStore().db, { fileName: 'book.xlsx', read });
    expect(first).toMatchObject({ sheet: '今月', sheets: ['先月', '今月', 'マクロ'], hiddenSheets: ['先月', 'マクロ'] });
    expect(previewImport(currentStore().db, { fileName: 'book.xlsx', read, sheet: '先月' }).sheet).toBe('先月');
  });

  it('does not fall back to a hidden sheet when no visible sheet holds orders', () => {
    const bytes = book([
      ['先月', lastMonth, 1],
      ['表紙', [['ご担当者様']], 0],
    ]);
    expect(caught(() => run('book.xlsx', bytes)).code).toBe('IMPORT_NO_HEADER');
  });
});

describe('text files', () => {
  // Each file its own order numbers: the same number in two batches is DUPLICATE_ORDER.
  let files = 0;
  const text = (delimiter: string) => {
    files += 1;
    return textBytes(sampleOrderRows({ orders: 6, prefix: `T${files}`, messy: true }), 'utf-8', delimiter).toString('utf8');
  };

  it.each([
    ['orders.csv', ';', 'semicolon'],
    ['orders.csv', '\t', 'tab'],
    ['orders.csv', ',', 'comma'],
    ['orders.txt', ',', 'comma'],
    ['orders.txt', ';', 'semicolon'],
    ['orders.tsv', '\t', 'tab'],
  ])('reads %s separated by %j', (fileName, delimiter, name) => {
    // Messy amounts ("￥1,500") are not quoted in a ; or tab file: commas inside cells must not win the sniffing.
    const result = run(fileName, Buffer.from(text(delimiter), 'utf8'));
    expect(result).toMatchObject({ delimiter: name, encoding: 'utf-8', headerRow: 3, orders: { total: 6, valid: 6 } });
    expect(listOrders(currentStore().db, result.batchId)[0]?.items[0]?.unit_price).toBe(2200);
  });

  it("reads Excel's Unicode text (UTF-16LE with BOM, tab-separated) and UTF-16BE", () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text('\t'), 'utf16le')]);
    expect(run('unicode.txt', le)).toMatchObject({ encoding: 'utf-16le', delimiter: 'tab', orders: { total: 6, valid: 6 } });
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text(','), 'utf-16be')]);
    expect(run('be.csv', be)).toMatchObject({ encoding: 'utf-16be', delimiter: 'comma', orders: { total: 6, valid: 6 } });
    // Without a BOM, from the zero high bytes of its ASCII.
    expect(run('nobom.txt', iconv.encode(text('\t'), 'utf16le'))).toMatchObject({ encoding: 'utf-16le', orders: { valid: 6 } });
    // Zero bytes alone do not make UTF-16: binary data stays refused.
    const binary = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i % 2 === 0 ? 0 : 0x80 + (i % 100))));
    expect(caught(() => run('data.csv', binary)).code).toBe('IMPORT_UNSUPPORTED_FILE');
  });

  it('detects EUC-JP instead of reading it as garbled Shift_JIS', () => {
    const result = run('euc.csv', iconv.encode(text(','), 'EUC-JP'));
    expect(result).toMatchObject({ encoding: 'euc-jp', orders: { total: 6, valid: 6 } });
    expect(listOrders(currentStore().db, result.batchId)[0]?.customer_name).toBe('有限会社みなと物産');
    // Shift_JIS stays Shift_JIS.
    expect(run('sjis.csv', iconv.encode(text(','), 'Shift_JIS')).encoding).toBe('shift_jis');
  });

  it('tells EUC-JP from Shift_JIS when the bytes are valid in both', () => {
    // EUC-JP katakana are valid Shift_JIS half-width kana; Shift_JIS half-width kana are valid EUC-JP kanji.
    const euc = iconv.encode('テスト,データ', 'EUC-JP');
    expect(new TextDecoder('shift_jis', { fatal: true }).decode(euc)).not.toBe('テスト,データ');
    expect(decodeText(euc, 'auto')).toEqual({ text: 'テスト,データ', encoding: 'euc-jp' });
    const sjis = iconv.encode('ｶﾌﾞｼｷｶﾞｲｼｬ', 'Shift_JIS');
    expect(new TextDecoder('euc-jp', { fatal: true }).decode(sjis)).not.toBe('ｶﾌﾞｼｷｶﾞｲｼｬ');
    expect(decodeText(sjis, 'auto')).toEqual({ text: 'ｶﾌﾞｼｷｶﾞｲｼｬ', encoding: 'shift_jis' });
  });

  it('can be told the encoding', () => {
    const bytes = iconv.encode(text(','), 'EUC-JP');
    // Read as Shift_JIS, the headers are garbled: nothing is recognised.
    expect(caught(() => run('euc.csv', bytes, { encoding: 'shift_jis' })).code).toBe('IMPORT_NO_HEADER');
    expect(run('euc.csv', bytes, { encoding: 'euc-jp' })).toMatchObject({ encoding: 'euc-jp', orders: { valid: 6 } });
  });
});

describe('file size', () => {
  const hugeFile = (name: string, size: number) => sparseFile(join(tempDir(), name), size);

  it('refuses a 1.8 GB file from its size, without reading it into memory', () => {
    const path = hugeFile('huge.csv', 1_800_000_000);
    const before = process.memoryUsage().rss;
    const error = caught(() => readImportFile(path, 'huge.csv'));
    expect(error).toMatchObject({ code: 'IMPORT_TOO_LARGE', params: { file: 'huge.csv', limitMb: 50 } });
    const files = new ImportFiles();
    expect(caught(() => files.add(path)).code).toBe('IMPORT_TOO_LARGE');
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
  });

  it('reads a file up to the limit, and refuses one byte more', () => {
    const limits = { maxBytes: 1000, maxRows: 100, maxUncompressedBytes: 10_000, maxCompressionRatio: 200 };
    expect(readImportFile(hugeFile('ok.csv', 1000), 'ok.csv', limits)).toHaveLength(1000);
    expect(caught(() => readImportFile(hugeFile('big.csv', 1001), 'big.csv', limits)).code).toBe('IMPORT_TOO_LARGE');
    expect(caught(() => readImportFile(join(tempDir(), 'none.csv'), 'none.csv')).code).toBe('FILE_NOT_FOUND');
    expect(caught(() => readImportFile(tempDir(), 'folder')).code).toBe('FILE_NOT_FOUND');
  });
});

describe('empty results', () => {
  it.each([
    ['header only', 'empty.csv', () => textBytes([SAMPLE_HEADERS], 'utf-8')],
    [
      'header, blanks and a total row',
      'empty.xlsx',
      () => book([['受注', [['2026年11月度 発注一覧'], SAMPLE_HEADERS, [], ['合計', null, null, null, null, 0, 0], []], 0]]),
    ],
  ])('refuses a file with a %s as IMPORT_NO_ORDERS and stages nothing', (_, fileName, bytes) => {
    const error = caught(() => run(fileName, bytes()));
    expect(error).toMatchObject({ code: 'IMPORT_NO_ORDERS', params: { file: fileName } });
    expect(createI18n('ja').t(`errors.${error.code}`, error.params)).toBe(
      `「${fileName}」には見出し行の下に注文の行がありません。何も取り込んでいません。`,
    );
    expect(count('SELECT count(*) AS n FROM batches')).toBe(0);
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'batch.imported'")).toBe(0);
  });
});

describe('header words and mapping messages', () => {
  it.each(['単価(税抜)', '単価（税抜）', '税抜単価', '単価 (税抜)', '単価（税別）'])('reads %s as the unit price', (header) => {
    expect(matchHeader(header)).toBe('unit_price');
    const headers = SAMPLE_HEADERS.map((h) => (h === '単価' ? header : h));
    const result = run('tax.csv', textBytes([headers, sampleLine('X-1')], 'utf-8'));
    expect(result.mapping.unit_price).toBeDefined();
    expect(listOrders(currentStore().db, result.batchId)[0]).toMatchObject({ total_amount: 3000 });
  });

  const ja = createI18n('ja').t;
  const en = createI18n('en').t;
  const message = (t: typeof ja, error: AppError) => t(`errors.${error.code}`, error.params);

  it('names missing fields by their labels, never their internal names', () => {
    const headers = SAMPLE_HEADERS.filter((h) => h !== '単価' && h !== '得意先コード');
    const error = caught(() => run('short.csv', textBytes([headers, ['A-1']], 'utf-8')));
    expect(error.code).toBe('IMPORT_MAPPING_INCOMPLETE');
    expect(message(ja, error)).toBe('必須の項目に列が割り当てられていません（顧客ID、単価）。列の割り当てを指定してください。');
    expect(message(en, error)).toBe('Required columns are not mapped: Customer ID, Unit price. Map them and import again.');
  });

  it('names the field by its label when a mapping names a column the file lacks', () => {
    const bytes = textBytes([SAMPLE_HEADERS, sampleLine('A-1')], 'utf-8');
    const error = caught(() => run('m.csv', bytes, { overrides: { unit_price: '売価' } }));
    expect(error.code).toBe('IMPORT_MAPPING_INVALID');
    expect(message(ja, error)).toMatch(/^列の割り当て「単価=売価」が正しくありません。/);
    expect(message(en, error)).toMatch(/^The column mapping "Unit price=売価" is not valid\./);
    expect(message(ja, error)).not.toContain('unit_price');
  });

  it('takes a field by its label in either language as well as by its name', () => {
    const headers = SAMPLE_HEADERS.map((h) => (h === '単価' ? '売価' : h));
    const bytes = (ref: string) => textBytes([headers, sampleLine(ref)], 'utf-8');
    expect(run('a.csv', bytes('A-1'), { overrides: { 単価: '売価' } }).orders.valid).toBe(1);
    expect(run('b.csv', bytes('A-2'), { overrides: { 'Unit price': '7' } }).orders.valid).toBe(1);
    expect(caught(() => run('c.csv', bytes('A-3'), { overrides: { 売価: '売価' } })).params).toEqual({ mapping: '売価=売価' });
  });
});
