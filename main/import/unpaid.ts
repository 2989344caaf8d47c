import { AppError } from '../shared/errors';
import { type Field, UNPAID_FIXABLE_FIELDS } from '../shared/fields';
import type { Db } from '../store/database';
import { isCreatedUnpaid, isOrderLocked } from '../store/orders';

/** What an order created at the backend but not paid may still change (everything else would need a new order). */
export const UNPAID_FIXABLE: ReadonlySet<Field> = new Set(UNPAID_FIXABLE_FIELDS);

/**
 * Whether staff may change this field of the order now: 'open' (never sent: anything), 'unpaid' (created at
 * the backend, payment failed: only UNPAID_FIXABLE, and the change re-queues the payment). Throws why not.
 */
export function editAccess(
  db: Db,
  order: { id: number; orderRef: string },
  field: Field,
  changeable: readonly string[],
): 'open' | 'unpaid' {
  if (!isOrderLocked(db, order.id, changeable)) return 'open';
  if (!isCreatedUnpaid(db, order.id)) throw new AppError('ORDER_NOT_EDITABLE', { orderRef: order.orderRef });
  if (!UNPAID_FIXABLE.has(field)) throw new AppError('ORDER_CREATED_FIELD_LOCKED', { orderRef: order.orderRef, field });
  return 'unpaid';
}
