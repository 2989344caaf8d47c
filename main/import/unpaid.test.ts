import { describe, expect, it } from 'vitest';
import { codeOf, importKit } from '../../tests/helpers/import';
import { sampleOrderRows, textBytes, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { editOrderField } from './edit';
import { reimportIntoBatch } from './reimport';

const { store, run } = importKit();

/** Two orders; PO-000001 created at the backend and its payment declined, PO-000002 synced. */
function seed() {
  const batchId = run('orders.xlsx', workbookBytes(sampleOrderRows({ orders: 2, maxLines: 1 }), 'xlsx')).batchId;
  const state = store.db.prepare(
    `INSERT INTO sync_state (order_id, state, idempotency_key, backend_order_id, payment_id, failed_step, error_class, error_code, attempts, updated_at)
     SELECT id, ?, 'key-' || order_ref, 'B-' || order_ref, ?, ?, ?, ?, 1, datetime('now') FROM orders WHERE order_ref = ?`,
  );
  state.run('failed', null, 'payment', 'declined', 'CARD_DECLINED', 'PO-000001');
  state.run('done', 'P-2', null, null, null, 'PO-000002');
  return batchId;
}

const syncRow = (ref: string) =>
  store.db
    .prepare(
      'SELECT s.state, s.idempotency_key AS key, s.error_class AS error FROM sync_state s JOIN orders o ON o.id = s.order_id WHERE o.order_ref = ?',
    )
    .get(ref) as { state: string; key: string; error: string | null };

describe('an order created at the backend whose payment failed', () => {
  it('takes a new payment token and goes back in line at the payment step', () => {
    const batchId = seed();
    const fixed = editOrderField(store.db, { batchId, orderRef: 'PO-000001', field: 'card_token', value: 'tok_new', actor: 'sato' });
    expect(fixed.issues).toEqual([]);
    const after = syncRow('PO-000001');
    expect(after).toMatchObject({ state: 'order_created', error: null });
    // A fresh payment key: a backend that replays by key would answer the old decline again.
    expect(after.key).not.toBe('key-PO-000001');
  });

  it('refuses a field that would change the created order, and any field of a paid one', () => {
    const batchId = seed();
    expect(codeOf(() => editOrderField(store.db, { batchId, orderRef: 'PO-000001', field: 'quantity', value: '9', actor: 'sato' }))).toBe(
      'ORDER_CREATED_FIELD_LOCKED',
    );
    expect(syncRow('PO-000001').state).toBe('failed');
    expect(
      codeOf(() => editOrderField(store.db, { batchId, orderRef: 'PO-000002', field: 'card_token', value: 'tok_x', actor: 'sato' })),
    ).toBe('ORDER_NOT_EDITABLE');
  });

  it('takes the new token from a re-imported file, and nothing that would change the order', () => {
    const batchId = seed();
    const rows = sampleOrderRows({ orders: 2, maxLines: 1 });
    const header = rows[2] as string[];
    const token = header.indexOf('決済トークン');
    const quantity = header.indexOf('数量');
    (rows[3] as (string | number)[])[token] = 'tok_fixed';
    (rows[3] as (string | number)[])[quantity] = 7;
    const result = reimportIntoBatch(store.db, { batchId, fileName: 'fixed.csv', bytes: textBytes(rows, 'utf-8'), actor: 'sato' });
    expect(result).toMatchObject({ updated: 1, valid: 1, paymentFixed: ['PO-000001'], locked: ['PO-000002'] });
    expect(syncRow('PO-000001').state).toBe('order_created');
    const stored = store.db.prepare("SELECT card_token FROM orders WHERE order_ref = 'PO-000001'").pluck().get();
    expect(stored).toBe('tok_fixed');
    const lines = store.db
      .prepare("SELECT l.quantity FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.order_ref = 'PO-000001'")
      .pluck()
      .all();
    expect(lines).not.toContain(7);
  });
});
