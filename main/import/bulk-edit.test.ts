import { describe, expect, it } from 'vitest';
import { importKit } from '../../tests/helpers/import';
import { sampleOrderRows, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { listAudit } from '../audit/log';
import { matchField } from '../review/lines';
import { editOrdersInBulk } from './bulk-edit';

const { store, run, orders } = importKit();

function auditOf(action: string) {
  return listAudit(store.db).filter((e) => e.action === action);
}

describe('bulk edit', () => {
  it('applies many edits as one transaction and one audit entry with counts, never values', () => {
    const batch = run('orders.xlsx', workbookBytes(sampleOrderRows({ orders: 20, maxLines: 1, withErrors: true }), 'xlsx')).batchId;
    const before = auditOf('order.edited').length;
    const result = editOrdersInBulk(store.db, {
      batchId: batch,
      kind: 'set',
      edits: ['PO-000007', 'PO-000013', 'PO-000001'].map((orderRef) => ({ orderRef, field: 'email', value: `${orderRef}@example.co.jp` })),
      actor: 'sato',
    });
    expect(result).toMatchObject({ applied: 3, changed: 3, orders: 3, valid: 3, refused: [] });
    const byRef = new Map(orders(batch).map((o) => [o.order_ref, o]));
    expect(byRef.get('PO-000013')).toMatchObject({ status: 'valid', email: 'PO-000013@example.co.jp' });
    const entries = auditOf('orders.bulk_edited');
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]?.details ?? '{}')).toEqual({
      kind: 'set',
      fields: 'email',
      applied: 3,
      changed: 3,
      orders: 3,
      valid: 3,
      refused: 0,
    });
    expect(entries[0]?.details).not.toContain('example');
    // No per-edit entries: the bulk change is one entry; the edit log still has each edit (without values).
    expect(auditOf('order.edited')).toHaveLength(before);
    expect((store.db.prepare('SELECT count(*) AS n FROM order_edits').get() as { n: number }).n).toBe(3);
  });

  it('reports an edit the order refuses and applies the others', () => {
    const batch = run('orders.xlsx', workbookBytes(sampleOrderRows({ orders: 3, maxLines: 1 }), 'xlsx')).batchId;
    const result = editOrdersInBulk(store.db, {
      batchId: batch,
      kind: 'paste',
      edits: [
        { orderRef: 'PO-000001', field: 'notes', value: 'a' },
        { orderRef: 'PO-999999', field: 'notes', value: 'b' },
      ],
      actor: 'sato',
    });
    expect(result.applied).toBe(1);
    expect(result.refused).toEqual([{ orderRef: 'PO-999999', row: null, code: 'ORDER_NOT_FOUND' }]);
  });

  it('finds the lines whose field contains a text, under the filter', () => {
    const batch = run('orders.xlsx', workbookBytes(sampleOrderRows({ orders: 20, maxLines: 2 }), 'xlsx')).batchId;
    const all = matchField(store.db, { batchId: batch, field: 'email', find: '' });
    // Every line, an order field shown on each line of its order.
    expect(all.total).toBe((store.db.prepare('SELECT count(*) AS n FROM order_lines').get() as { n: number }).n);
    const one = matchField(store.db, { batchId: batch, field: 'email', find: 'order13@' });
    expect(one.lines.map((l) => l.orderRef)).toEqual(['PO-000013']);
  });
});
