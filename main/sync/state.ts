import type { Db } from '../store/database';
import { parkForReview, purgedUnfinished } from '../store/purge';

export const SYNC_STATES = [
  'queued',
  'order_in_flight',
  'order_created',
  'payment_in_flight',
  'paid',
  'notification_in_flight',
  'done',
  'failed',
  'needs_review',
] as const;
export type SyncState = (typeof SYNC_STATES)[number];
export type Step = 'order' | 'payment' | 'notification';

export interface SyncOrder {
  orderId: number;
  batchId: number;
  orderRef: string;
  clientReference: string;
  idempotencyKey: string;
  state: SyncState;
  backendOrderId: string | null;
  paymentId: string | null;
  transactionId: string | null;
  attempts: number;
  inFlightSince: number | null;
  totalAmount: number;
  failedStep: Step | null;
  errorClass: string | null;
}

/** The Idempotency-Key of an order's call at a step: stable across re-sends, crashes and restarts. */
export function stepKey(order: SyncOrder, step: Step): string {
  return `${order.idempotencyKey}-${step}`;
}

/** Puts every valid order of the batches in the queue (once: orders already known keep their state; purged ones never). */
export function enqueue(db: Db, batchIds: readonly number[], now: string): number {
  return db
    .prepare(
      `INSERT INTO sync_state (order_id, state, idempotency_key, updated_at)
       SELECT o.id, 'queued', lower(hex(randomblob(16))), ? FROM orders o
       WHERE o.batch_id IN (SELECT value FROM json_each(?)) AND o.validation_status = 'valid' AND o.purged_at IS NULL
       ON CONFLICT (order_id) DO NOTHING`,
    )
    .run(now, JSON.stringify(batchIds)).changes;
}

/**
 * Orders of the batches whose personal data retention deleted while their sync state still says queued or
 * mid-way (a store restored from a backup, a state left by a crash): they go to needs review
 * (RETENTION_PURGED) instead of being sent with blank fields. Run with enqueue, before the run reads its queue.
 */
export function parkPurged(db: Db, batchIds: readonly number[], now: string): number {
  const ids = purgedUnfinished(db, batchIds);
  parkForReview(db, ids, 'RETENTION_PURGED', now);
  return ids.length;
}

const ORDER_COLUMNS = `s.order_id, o.batch_id, o.order_ref, o.client_reference, s.idempotency_key, s.state, s.backend_order_id, s.payment_id,
  s.transaction_id, s.attempts, s.in_flight_since, o.total_amount, s.failed_step, s.error_class`;

function toSyncOrder(row: Record<string, unknown>): SyncOrder {
  return {
    orderId: row.order_id as number,
    batchId: row.batch_id as number,
    orderRef: row.order_ref as string,
    clientReference: row.client_reference as string,
    idempotencyKey: row.idempotency_key as string,
    state: row.state as SyncState,
    backendOrderId: row.backend_order_id as string | null,
    paymentId: row.payment_id as string | null,
    transactionId: row.transaction_id as string | null,
    attempts: row.attempts as number,
    inFlightSince: row.in_flight_since as number | null,
    totalAmount: row.total_amount as number,
    failedStep: row.failed_step as Step | null,
    errorClass: row.error_class as string | null,
  };
}

/** Orders of the batches that still have work to do, in import order. */
export function pendingOrders(db: Db, batchIds: readonly number[]): SyncOrder[] {
  return (
    db
      .prepare(
        `SELECT ${ORDER_COLUMNS} FROM sync_state s JOIN orders o ON o.id = s.order_id
         WHERE o.batch_id IN (SELECT value FROM json_each(?)) AND s.state NOT IN ('done', 'failed', 'needs_review')
         ORDER BY s.order_id`,
      )
      .all(JSON.stringify(batchIds)) as Record<string, unknown>[]
  ).map(toSyncOrder);
}

/** Orders of the batches waiting for staff review: each run first looks them up again (self-healing). */
export function reviewOrders(db: Db, batchIds: readonly number[]): SyncOrder[] {
  return (
    db
      .prepare(
        `SELECT ${ORDER_COLUMNS} FROM sync_state s JOIN orders o ON o.id = s.order_id
         WHERE o.batch_id IN (SELECT value FROM json_each(?)) AND s.state = 'needs_review' AND o.purged_at IS NULL
         ORDER BY s.order_id`,
      )
      .all(JSON.stringify(batchIds)) as Record<string, unknown>[]
  ).map(toSyncOrder);
}

export interface OrderPayloads {
  order: unknown;
  payment: (backendOrderId: string) => unknown;
  notification: (backendOrderId: string) => unknown;
}

/** The request bodies for an order, built from the store when they are needed (not kept in memory). */
export function payloadsFor(db: Db, orderId: number): OrderPayloads {
  const o = db
    .prepare(
      'SELECT customer_id, customer_name, email, card_token, shipping_address, total_amount, client_reference FROM orders WHERE id = ?',
    )
    .get(orderId) as Record<string, string | number>;
  const items = db.prepare('SELECT sku, quantity, unit_price FROM order_lines WHERE order_id = ? ORDER BY line_no').all(orderId);
  return {
    order: {
      customer_id: o.customer_id,
      customer_name: o.customer_name,
      items,
      total_amount: o.total_amount,
      currency: 'JPY',
      shipping_address: o.shipping_address,
      client_reference: o.client_reference,
    },
    payment: (backendOrderId) => ({
      order_id: backendOrderId,
      amount: o.total_amount,
      currency: 'JPY',
      payment_method: 'credit_card',
      card_token: o.card_token,
    }),
    notification: (backendOrderId) => ({ order_id: backendOrderId, channel: 'email', recipient: o.email, template: 'order_confirmed' }),
  };
}

