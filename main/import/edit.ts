import { appendAudit } from '../audit/log';
import { AppError } from '../shared/errors';
import { assertBatch } from '../store/batches';
import type { Db } from '../store/database';
import { existingOrderRefs, isOrderLocked, loadOrder, requeueForPayment, type StoredOrder, saveValidation } from '../store/orders';
import { editAccess } from './unpaid';
import { type Field, isField, ORDER_FIELDS } from '../shared/fields';
import { editedText } from './cells';
import { scanCardNumbers } from './normalize';
import { MISSING_REF_PREFIX } from './slips';
import type { MasterIndex } from '../masters/checks';
import { codesOf, loadMasterIndex } from '../masters/load';
import { batchCodes } from '../store/masters';
import { hasBlocking } from '../shared/validation';
import { type OrderValidation, validateOrder } from './validate';

/** Revalidates a stored order; `masters` are the rows loaded for its batch (else its own are looked up). */
export function revalidate(db: Db, order: StoredOrder, now: string, masters?: MasterIndex | null): OrderValidation {
  const duplicate = !order.orderRef.startsWith(MISSING_REF_PREFIX) && existingOrderRefs(db, [order.orderRef], order.batchId).size > 0;
  const result = validateOrder(
    order.lines.map((line) => ({ row: line.row, fields: line.fields })),
    { duplicate, masters: masters === undefined ? loadMasterIndex(db, codesOf(order.lines), new Date(now)) : masters },
  );
  saveValidation(db, order, result, now);
  return result;
}

export interface EditRequest {
  batchId: number;
  orderRef: string;
  field: string;
  value: string;
  /** For a line field (sku, quantity, unit_price) of an order with several lines: the line's source row. */
  row?: number;
  actor: string;
  now?: Date;
  /** The master check whose suggestion staff applied (recorded in the audit entry), when the edit is one. */
  applied?: 'UNKNOWN_SKU' | 'PRICE_MISMATCH';
}

/**
 * Changes one field of a staged order and revalidates it. Order fields change on every line of the order;
 * line fields on the line named by its source row. The edit is recorded in the edit log and the audit log
 * by field, row, who and when, and whether the value changed: never the value, and no hash of it either.
 * Not even a keyed hash: the audit log is append-only and outlives retention, and anyone holding the store
 * key (which a keyed hash would be derived from) could still confirm a guessed email, phone number or token
 * against it long after the value itself was purged. What an auditor needs (who changed what, when, and
 * whether the order became valid) does not need the value.
 */
export function editOrderField(db: Db, request: EditRequest): OrderValidation {
  return db
    .transaction(() => {
      const edit = applyEdit(db, request);
      appendAudit(db, {
        actor: request.actor,
        action: 'order.edited',
        batchId: request.batchId,
        orderRef: request.orderRef,
        details: {
          field: request.field,
          row: edit.row,
          changed: edit.changed,
          valid: !hasBlocking(edit.result.issues),
          ...(request.applied ? { applied: request.applied } : {}),
        },
      });
      return edit.result;
    })
    .immediate();
}

/** What one applied edit did: the row it touched (null for an order field), whether the value changed. */
export interface AppliedEdit {
  orderId: number;
  row: number | null;
  changed: boolean;
  result: OrderValidation;
}

/**
 * One edit inside the caller's transaction, without an audit entry (the caller writes one: per edit, or
 * one for a bulk change). Throws AppError when the order is missing, locked or the field is not editable.
 */
