import { describe, expect, it } from 'vitest';
import { createI18n } from '../shared/i18n';
import { exportFileName } from './export';

describe('export file names', () => {
  // Local time: 08:30 on 30 November where the tests run is that day whatever the offset to UTC.
  const now = new Date(2026, 10, 30, 8, 30);

  it('names the file in Japanese for Japanese staff, with the local date', () => {
    const t = createI18n('ja').t;
    expect(exportFileName(t, 1, 'errors', 'xlsx', now)).toBe('エラー_バッチ1_2026-11-30.xlsx');
    expect(exportFileName(t, 12, 'success', 'csv', now)).toBe('連携結果_バッチ12_2026-11-30.csv');
  });

  it('names it in English for English staff', () => {
    const t = createI18n('en').t;
    expect(exportFileName(t, 1, 'errors', 'csv', now)).toBe('batch-1-errors-2026-11-30.csv');
    expect(exportFileName(t, 3, 'success', 'xlsx', now)).toBe('batch-3-success-2026-11-30.xlsx');
  });
});
