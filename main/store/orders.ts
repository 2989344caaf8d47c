import { type Field, type FieldValues, ORDER_FIELDS, packFields, storedLineFields, unpackFields } from '../shared/fields';
import { hasBlocking, type OrderValidation, type ValidationIssue } from '../shared/validation';
import type { Db } from './database';

export interface StoredLine {
  id: number;
  lineNo: number;
  row: number;
  fields: Partial<Record<Field, string>>;
}

export interface StoredOrder {
  id: number;
  batchId: number;
  orderRef: string;
  validationStatus: 'pending' | 'valid' | 'invalid' | 'excluded';
  lines: StoredLine[];
}

export interface OrderSummary {
  order_ref: string;
  status: 'valid' | 'invalid' | 'excluded' | 'pending';
  sync_state: string | null;
  customer_id: string | null;
  customer_name: string | null;
  email: string | null;
  total_amount: number | null;
  items: { sku: string | null; quantity: number | null; unit_price: number | null; row: number }[];
  errors: string[];
  error_details: ValidationIssue[];
}

/** Order refs (from the given ones) already staged or synced in another batch. */
export function existingOrderRefs(db: Db, refs: readonly string[], exceptBatchId: number | null): Set<string> {
  const rows = db
    .prepare(
      `SELECT DISTINCT order_ref FROM orders
       WHERE order_ref IN (SELECT value FROM json_each(?)) AND (? IS NULL OR batch_id <> ?) AND validation_status <> 'excluded'`,
    )
    .all(JSON.stringify(refs), exceptBatchId, exceptBatchId) as { order_ref: string }[];
  return new Set(rows.map((r) => r.order_ref));
}

/**
 * An order with its lines, each line's fields as lineFieldValues reads them (its own over the order's): what
 * revalidation and edits work on. The order's own fields are stored on the orders row only.
 */
export function loadOrder(db: Db, batchId: number, orderRef: string): StoredOrder | undefined {
  const order = db
    .prepare(
      `SELECT id, batch_id, order_ref, validation_status, customer_id, customer_name, email, card_token, shipping_address, delivery_date, notes
       FROM orders WHERE batch_id = ? AND order_ref = ?`,
    )
    .get(batchId, orderRef) as
    | ({ id: number; batch_id: number; order_ref: string; validation_status: StoredOrder['validationStatus'] } & OrderFieldColumns)
    | undefined;
  if (!order) return undefined;
  const lines = db.prepare('SELECT id, line_no, source_row, fields FROM order_lines WHERE order_id = ? ORDER BY line_no').all(order.id) as {
    id: number;
    line_no: number;
    source_row: number;
    fields: string;
  }[];
  return {
    id: order.id,
    batchId: order.batch_id,
    orderRef: order.order_ref,
    validationStatus: order.validation_status,
    lines: lines.map((l) => ({ id: l.id, lineNo: l.line_no, row: l.source_row, fields: lineFieldValues(l.fields, order) })),
  };
}

/**
 * The orders-row values a validation result sets, in this order: customer_id, customer_name, email,
 * card_token, shipping_address, delivery_date, notes, total_amount, validation_status, errors.
 */
export function orderColumnValues(result: OrderValidation, excluded = false): (string | number | null)[] {
  const o = result.order;
  return [
    o.customer_id ?? null,
    o.customer_name ?? null,
    o.email ?? null,
    o.card_token ?? null,
    o.shipping_address ?? null,
    result.deliveryDate ?? o.delivery_date ?? null,
    o.notes ?? null,
    result.total,
    excluded ? 'excluded' : hasBlocking(result.issues) ? 'invalid' : 'valid',
    JSON.stringify(result.issues),
  ];
}

/**
 * Writes the outcome of (re)validation: the order's fields, total, status and errors on the orders row; each
 * line's own fields (storedLineFields) on the line.
 */
export function saveValidation(db: Db, order: StoredOrder, result: OrderValidation, now: string): void {
  db.prepare(
    `UPDATE orders SET customer_id = ?, customer_name = ?, email = ?, card_token = ?, shipping_address = ?, delivery_date = ?, notes = ?,
       total_amount = ?, validation_status = ?, errors = ?, updated_at = ? WHERE id = ?`,
  ).run(...orderColumnValues(result, order.validationStatus === 'excluded'), now, order.id);
  const updateLine = db.prepare('UPDATE order_lines SET sku = ?, quantity = ?, unit_price = ?, fields = ? WHERE id = ?');
  order.lines.forEach((line, i) => {
    const typed = result.lines[i];
    const fields = packFields(storedLineFields(line, result.order));
    updateLine.run(line.fields.sku ?? null, typed?.quantity ?? null, typed?.unitPrice ?? null, fields, line.id);
  });
}

