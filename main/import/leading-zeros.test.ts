import { describe, expect, it } from 'vitest';
import { SAMPLE_HEADERS, type SampleRow, sampleLine, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { importStore } from '../../tests/helpers/import';
import { lostLeadingZeros } from './leading-zeros';
import { reimportIntoBatch } from './reimport';

const { db, run } = importStore();
const HEADERS = [...SAMPLE_HEADERS, 'TEL'];
const line = (values: Record<string, string | number>) => [...sampleLine(String(values.注文番号), values), values.TEL ?? null];

/** The batch as first imported: codes written as text, with their leading zeros; one order to fix (quantity). */
function original(): number {
  const rows = [
    HEADERS,
    line({ 注文番号: '00123', 得意先コード: '00456', 品番: '007', 数量: -1, TEL: '0312345678' }),
    line({ 注文番号: 'R-2', 得意先コード: '0789', 品番: 'SKU-9', 数量: -1, TEL: '0312345679' }),
  ];
  return run('orders.xlsx', workbookBytes(rows, 'xlsx')).batchId;
}

function reimport(batchId: number, rows: SampleRow[]) {
  return reimportIntoBatch(db(), { batchId, fileName: 'fixed.xlsx', bytes: workbookBytes([HEADERS, ...rows], 'xlsx'), actor: 'tester' });
}

const stored = () =>
  db()
    .prepare(
      `SELECT o.order_ref, o.customer_id, l.sku, l.quantity, l.raw_cells, o.validation_status FROM orders o
       JOIN order_lines l ON l.order_id = o.id ORDER BY o.id`,
    )
    .all();

describe('re-importing a file Excel saved with codes as numbers', () => {
  it('keeps the stored codes whose leading zeros Excel dropped, and says how many', () => {
    const batchId = original();
    // What Excel writes back for a General cell: the numbers 123, 456, 7, 312345678 (no leading zeros).
    const result = reimport(batchId, [
      line({ 注文番号: 123, 得意先コード: 456, 品番: 7, 数量: 2, TEL: 312345678 }),
      line({ 注文番号: 'R-2', 得意先コード: 789, 品番: 'SKU-9', 数量: 3, TEL: 312345679 }),
    ]);

    expect(result).toMatchObject({ updated: 2, valid: 2, notInBatch: [], zerosRestored: 6 });
    expect(stored()).toEqual([
      { order_ref: '00123', customer_id: '00456', sku: '007', quantity: 2, raw_cells: '{"11":"0312345678"}', validation_status: 'valid' },
      { order_ref: 'R-2', customer_id: '0789', sku: 'SKU-9', quantity: 3, raw_cells: '{"11":"0312345679"}', validation_status: 'valid' },
    ]);
    const audit = db().prepare("SELECT details FROM audit_log WHERE action = 'batch.reimported'").pluck().get() as string;
    expect(JSON.parse(audit)).toMatchObject({ zeros_restored: 6 });
  });

  it('takes a code staff really changed, and one that was never zero-padded, as the file has it', () => {
    const batchId = original();
    const result = reimport(batchId, [line({ 注文番号: '00123', 得意先コード: 457, 品番: '7', 数量: 2, TEL: '0312345670' })]);
    expect(result).toMatchObject({ updated: 1, zerosRestored: 1 });
    // 457 is not 00456 without its zeros; "7" (typed as text) is 007 without them: put back.
    expect(stored()[0]).toMatchObject({ customer_id: '457', sku: '007', raw_cells: '{"11":"0312345670"}' });
  });

  it('compares digits only, zeros in front only', () => {
    expect(lostLeadingZeros('123', '00123')).toBe(true);
    expect(lostLeadingZeros('0', '000')).toBe(true);
    expect(lostLeadingZeros('123', '123')).toBe(false);
    expect(lostLeadingZeros('1230', '01230')).toBe(true);
    expect(lostLeadingZeros('123', '01230')).toBe(false);
    expect(lostLeadingZeros('123', 'A0123')).toBe(false);
    expect(lostLeadingZeros('12.3', '012.3')).toBe(false);
  });
});