export function applyEdit(db: Db, request: Omit<EditRequest, 'actor'> & { actor: string }): AppliedEdit {
  const now = (request.now ?? new Date()).toISOString();
  if (!isField(request.field) || request.field === 'order_ref') throw new AppError('INVALID_INPUT', { field: request.field });
  const field: Field = request.field;
  const order = loadOrder(db, request.batchId, request.orderRef);
  if (!order) throw new AppError('ORDER_NOT_FOUND', { batchId: request.batchId, orderRef: request.orderRef });
  // An order the backend holds, that is under way, or whose personal data is gone (retention) cannot change;
  // one created there but not paid can take a new payment token (and fields its order never carried).
  const access = editAccess(db, order, field, ['queued']);
  // Normalised as an imported cell of the field would be; a card number is masked, never stored.
  const value = scanCardNumbers(editedText(field, request.value, request.now ?? new Date())).masked;
  const isOrderField = ORDER_FIELDS.includes(field);
  // An order field belongs to the order: it is kept on the first line, the others inherit it.
  const targets = isOrderField
    ? order.lines.slice(0, 1)
    : order.lines.filter((line) => (request.row === undefined ? order.lines.length === 1 : line.row === request.row));
  if (targets.length === 0) throw new AppError('INVALID_INPUT', { field: 'row' });
  const current = isOrderField ? (order.lines.find((line) => line.fields[field])?.fields[field] ?? '') : (targets[0]?.fields[field] ?? '');
  const row = isOrderField ? null : (targets[0]?.row ?? null);
  db.prepare('INSERT INTO order_edits (order_id, source_row, field, edited_by, edited_at) VALUES (?, ?, ?, ?, ?)').run(
    order.id,
    row,
    field,
    request.actor,
    now,
  );
  for (const line of isOrderField ? order.lines : targets) delete line.fields[field];
  for (const line of targets) if (value !== '') line.fields[field] = value;
  const result = revalidate(db, order, now);
  // The fix is in: the next sync takes the payment (the order step is done and is never repeated).
  if (access === 'unpaid' && value !== current && !hasBlocking(result.issues)) requeueForPayment(db, order.id, now);
  return { orderId: order.id, row, changed: value !== current, result };
}

/** Re-runs validation for every order of a batch (e.g. after another batch made an order_ref a duplicate). */
export function revalidateBatch(
  db: Db,
  batchId: number,
  actor: string,
  now = new Date(),
): { total: number; valid: number; invalid: number } {
  return db
    .transaction(() => {
      const refs = db.prepare("SELECT order_ref FROM orders WHERE batch_id = ? AND validation_status <> 'excluded'").all(batchId) as {
        order_ref: string;
      }[];
      if (refs.length === 0) assertBatch(db, batchId);
      let valid = 0;
      const masters = loadMasterIndex(db, batchCodes(db, batchId), now);
      for (const { order_ref: ref } of refs) {
        const order = loadOrder(db, batchId, ref);
        if (order && !hasBlocking(revalidate(db, order, now.toISOString(), masters).issues)) valid += 1;
      }
      const counts = { total: refs.length, valid, invalid: refs.length - valid };
      appendAudit(db, { actor, action: 'batch.validated', batchId, details: counts });
      return counts;
    })
    .immediate();
}

/**
 * Excludes orders from sync (they stay staged, with their data, and can be included again) or includes
 * them again, revalidated. Synced or in-flight orders cannot change. Each change is in the audit log.
 */
export function setOrdersExcluded(
  db: Db,
  request: { batchId: number; orderRefs: readonly string[]; excluded: boolean; actor: string; now?: Date },
): { changed: number } {
  const now = (request.now ?? new Date()).toISOString();
  return db
    .transaction(() => {
      let changed = 0;
      for (const ref of request.orderRefs) {
        const order = loadOrder(db, request.batchId, ref);
        if (!order) throw new AppError('ORDER_NOT_FOUND', { batchId: request.batchId, orderRef: ref });
        if ((order.validationStatus === 'excluded') === request.excluded) continue;
        if (isOrderLocked(db, order.id, ['queued'])) throw new AppError('ORDER_NOT_EDITABLE', { orderRef: order.orderRef });
        if (request.excluded) {
          db.prepare("UPDATE orders SET validation_status = 'excluded', updated_at = ? WHERE id = ?").run(now, order.id);
        } else {
          revalidate(db, { ...order, validationStatus: 'pending' }, now);
        }
        appendAudit(db, {
          actor: request.actor,
          action: request.excluded ? 'order.excluded' : 'order.included',
          batchId: order.batchId,
          orderRef: order.orderRef,
        });
        changed += 1;
      }
      return { changed };
    })
    .immediate();
}