export function listOrders(db: Db, batchId: number): OrderSummary[] {
  const orders = db
    .prepare(
      `SELECT o.id, o.order_ref, o.validation_status, o.customer_id, o.customer_name, o.email, o.total_amount, o.errors, s.state
       FROM orders o LEFT JOIN sync_state s ON s.order_id = o.id WHERE o.batch_id = ? ORDER BY o.id`,
    )
    .all(batchId) as {
    id: number;
    order_ref: string;
    validation_status: OrderSummary['status'];
    customer_id: string | null;
    customer_name: string | null;
    email: string | null;
    total_amount: number | null;
    errors: string;
    state: string | null;
  }[];
  const lines = db
    .prepare(
      `SELECT l.order_id, l.sku, l.quantity, l.unit_price, l.source_row FROM order_lines l
       JOIN orders o ON o.id = l.order_id WHERE o.batch_id = ? ORDER BY l.order_id, l.line_no`,
    )
    .all(batchId) as { order_id: number; sku: string | null; quantity: number | null; unit_price: number | null; source_row: number }[];
  const byOrder = new Map<number, OrderSummary['items']>();
  for (const line of lines) {
    const list = byOrder.get(line.order_id) ?? [];
    list.push({ sku: line.sku, quantity: line.quantity, unit_price: line.unit_price, row: line.source_row });
    byOrder.set(line.order_id, list);
  }
  return orders.map((o) => {
    const details = JSON.parse(o.errors) as ValidationIssue[];
    return {
      order_ref: o.order_ref,
      status: o.validation_status,
      sync_state: o.state,
      customer_id: o.customer_id,
      customer_name: o.customer_name,
      email: o.email,
      total_amount: o.total_amount,
      items: byOrder.get(o.id) ?? [],
      errors: [...new Set(details.map((d) => d.code))],
      error_details: details,
    };
  });
}

/** The order-field columns of an orders row, as the review and export queries read them. */
export interface OrderFieldColumns {
  customer_id: string | null;
  customer_name: string | null;
  email: string | null;
  card_token: string | null;
  shipping_address: string | null;
  delivery_date: string | null;
  notes: string | null;
}

/** A stored line's field values: its own where it has them (a conflicting value stays visible), else the order's. */
export function lineFieldValues(packedFields: string, order: OrderFieldColumns): FieldValues {
  const values: FieldValues = { ...unpackFields(packedFields) };
  for (const field of ORDER_FIELDS) {
    const value = order[field as keyof OrderFieldColumns];
    if (values[field] === undefined && value !== null) values[field] = value;
  }
  return values;
}

/** The validation issues (stored on the order) that concern one source row. */
export function issuesOnRow(errors: string, row: number): ValidationIssue[] {
  return (JSON.parse(errors) as ValidationIssue[]).filter((issue) => issue.row === row);
}

/**
 * Whether an order can no longer change (edit, exclude, re-import): its personal data was purged, the backend
 * already holds it, or its sync state is not one of `changeable` (an order never queued can always change).
 */
export function isOrderLocked(db: Db, orderId: number, changeable: readonly string[]): boolean {
  const row = db
    .prepare('SELECT o.purged_at, s.state, s.backend_order_id FROM orders o LEFT JOIN sync_state s ON s.order_id = o.id WHERE o.id = ?')
    .get(orderId) as { purged_at: string | null; state: string | null; backend_order_id: string | null } | undefined;
  if (!row) return false;
  if (row.purged_at !== null || row.backend_order_id !== null) return true;
  return row.state !== null && !changeable.includes(row.state);
}

/**
 * Whether the backend created the order but holds no payment for it and the sync gave up on it (declined,
 * refused): the order stays PENDING there and may be paid later, never created again.
 */
export function isCreatedUnpaid(db: Db, orderId: number): boolean {
  const row = db
    .prepare(
      `SELECT 1 FROM sync_state s JOIN orders o ON o.id = s.order_id
       WHERE s.order_id = ? AND s.state = 'failed' AND s.backend_order_id IS NOT NULL AND s.payment_id IS NULL AND o.purged_at IS NULL`,
    )
    .get(orderId);
  return row !== undefined;
}

/**
 * Puts a created-but-unpaid order back in line at the payment step, for the next sync to pay it. A fresh
 * idempotency key: a backend that replays results by key would otherwise answer the old decline again.
 * Returns whether the order was re-queued.
 */
export function requeueForPayment(db: Db, orderId: number, now: string): boolean {
  return (
    db
      .prepare(
        `UPDATE sync_state SET state = 'order_created', idempotency_key = lower(hex(randomblob(16))), attempts = 0, failed_step = NULL,
           error_class = NULL, error_code = NULL, detail = '{}', updated_at = ?
         WHERE order_id = ? AND state = 'failed' AND backend_order_id IS NOT NULL AND payment_id IS NULL`,
      )
      .run(now, orderId).changes > 0
  );
}
