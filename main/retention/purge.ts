import { hostname } from 'node:os';
import { appendAudit } from '../audit/log';
import { type Field, FIELDS, ORDER_FIELDS } from '../shared/fields';
import { AppError } from '../shared/errors';
import type { ValidationIssue } from '../shared/validation';
import { processAlive } from '../sync/state';
import type { Db } from '../store/database';
import {
  blankOrders,
  parkForReview,
  purgeCandidates,
  purgeIdleCustomers,
  rewriteBatchHeaders,
  rewriteOrderErrors,
  setLegalHoldFlag,
  syncLockHolder,
  truncateWal,
} from '../store/purge';

/** Fields that are facts about the order, not about a person: they survive a purge. */
const FACT_FIELDS: readonly Field[] = ['order_ref', 'sku', 'quantity', 'unit_price', 'delivery_date'];
/** The order's own fields that name or reach a person: blanked on the order row. */
const PERSONAL_ORDER_FIELDS: readonly Field[] = ORDER_FIELDS.filter((field) => !FACT_FIELDS.includes(field));
/** Fields whose value an error may repeat without naming a person (the rest is blanked in the error list). */
const FACT_ERROR_FIELDS = new Set<string>([...FACT_FIELDS, 'total_amount']);
const KNOWN_FIELDS = new Set<string>([...FIELDS, 'total_amount']);
/** Sync states of an order whose sync is under way: its calls read the order from the store when they go. */
const UNFINISHED = ['queued', 'order_in_flight', 'order_created', 'payment_in_flight', 'paid', 'notification_in_flight'];
/** How long another machine's sync lock counts as held without a heartbeat (as the sync lock itself). */
const LOCK_STALE_MS = 60_000;

export interface PurgeResult {
  /** Orders whose personal data was removed by this purge. */
  orders: number;
  batches: number;
  /** Orders old enough but in a batch on legal hold. */
  held: number;
  /** Orders old enough but mid-way in the sync that is running now: purged by the next purge. */
  inSync: number;
  /** Customer master rows removed: the list is older than the retention and no order still holding its data names them. */
  customers: number;
  /** Whether the WAL was checkpointed and emptied afterwards (false only if readers kept it busy). */
  walTruncated: boolean;
}

/** Whether a sync run (in this process or another) holds the store's sync lock now. */
function syncRunning(db: Db, nowMs: number): boolean {
  const held = syncLockHolder(db);
  if (!held) return false;
  return held.host === hostname() ? processAlive(held.pid) : nowMs - held.heartbeat < LOCK_STALE_MS;
}

/** An error list without the values that could name a person (codes, rows and fact values stay). */
function factErrors(errors: string): string {
  const issues = JSON.parse(errors) as (Partial<ValidationIssue> & { field?: string })[];
  return JSON.stringify(
    issues.map((issue) => {
      const field = issue.field ?? '';
      const fact = FACT_ERROR_FIELDS.has(field);
      // An unmapped column's header is free text of the sheet: it goes too.
      return {
        row: issue.row,
        field: KNOWN_FIELDS.has(field) ? field : '',
        code: issue.code,
        value: fact ? issue.value : '',
        // A warning stays a warning; a master value stays only where it is a fact (a price, a SKU), like the value.
        ...(issue.severity ? { severity: issue.severity } : {}),
        ...(fact && issue.master !== undefined ? { master: issue.master } : {}),
        ...(fact && issue.suggestions ? { suggestions: issue.suggestions } : {}),
      };
    }),
  );
}

/** A batch's header row with the headers of unmapped columns blanked: they are free text of the sheet. */
function mappedHeadersOnly(headers: string, mapping: string): string {
  const mapped = new Set(Object.values(JSON.parse(mapping) as Record<string, string>));
  return JSON.stringify((JSON.parse(headers) as string[]).map((header) => (mapped.has(header) ? header : '')));
}

/**
 * Removes the personal data of every order imported more than `days` days ago, whatever its state
 * (invalid, excluded, never synced, failed, needs review, synced): customer id and name, email, token,
 * address, notes, the cells of unmapped columns, values in its error list, and its batch's unmapped
 * headers. Facts stay: order number, SKUs, quantities, prices, amounts, delivery date, validation and sync
 * outcomes, backend ids. Batches on legal hold are skipped.
 *
 * An order whose sync is under way is skipped while a sync run holds the lock (its next call reads the
 * order from the store) and purged by the next purge. With no run going, an unfinished order can no
 * longer be finished without its data: it goes to needs review (RETENTION_PURGED), since the backend may
 * already hold it; a purged order is never queued, retried, edited or re-imported again.
 *
 * The customer master goes by the same rule: once the list was loaded more than `days` days ago, a customer
 * no order still holding its personal data names is deleted from it (purgeIdleCustomers).
 *
 * Afterwards the WAL is checkpointed and truncated; with secure_delete no purged value stays in any page
 * of the store or its WAL.
 */
export function purgeExpired(db: Db, options: { days: number; actor: string; now?: Date }): PurgeResult {
  const now = options.now ?? new Date();
  const at = now.toISOString();
  const cutoff = new Date(now.getTime() - options.days * 86_400_000).toISOString();
  // On for every store connection already (openStore); said here too, since without it the rows' old bytes
  // stay in the pages' free space and in freed pages (measured: most values of a 400-order purge).
  db.pragma('secure_delete=ON');
  const counts = db
    .transaction(() => {
      const running = syncRunning(db, now.getTime());
      const candidates = purgeCandidates(db, cutoff);
      let held = 0;
      let inSync = 0;
      const purge: number[] = [];
      const unfinished: number[] = [];
      const withErrors: number[] = [];
      const batches = new Set<number>();
      for (const order of candidates) {
        if (order.legal_hold) {
          held += 1;
          continue;
        }
        const midway = order.state !== null && UNFINISHED.includes(order.state);
        if (midway && running) {
          inSync += 1;
          continue;
        }
        purge.push(order.id);
        if (midway) unfinished.push(order.id);
        if (order.has_errors) withErrors.push(order.id);
        batches.add(order.batch_id);
      }
      rewriteOrderErrors(db, withErrors, factErrors);
      blankOrders(db, purge, PERSONAL_ORDER_FIELDS, FACT_FIELDS, at);
      parkForReview(db, unfinished, 'RETENTION_PURGED', at);
      rewriteBatchHeaders(db, batches, mappedHeadersOnly);
      // After the orders: a customer named only by orders purged just now goes in the same purge.
      const customers = purgeIdleCustomers(db, cutoff);
      const result = { orders: purge.length, batches: batches.size, held, inSync, customers };
      appendAudit(
        db,
        {
          actor: options.actor,
          action: 'retention.purged',
          details: { days: options.days, cutoff, orders: result.orders, batches: result.batches, held, in_sync: inSync, customers },
        },
        now,
      );
      return result;
    })
    .immediate();
  return { ...counts, walTruncated: truncateWal(db) };
}

export function setLegalHold(db: Db, batchId: number, hold: boolean, actor: string): void {
  db.transaction(() => {
    if (!setLegalHoldFlag(db, batchId, hold)) throw new AppError('BATCH_NOT_FOUND', { batchId });
    appendAudit(db, { actor, action: hold ? 'legal_hold.set' : 'legal_hold.released', batchId });
  })();
}
