import { describe, expect, it } from 'vitest';
import { importStore } from '../../tests/helpers/import';
import { ERAS, parseDate, readDate } from './dates';
import { editOrderField } from './edit';
import { SAMPLE_HEADERS, type SampleRow, sampleLine, textBytes, workbookBytes } from '../../scripts/fixtures/sample-sheets';

const { db, run } = importStore();
/** The import's day in these tests (local time): 2026-11-30. */
const TODAY = new Date(2026, 10, 30, 9, 0);

describe('reading dates', () => {
  it.each([
    ['令和7年12月1日', '2025-12-01'],
    ['令和７年１２月１日', '2025-12-01'],
    ['R7.12.1', '2025-12-01'],
    ['R07/12/01', '2025-12-01'],
    ['r7-12-1', '2025-12-01'],
    ['H31/4/30', '2019-04-30'],
    ['㋿8年1月5日', '2026-01-05'],
    ['令和 8年 1月 5日', '2026-01-05'],
    ['20251201', '2025-12-01'],
    ['2026/04/01 10:00', '2026-04-01'],
    ['2026-04-01T10:00:00', '2026-04-01'],
    ['2026年4月1日(水)', '2026-04-01'],
    ['2026/4/1', '2026-04-01'],
    ['12月1日', '2026-12-01'],
    ['12/1', '2026-12-01'],
    ['11/30', '2026-11-30'],
    ['11月29日', '2027-11-29'],
    ['2月29日', '2028-02-29'],
  ])('%s -> %s', (text, iso) => {
    expect(parseDate(text, TODAY)).toBe(iso);
  });

  it('says when the year was chosen', () => {
    expect(readDate('12/1', TODAY)).toEqual({ date: '2026-12-01', yearless: true });
    expect(readDate('令和8年12月1日', TODAY)).toEqual({ date: '2026-12-01', yearless: false });
  });

  it.each([
    ['平成31年4月30日', '2019-04-30'],
    ['平成31年5月1日', null],
    ['令和元年5月1日', '2019-05-01'],
    ['令和1年5月1日', '2019-05-01'],
    ['令和1年4月30日', null],
    ['昭和64年1月7日', '1989-01-07'],
    ['昭和64年1月8日', null],
    ['平成元年1月8日', '1989-01-08'],
    ['平成元年1月7日', null],
    ['大正15年12月24日', '1926-12-24'],
    // The era changed during 1926-12-25: the day is 大正15年 and 昭和元年 alike (1926-12-26 is not 大正).
    ['大正15年12月25日', '1926-12-25'],
    ['大正15年12月26日', null],
    ['昭和元年12月25日', '1926-12-25'],
    ['昭和元年12月24日', null],
    ['大正元年7月30日', '1912-07-30'],
    ['令和7年2月29日', null],
    ['令和0年5月1日', null],
    ['R7.13.1', null],
  ])('era boundary %s -> %s', (text, iso) => {
    expect(parseDate(text, TODAY)).toBe(iso);
  });

  it('uses era start days that agree with the Japanese calendar of Intl', () => {
    const era = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', timeZone: 'UTC' });
    const eraOf = (y: number, m: number, d: number) =>
      era.formatToParts(new Date(Date.UTC(y, m - 1, d))).find((p) => p.type === 'era')?.value;
    for (const { name, start } of ERAS) {
      const [y, m, d] = start;
      expect(eraOf(y, m, d), name).toBe(name);
      expect(eraOf(y, m, d - 1), name).not.toBe(name);
    }
  });

  it('reads number cells as serials or as yyyymmdd', () => {
    expect(parseDate({ t: 'n', v: 46357 }, TODAY)).toBe('2026-12-01');
    expect(parseDate({ t: 'n', v: 46357.5 }, TODAY)).toBe('2026-12-01');
    expect(parseDate({ t: 'n', v: 20251201 }, TODAY)).toBe('2025-12-01');
    expect(parseDate({ t: 'n', v: 20251301 }, TODAY)).toBeNull();
  });
});

describe('dates through the import', () => {
  const rows = (): SampleRow[] => [
    SAMPLE_HEADERS,
    sampleLine('D-1', { 希望納品日: '令和7年12月1日' }),
    sampleLine('D-2', { 希望納品日: 'R07/12/01' }),
    sampleLine('D-3', { 希望納品日: '12月1日' }),
    sampleLine('D-4', { 希望納品日: '12/24' }),
    sampleLine('D-5', { 希望納品日: 20251201 }),
    sampleLine('D-6', { 希望納品日: '2026/04/01 10:00' }),
    sampleLine('D-7', { 希望納品日: '平成31年5月1日' }),
  ];

  it.each([
    ['dates.xlsx', () => workbookBytes(rows(), 'xlsx')],
    ['dates.csv', () => textBytes(rows(), 'utf-8')],
  ])('%s: stores ISO dates, counts the ones without a year, flags an impossible era date', (name, bytes) => {
    const result = run(name, bytes(), { now: TODAY });
    const dates = db().prepare('SELECT order_ref, delivery_date FROM orders ORDER BY id').all() as { order_ref: string }[];
    expect(dates).toEqual([
      { order_ref: 'D-1', delivery_date: '2025-12-01' },
      { order_ref: 'D-2', delivery_date: '2025-12-01' },
      { order_ref: 'D-3', delivery_date: '2026-12-01' },
      { order_ref: 'D-4', delivery_date: '2026-12-24' },
      { order_ref: 'D-5', delivery_date: '2025-12-01' },
      { order_ref: 'D-6', delivery_date: '2026-04-01' },
      { order_ref: 'D-7', delivery_date: '平成31年5月1日' },
    ]);
    expect(result.errors.map((e) => [e.order_ref, e.field, e.code])).toEqual([['D-7', 'delivery_date', 'INVALID_DATE']]);
    expect(result.notes.datesWithoutYear).toBe(2);
    const notes = db().prepare('SELECT import_notes FROM batches WHERE id = ?').get(result.batchId) as { import_notes: string };
    expect(JSON.parse(notes.import_notes)).toMatchObject({ dates_without_year: 2 });
  });

  it('reads an edited date the same way, from the day of the edit', () => {
    const result = run('e.csv', textBytes([SAMPLE_HEADERS, sampleLine('DE-1', { 希望納品日: '13月1日' })], 'utf-8'), { now: TODAY });
    expect(result.orders.invalid).toBe(1);
    const edited = editOrderField(db(), {
      batchId: result.batchId,
      orderRef: 'DE-1',
      field: 'delivery_date',
      value: 'R8.1.5',
      actor: 'sato',
      now: TODAY,
    });
    expect(edited.issues).toEqual([]);
    expect(edited.deliveryDate).toBe('2026-01-05');
  });
});
