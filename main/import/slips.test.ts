import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { renderBatchExport } from '../export/export';
import { createI18n } from '../shared/i18n';
import { reimportIntoBatch } from './reimport';
import { importStore } from '../../tests/helpers/import';
import { runCli } from '../cli/program';
import { type SampleRow, textBytes, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKey } from '../store/key';

const { db, run, orders } = importStore();
const tempDir = tempDirsPerTest();

const HEADERS = ['伝票番号', '得意先コード', '得意先名', 'メール', '品番', '数量', '単価', '決済トークン', '納品先住所'];
const head = (ref: string, sku: string, price: number): SampleRow => [
  ref,
  'C001',
  '株式会社さくら商事',
  'buyer@example.co.jp',
  sku,
  1,
  price,
  'tok_1',
  '東京都千代田区1-1',
];
/** A later line of a slip: the order number and the order's fields left blank, as Excel users write them. */
const more = (sku: string, price: number): SampleRow => [null, null, null, null, sku, 1, price, null, null];

/** Two slips (3 and 2 lines), then lines whose blank order number has no order above them. */
const SLIPS: SampleRow[] = [
  ['2026年11月度 注文伝票'],
  HEADERS,
  more('ORPHAN-TOP', 500),
  head('D-001', 'A-1', 1000),
  more('A-2', 800),
  more('A-3', 500),
  head('D-002', 'B-1', 1200),
  more('B-2', 300),
  [],
  more('ORPHAN-AFTER-BLANK', 700),
  head('D-003', 'C-1', 900),
  // Another customer on a blank-numbered line: not the same order.
  [null, 'C999', '別の会社', null, 'C-2', 1, 100, null, null],
];

describe('order slips (伝票番号 on the first line only)', () => {
  it.each([
    ['slips.xlsx', () => workbookBytes(SLIPS, 'xlsx')],
    ['slips.csv', () => textBytes(SLIPS, 'utf-8')],
  ])('%s: one order per slip with all its lines and the right total', (name, bytes) => {
    const result = run(name, bytes());
    const list = orders(result.batchId);
    const d1 = list.find((o) => o.order_ref === 'D-001');
    expect(d1).toMatchObject({ status: 'valid', total_amount: 2300, customer_name: '株式会社さくら商事' });
    expect(d1?.items.map((i) => [i.sku, i.row])).toEqual([
      ['A-1', 4],
      ['A-2', 5],
      ['A-3', 6],
    ]);
    expect(list.find((o) => o.order_ref === 'D-002')).toMatchObject({ status: 'valid', total_amount: 1500 });
    expect(list.find((o) => o.order_ref === 'D-003')).toMatchObject({ status: 'valid', total_amount: 900 });
    expect(result.notes.continuedLines).toBe(3);
    // Nothing above (the header, a blank row) or another customer: REQUIRED, as before.
    const required = result.errors.filter((e) => e.field === 'order_ref' && e.code === 'REQUIRED').map((e) => e.row);
    expect(required).toEqual([3, 10, 12]);
    expect(result.orders).toEqual({ total: 6, valid: 3, invalid: 3 });
    const stored = db().prepare('SELECT import_notes FROM batches WHERE id = ?').get(result.batchId) as { import_notes: string };
    expect(JSON.parse(stored.import_notes)).toEqual({ continued_lines: 3, dates_without_year: 0 });
  });

  it('does not continue a line that carries no item fields', () => {
    const rows: SampleRow[] = [HEADERS, head('E-1', 'A-1', 1000), [null, null, null, null, null, null, null, null, '備考だけ']];
    const result = run('e.csv', textBytes(rows, 'utf-8'));
    expect(result.notes.continuedLines).toBe(0);
    expect(orders(result.batchId).find((o) => o.order_ref === 'E-1')?.items).toHaveLength(1);
  });

  it('prints continued_lines with import --json and says so in the text summary', async () => {
    const dir = tempDir();
    const file = join(dir, 'slips.xlsx');
    writeFileSync(file, workbookBytes(SLIPS, 'xlsx'));
    const env = { ORDER_STAGER_KEY: generateKey(), LANG: 'ja_JP.UTF-8' };
    const cli = async (args: string[]) => {
      let stdout = '';
      const code = await runCli(['--data-dir', dir, ...args], {
        stdout: (text: string) => {
          stdout += text;
        },
        stderr: () => {},
        env,
      });
      return { code, stdout };
    };
    const json = await cli(['import', file, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ continued_lines: 3, dates_without_year: 0, orders: { total: 6 } });
    const text = await cli(['import', file]);
    expect(text.stdout).toContain('注文番号が空欄の3行は、すぐ上の行の注文番号を引き継ぎました');
  });
});