export interface Transition {
  state: SyncState;
  backendOrderId?: string | null;
  paymentId?: string | null;
  transactionId?: string | null;
  notificationId?: string | null;
  attempts?: number;
  inFlightSince?: number | null;
  failedStep?: Step | null;
  errorClass?: string | null;
  errorCode?: string | null;
  detail?: Record<string, string | number | boolean | null>;
}

/**
 * Records a state change, committed before the next call is made (write-ahead): after a crash at any
 * instant, the store says which call may have happened.
 */
export function transition(db: Db, order: SyncOrder, change: Transition, now: string): void {
  const next: SyncOrder = {
    ...order,
    state: change.state,
    backendOrderId: change.backendOrderId !== undefined ? change.backendOrderId : order.backendOrderId,
    paymentId: change.paymentId !== undefined ? change.paymentId : order.paymentId,
    transactionId: change.transactionId !== undefined ? change.transactionId : order.transactionId,
    attempts: change.attempts ?? order.attempts,
    inFlightSince: change.inFlightSince !== undefined ? change.inFlightSince : order.inFlightSince,
    failedStep: change.failedStep ?? null,
    errorClass: change.errorClass ?? null,
  };
  db.prepare(
    `UPDATE sync_state SET state = ?, backend_order_id = ?, payment_id = ?, transaction_id = ?, notification_id = coalesce(?, notification_id),
       attempts = ?, in_flight_since = ?, failed_step = ?, error_class = ?, error_code = ?, detail = coalesce(?, detail), updated_at = ?
     WHERE order_id = ?`,
  ).run(
    next.state,
    next.backendOrderId,
    next.paymentId,
    next.transactionId,
    change.notificationId ?? null,
    next.attempts,
    next.inFlightSince,
    change.failedStep ?? null,
    change.errorClass ?? null,
    change.errorCode ?? null,
    change.detail === undefined ? null : JSON.stringify(change.detail),
    now,
    order.orderId,
  );
  Object.assign(order, next);
}

/**
 * Puts failed orders of the batches back in line, at the step they failed (a paid order is never re-paid).
 * A purged order stays failed: its data is gone (retention). An order the backend refused gets a new
 * idempotency key (its retry is a new call, e.g. a payment with another card token); one that failed with
 * an unknown outcome keeps its key, so a backend that honours keys never does it twice.
 */
export function requeueFailed(db: Db, batchIds: readonly number[], now: string): number {
  return db
    .prepare(
      `UPDATE sync_state SET
         state = CASE WHEN payment_id IS NOT NULL THEN 'paid' WHEN backend_order_id IS NOT NULL THEN 'order_created' ELSE 'queued' END,
         idempotency_key = CASE WHEN error_class IN ('rejected', 'declined') THEN lower(hex(randomblob(16))) ELSE idempotency_key END,
         attempts = 0, failed_step = NULL, error_class = NULL, error_code = NULL, detail = '{}', updated_at = ?
       WHERE state = 'failed' AND order_id IN (SELECT id FROM orders WHERE batch_id IN (SELECT value FROM json_each(?)) AND purged_at IS NULL)`,
    )
    .run(now, JSON.stringify(batchIds)).changes;
}

export interface StepCounts {
  waiting: number;
  in_flight: number;
  done: number;
  failed: number;
}

export interface StateCounts {
  total: number;
  byState: Record<SyncState, number>;
  steps: { orders: StepCounts; payments: StepCounts; notifications: StepCounts };
  needsReview: number;
  yen: { staged: number; synced: number };
}

export function stateCounts(db: Db, batchIds: readonly number[]): StateCounts {
  const rows = db
    .prepare(
      `SELECT s.state, s.failed_step, count(*) AS n, coalesce(sum(o.total_amount), 0) AS yen FROM sync_state s JOIN orders o ON o.id = s.order_id
       WHERE o.batch_id IN (SELECT value FROM json_each(?)) GROUP BY s.state, s.failed_step`,
    )
    .all(JSON.stringify(batchIds)) as { state: SyncState; failed_step: Step | null; n: number; yen: number }[];
  const byState = Object.fromEntries(SYNC_STATES.map((s) => [s, 0])) as Record<SyncState, number>;
  const failed = { order: 0, payment: 0, notification: 0 };
  let staged = 0;
  let synced = 0;
  for (const row of rows) {
    byState[row.state] += row.n;
    staged += row.yen;
    if (row.state === 'failed' && row.failed_step) failed[row.failed_step] += row.n;
    if (row.state === 'paid' || row.state === 'notification_in_flight' || row.state === 'done') synced += row.yen;
  }
  const b = byState;
  const afterOrder =
    b.order_created + b.payment_in_flight + b.paid + b.notification_in_flight + b.done + failed.payment + failed.notification;
  const afterPayment = b.paid + b.notification_in_flight + b.done + failed.notification;
  return {
    total: SYNC_STATES.reduce((n, s) => n + b[s], 0),
    byState,
    steps: {
      orders: { waiting: b.queued, in_flight: b.order_in_flight, done: afterOrder, failed: failed.order },
      payments: { waiting: b.order_created, in_flight: b.payment_in_flight, done: afterPayment, failed: failed.payment },
      notifications: { waiting: b.paid, in_flight: b.notification_in_flight, done: b.done, failed: failed.notification },
    },
    needsReview: b.needs_review,
    yen: { staged, synced },
  };
}

export { acquireSyncLock, processAlive } from './lock';
