import { describe, expect, it } from 'vitest';
import { caught, importStorePerTest } from '../../tests/helpers/import';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { listOrders } from '../store/orders';
import { previewImport } from './preview';
import { readSpreadsheet } from './reader';
import { reimportIntoBatch } from './reimport';
import { sampleOrderRows, textBytes, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { KANA_HEADERS, KANA_MAP, kanaSheet } from '../../tests/helpers/sample-layouts';

const tempDir = tempDirsPerTest();
const { store: currentStore, run } = importStorePerTest(tempDir);

describe('header row chosen by staff', () => {
  it('is needed when no header is recognised: the overrides alone do not find it', () => {
    const bytes = workbookBytes(kanaSheet('K'), 'xlsx');
    expect(caught(() => run('kana.xlsx', bytes, { overrides: KANA_MAP })).code).toBe('IMPORT_NO_HEADER');
  });

  it.each([
    ['kana.xlsx', () => workbookBytes(kanaSheet('K'), 'xlsx')],
    ['kana.csv', () => textBytes(kanaSheet('K'), 'shift_jis')],
  ])('lets the mapping name columns by header text in %s', (fileName, bytes) => {
    const result = run(fileName, bytes(), { headerRow: 3, overrides: KANA_MAP });
    expect(result).toMatchObject({ headerRow: 3, orders: { total: 2, valid: 2, invalid: 0 }, lines: 3 });
    expect(listOrders(currentStore().db, result.batchId).map((o) => [o.order_ref, o.total_amount, o.items.length])).toEqual([
      ['K-1', 3600, 2],
      ['K-2', 3000, 1],
    ]);
  });

  it('lets the mapping name columns by number', () => {
    const byNumber = Object.fromEntries(
      Object.entries(KANA_MAP).map(([field, header]) => [field, String(KANA_HEADERS.indexOf(header) + 1)]),
    );
    const result = run('kana.xlsx', workbookBytes(kanaSheet('N'), 'xlsx'), { headerRow: 3, overrides: byNumber });
    expect(result.orders).toEqual({ total: 2, valid: 2, invalid: 0 });
  });

  it('refuses a header row that is blank or outside the sheet', () => {
    const bytes = workbookBytes(kanaSheet('K'), 'xlsx');
    for (const headerRow of [2, 99]) {
      expect(caught(() => run('kana.xlsx', bytes, { headerRow, overrides: KANA_MAP }))).toMatchObject({
        code: 'IMPORT_HEADER_ROW_INVALID',
        params: { row: headerRow, file: 'kana.xlsx' },
      });
    }
  });

  it('overrides a detected header row', () => {
    const bytes = workbookBytes(sampleOrderRows({ orders: 2, prefix: 'D' }), 'xlsx');
    expect(run('d.xlsx', bytes, { headerRow: 3 })).toMatchObject({ headerRow: 3, orders: { total: 2, valid: 2 } });
    // Row 1 is the title the detector skips: made the header, it maps nothing.
    expect(caught(() => run('d2.xlsx', bytes, { headerRow: 1 })).code).toBe('IMPORT_MAPPING_INCOMPLETE');
  });

  it('shows the preview from the row given, with every field to map, then mapped', () => {
    const read = readSpreadsheet('kana.xlsx', workbookBytes(kanaSheet('K'), 'xlsx'));
    expect(caught(() => previewImport(currentStore().db, { fileName: 'kana.xlsx', read })).code).toBe('IMPORT_NO_HEADER');
    const bare = previewImport(currentStore().db, { fileName: 'kana.xlsx', read, headerRow: 3 });
    expect(bare.headerRow).toBe(3);
    expect(bare.headers[6]).toBe('タンカ');
    expect(bare.missingRequired).toContain('unit_price');
    expect(bare.rows[0]?.row).toBe(4);
    const mapped = previewImport(currentStore().db, { fileName: 'kana.xlsx', read, headerRow: 3, overrides: KANA_MAP });
    expect(mapped.missingRequired).toEqual([]);
    expect(mapped.mapping.unit_price).toBe(6);
  });

  it('works for a re-import of the same layout', () => {
    const first = run('kana.xlsx', workbookBytes(kanaSheet('R'), 'xlsx'), { headerRow: 3, overrides: KANA_MAP });
    const fixed = kanaSheet('R').map((row, i) => (i === 4 ? row.map((cell, c) => (c === 5 ? 5 : cell)) : row));
    const result = reimportIntoBatch(currentStore().db, {
      batchId: first.batchId,
      fileName: 'fixed.xlsx',
      bytes: workbookBytes(fixed, 'xlsx'),
      headerRow: 3,
      actor: 'tester',
    });
    expect(result).toMatchObject({ updated: 2, valid: 2 });
    expect(listOrders(currentStore().db, first.batchId)[0]?.total_amount).toBe(3000 + 5 * 300);
  });
});
