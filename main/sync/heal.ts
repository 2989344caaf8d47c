import type { Db } from '../store/database';
import type { Admission } from './admission';
import type { BackendClient } from './client';
import { type SyncOrder, transition } from './state';

/**
 * Self-healing: an order in review is looked up again at the start of every run, and continues from what
 * the backend says: an order found is adopted (then paid and notified), a payment found is adopted (then
 * notified), an order or payment the backend does not have is sent again (safe: the look-up settled it).
 * What the backend still cannot settle (no look-up, a payment the backend says exists but cannot show, an
 * order the backend does not know) stays in review with its reason.
 */
export async function healOrder(db: Db, client: BackendClient, admission: Admission, order: SyncOrder): Promise<void> {
  const save = (state: SyncOrder['state'], extra: { backendOrderId?: string; paymentId?: string; transactionId?: string } = {}) =>
    transition(
      db,
      order,
      { state, ...extra, attempts: 0, inFlightSince: null, detail: { healed: true, was: order.errorClass ?? 'unknown' } },
      new Date().toISOString(),
    );
  if (order.paymentId !== null) return save('paid');
  if (order.backendOrderId === null) {
    const outcome = await admission.call('orders', () => client.findOrders(order.clientReference));
    if (outcome.kind !== 'ok') return;
    const found = outcome.body[0];
    if (found) {
      admission.markDone('orders');
      return save('order_created', { backendOrderId: found.id });
    }
    return save('queued');
  }
  if (order.errorClass === 'order_missing') return;
  const outcome = await admission.call('payments', () => client.findPayment(order.backendOrderId as string));
  if (outcome.kind === 'ok') {
    admission.markDone('payments');
    return save('paid', { paymentId: outcome.body.id, transactionId: outcome.body.transaction_id });
  }
  if (outcome.kind === 'rejected' && outcome.status === 404 && order.errorClass !== 'conflict') save('order_created');
}
