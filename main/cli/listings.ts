import type { TFunction } from 'i18next';
import type { AuditEntry } from '../audit/log';
import type { OrderSummary } from '../store/orders';
import { count, shortDateTime, yen } from './human';
import { renderTable } from './table';

const right = { align: 'right' } as const;

/** What staff see for an order, as the review grid says it: its sync outcome once it has one, else its validation. */
export function orderStatus(order: Pick<OrderSummary, 'status' | 'sync_state'>): string {
  const state = order.sync_state;
  if (state === 'done') return 'synced';
  if (state === 'failed' || state === 'needs_review') return state;
  if (state !== null && state !== 'queued') return 'syncing';
  return order.status;
}

/** `orders` for people: one line per order (the items and error messages in full are in --json). */
export function ordersTable(t: TFunction, orders: readonly OrderSummary[]): string {
  if (orders.length === 0) return t('cli.ordersEmpty');
  return renderTable(
    [
      { header: t('fields.order_ref') },
      { header: t('batches.column.status') },
      { header: t('fields.customer_id') },
      { header: t('cli.column.lines'), ...right },
      { header: t('fields.total_amount'), ...right },
      { header: t('cli.column.errors') },
    ],
    orders.map((o) => [
      o.order_ref,
      t(`review.statusValue.${orderStatus(o)}`),
      o.customer_id ?? '',
      count(t, o.items.length),
      o.total_amount === null ? '' : yen(t, o.total_amount),
      o.errors.join(' '),
    ]),
  );
}

/** `audit list` for people: local times, the action in words; the details stay as recorded (codes and counts). */
export function auditTable(t: TFunction, entries: readonly AuditEntry[]): string {
  if (entries.length === 0) return t('cli.auditEmpty');
  return renderTable(
    [
      { header: t('cli.column.seq'), ...right },
      { header: t('history.at') },
      { header: t('history.actor') },
      { header: t('history.action') },
      { header: t('cli.column.batch'), ...right },
      { header: t('history.order') },
      { header: t('history.details') },
    ],
    entries.map((e) => [
      count(t, e.seq),
      shortDateTime(t, e.at),
      e.actor,
      t(`auditActions.${e.action}`, { defaultValue: e.action }),
      e.batchId === null ? '' : String(e.batchId),
      e.orderRef ?? '',
      e.details === '{}' ? '' : e.details,
    ]),
  );
}

/** `master show` for people: the list's columns under their translated names, prices in yen, active as yes/no. */
export function masterTable(t: TFunction, rows: readonly Record<string, string | number | null>[]): string {
  const keys = Object.keys(rows[0] ?? {});
  if (keys.length === 0) return t('masters.empty');
  const cell = (key: string, value: string | number | null): string => {
    if (value === null) return '';
    if (key === 'active') return t(value ? 'cli.yes' : 'cli.no');
    if (key === 'unit_price' && typeof value === 'number') return yen(t, value);
    return String(value);
  };
  return renderTable(
    keys.map((key) => ({ header: t(`masters.field.${key}`, { defaultValue: key }), ...(key === 'unit_price' ? right : {}) })),
    rows.map((row) => keys.map((key) => cell(key, row[key] ?? null))),
  );
}
