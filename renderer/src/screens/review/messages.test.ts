import type { LineRow } from '@shared/contract';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../../main/shared/i18n';
import { COLUMNS } from './columns';
import { columnMessages, lineMessages } from './messages';

const t = createI18n('ja').t;
const col = (key: string) => COLUMNS.findIndex((c) => c.key === key);

function line(patch: Partial<LineRow> = {}): LineRow {
  return {
    lineId: 1,
    orderRef: 'PO-000013',
    row: 14,
    lineNo: 1,
    lineCount: 1,
    status: 'valid',
    syncError: null,
    totalAmount: 1600,
    fields: { email: 'a@example.co.jp' },
    issues: [],
    ...patch,
  };
}

const broken = line({
  status: 'invalid',
  issues: [
    { field: 'email', code: 'INVALID_EMAIL', value: 'x' },
    { field: 'email', code: 'REQUIRED', value: '' },
    // Not a grid column: said in the status column.
    { field: 'currency', code: 'REQUIRED', value: '' },
  ],
  syncError: { kind: 'rejected', code: 'E1' },
});

describe("a line's problems in the grid's columns", () => {
  it('puts each issue in its field column, others and the sync error in status, and all of them in the errors column', () => {
    const columns = columnMessages(broken, t);
    expect(columns[col('email')]).toEqual({
      invalid: true,
      messages: ['メールがメールアドレスの形式ではありません。', 'メールが入力されていません。'],
    });
    expect(columns[col('status')]?.invalid).toBe(true);
    expect(columns[col('status')]?.messages).toHaveLength(2);
    expect(columns[col('status')]?.messages[1]).toContain('（E1）');
    expect(columns[col('errors')]?.messages).toEqual(lineMessages(broken, t));
    expect(columns[col('errors')]?.messages).toHaveLength(4);
    expect(columns[col('sku')]).toEqual({ invalid: false, messages: [] });
  });

  it('gives a line without problems no message in any column, also after lines with problems (nothing shared is changed)', () => {
    columnMessages(broken, t);
    const clean = columnMessages(line(), t);
    expect(clean).toHaveLength(COLUMNS.length);
    for (const column of clean) expect(column).toEqual({ invalid: false, messages: [] });
    // Worked out again for the same line: the same answer (the grid keeps it per row, not in a cache).
    expect(columnMessages(broken, t)).toEqual(columnMessages(broken, t));
  });
});