describe('order slips at scale', () => {
  it('continues 20,000 lines under an order in linear time (each order row is read once)', () => {
    // The order's own rows leave the notes blank; every later line carries the same note.
    const rows: SampleRow[] = [[...HEADERS, '備考']];
    for (let i = 0; i < 20_000; i += 1) rows.push([...head('BIG-1', `A-${i}`, 1), null]);
    for (let i = 0; i < 20_000; i += 1) rows.push([...more(`B-${i}`, 1), '同じ備考']);
    const started = performance.now();
    const result = run('big.csv', textBytes(rows, 'utf-8'));
    expect(result.notes.continuedLines).toBe(20_000);
    expect(orders(result.batchId)[0]).toMatchObject({ order_ref: 'BIG-1', total_amount: 40_000 });
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('keeps a slip whole when its later lines carry their own note or delivery date', () => {
    const headers = [...HEADERS, '備考', '希望納品日'];
    const rows: SampleRow[] = [
      headers,
      [...head('N-001', 'S1', 1000), '至急', '2026/12/10'],
      [...more('S2', 2000), '色：赤', null],
      [...more('S3', 3000), null, '2026/12/20'],
    ];
    const result = run('notes.xlsx', workbookBytes(rows, 'xlsx'));
    expect(result.notes.continuedLines).toBe(2);
    const list = orders(result.batchId);
    expect(list.map((o) => o.order_ref)).toEqual(['N-001']);
    expect(list[0]).toMatchObject({ status: 'valid', total_amount: 6000 });
  });

  it('takes a discount or fee row under a slip into the order, which then cannot pass without a look', () => {
    const headers = [...HEADERS, '金額', '備考'];
    const rows: SampleRow[] = [
      headers,
      [...head('D-001', 'A-1', 1000), 1000, null],
      [...more('A-2', 1000), 1000, null],
      ['', null, null, null, null, null, -500, null, null, -500, '値引き'],
    ];
    const result = run('discount.xlsx', workbookBytes(rows, 'xlsx'));
    const list = orders(result.batchId);
    expect(list.map((o) => o.order_ref)).toEqual(['D-001']);
    expect(list[0]?.status).toBe('invalid');
    expect(list[0]?.items.map((i) => i.row)).toEqual([2, 3, 4]);
  });

  it('leaves out a subtotal row under a slip, named 伝票計 or adding up to the lines above', () => {
    const headers = [...HEADERS, '金額'];
    const rows: SampleRow[] = [
      headers,
      [...head('T-001', 'A-1', 1000), 1000],
      [...more('A-2', 500), 500],
      ['', null, null, null, null, null, null, null, null, 1500],
      ['伝票計', null, null, null, null, 2, null, null, null, 1500],
    ];
    const result = run('subtotal.xlsx', workbookBytes(rows, 'xlsx'));
    const list = orders(result.batchId);
    expect(list.map((o) => o.order_ref)).toEqual(['T-001']);
    expect(list[0]).toMatchObject({ status: 'valid', total_amount: 1500 });
  });

  it('does not take a subtotal row (an amount only) for a line of the slip', () => {
    const rows: SampleRow[] = [HEADERS, head('ST-1', 'A-1', 1000), [null, null, null, null, null, null, 1000, null, null]];
    const result = run('st.csv', textBytes(rows, 'utf-8'));
    expect(result.notes.continuedLines).toBe(0);
    expect(orders(result.batchId).find((o) => o.order_ref === 'ST-1')).toMatchObject({ status: 'valid', total_amount: 1000 });
  });
});

describe('re-importing lines that were split off a slip', () => {
  const ja = createI18n('ja').t;

  it('adds rows given the order number in the error file to that order, and drops their stand-in orders', () => {
    // Row 3 names another customer (a typo), so it is split off as an order without a number ('?3').
    const rows: SampleRow[] = [HEADERS, head('N-001', 'S1', 1000), [null, 'C002', null, null, 'S2', 1, 2000, null, null]];
    const { batchId } = run('typo.csv', textBytes(rows, 'utf-8'));
    expect(orders(batchId).map((o) => [o.order_ref, o.status])).toEqual([
      ['N-001', 'valid'],
      ['?3', 'invalid'],
    ]);
    // The error file lists only row 3; staff write N-001 and the right customer on it.
    const exported = renderBatchExport(db(), { batchId, kind: 'errors', format: 'xlsx', encoding: 'utf-8', t: ja });
    const book = XLSX.read(exported.bytes, { type: 'buffer' });
    const sheet = book.Sheets[book.SheetNames[0] as string] as XLSX.WorkSheet;
    const table = XLSX.utils.sheet_to_json<(string | number | null)[]>(sheet, { header: 1, defval: null });
    expect(table).toHaveLength(2);
    const header = table[0] as string[];
    const line = table[1] as (string | number | null)[];
    line[header.indexOf('伝票番号')] = 'N-001';
    line[header.indexOf('得意先コード')] = 'C001';
    const fixed = XLSX.write(
      { SheetNames: ['errors'], Sheets: { errors: XLSX.utils.aoa_to_sheet(table) } },
      { type: 'buffer', bookType: 'xlsx' },
    );

    const result = reimportIntoBatch(db(), { batchId, fileName: 'fixed.xlsx', bytes: fixed, actor: 'sato' });
    expect(result).toMatchObject({ updated: 1, valid: 1, invalid: 0 });
    const list = orders(batchId);
    expect(list.map((o) => o.order_ref)).toEqual(['N-001']);
    expect(list[0]).toMatchObject({ status: 'valid', total_amount: 3000 });
    expect(list[0]?.items.map((i) => [i.sku, i.row])).toEqual([
      ['S1', 2],
      ['S2', 3],
    ]);
  });
});
