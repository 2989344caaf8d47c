import type { Db } from '../store/database';
import type { Service } from './client';
import type { RunOptions } from './engine';
import type { SyncSettings } from './settings';

export interface RunPreview {
  orders: number;
  yen: number;
  calls: Record<Service, number>;
  /** Seconds the rate limits make the run last at best (the slowest limited service); null when none is limited. */
  etaS: number | null;
}

/**
 * What a run over the batches would take on, read from the store without changing it: the orders it would
 * work (valid, not purged, not settled; failed ones too when they are retried; only paid ones for a
 * notify-only run), their yen, the calls left per service (an order already paid needs only its
 * notification), and the time the per-service rate limits allow for them.
 */
export function previewRun(db: Db, batchIds: readonly number[], options: RunOptions, settings: SyncSettings): RunPreview {
  const scope = options.notifyOnly
    ? "s.state = 'paid'"
    : `o.validation_status = 'valid' AND (s.state IS NULL OR s.state NOT IN ('done', 'failed', 'needs_review')${options.retryFailed ? " OR s.state = 'failed'" : ''})`;
  const row = db
    .prepare(
      `SELECT count(*) AS orders, coalesce(sum(o.total_amount), 0) AS yen,
         coalesce(sum(s.backend_order_id IS NULL), 0) AS order_calls,
         coalesce(sum(s.payment_id IS NULL), 0) AS payment_calls
       FROM orders o LEFT JOIN sync_state s ON s.order_id = o.id
       WHERE o.batch_id IN (SELECT value FROM json_each(?)) AND o.purged_at IS NULL AND (${scope})`,
    )
    .get(JSON.stringify(batchIds)) as { orders: number; yen: number; order_calls: number; payment_calls: number };
  const calls: Record<Service, number> = { orders: row.order_calls, payments: row.payment_calls, notifications: row.orders };
  let etaS: number | null = null;
  for (const service of ['orders', 'payments', 'notifications'] as const) {
    const rate = settings.services[service].ratePerSecond;
    if (rate) etaS = Math.max(etaS ?? 0, calls[service] / rate);
  }
  return { orders: row.orders, yen: row.yen, calls, etaS };
}
