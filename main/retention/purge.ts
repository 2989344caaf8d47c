import { hostname } from 'node:os';
import { appendAudit } from '../audit/log';
import { FIELDS } from '../shared/fields';
import { AppError } from '../shared/errors';
import { processAlive } from '../sync/state';
import type { Db } from '../store/database';

/** Fields that are facts about the order, not about a person: they survive a purge. */
const FACT_FIELDS = ['order_ref', 'sku', 'quantity', 'unit_price', 'delivery_date'] as const;
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
  /** Whether the WAL was checkpointed and emptied afterwards (false only if readers kept it busy). */
  walTruncated: boolean;
}

/** Whether a sync run (in this process or another) holds the store's sync lock now. */
function syncRunning(db: Db, nowMs: number): boolean {
  const held = db.prepare('SELECT pid, host, heartbeat FROM sync_lock WHERE id = 1').get() as
    | { pid: number; host: string; heartbeat: number }
    | undefined;
  if (!held) return false;
  return held.host === hostname() ? processAlive(held.pid) : nowMs - held.heartbeat < LOCK_STALE_MS;
}

/** An error list without the values that could name a person (codes, rows and fact values stay). */
function factErrors(errors: string): string {
  const issues = JSON.parse(errors) as { row?: number; field?: string; code?: string; value?: string }[];
  return JSON.stringify(
    issues.map((issue) => {
      const field = issue.field ?? '';
      // An unmapped column's header is free text of the sheet: it goes too.
      return {
        row: issue.row,
        field: KNOWN_FIELDS.has(field) ? field : '',
        code: issue.code,
        value: FACT_ERROR_FIELDS.has(field) ? issue.value : '',
      };
    }),
  );
}

/**
 * A line's packed fields (packFields: a JSON array in FIELDS order) with only the fact fields kept, as SQL
 * over the `fields` column.
 */
const FACT_FIELDS_SQL = `json_array(${FIELDS.map((field, i) =>
  (FACT_FIELDS as readonly string[]).includes(field) ? `json_extract(fields, '$[${i}]')` : 'NULL',
).join(', ')})`;

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
      const candidates = db
        .prepare(
          `SELECT o.id, o.batch_id, o.errors <> '[]' AS has_errors, b.legal_hold, s.state FROM batches b
           JOIN orders o ON o.batch_id = b.id LEFT JOIN sync_state s ON s.order_id = o.id
           WHERE b.imported_at < ? AND o.purged_at IS NULL`,
        )
        .all(cutoff) as { id: number; batch_id: number; has_errors: number; legal_hold: number; state: string | null }[];
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
      // Set-based: a statement per table, not per order (50,000 orders, 100,000 lines: 0.84 s with the
      // checkpoint, instead of 2.3-3.2 s).
      const ids = JSON.stringify(purge);
      const IN_IDS = 'IN (SELECT value FROM json_each(?))';
      const errors = db.prepare(`SELECT id, errors FROM orders WHERE id ${IN_IDS}`).all(JSON.stringify(withErrors)) as {
        id: number;
        errors: string;
      }[];
      const setErrors = db.prepare('UPDATE orders SET errors = ? WHERE id = ?');
      for (const row of errors) setErrors.run(factErrors(row.errors), row.id);
      db.prepare(
        `UPDATE orders SET customer_id = NULL, customer_name = NULL, email = NULL, card_token = NULL, shipping_address = NULL,
           notes = NULL, purged_at = ?, updated_at = ? WHERE id ${IN_IDS}`,
      ).run(at, at, ids);
      db.prepare(`UPDATE order_lines SET raw_cells = '{}', fields = ${FACT_FIELDS_SQL} WHERE order_id ${IN_IDS}`).run(ids);
      db.prepare(
        `UPDATE sync_state SET state = 'needs_review', error_code = 'RETENTION_PURGED', in_flight_since = NULL, next_attempt_at = NULL,
           detail = json_object('purged_from', state), updated_at = ? WHERE order_id ${IN_IDS}`,
      ).run(at, JSON.stringify(unfinished));
      const batchRow = db.prepare('SELECT headers, column_mapping FROM batches WHERE id = ?');
      const setHeaders = db.prepare('UPDATE batches SET headers = ? WHERE id = ?');
      for (const id of batches) {
        const row = batchRow.get(id) as { headers: string; column_mapping: string };
        setHeaders.run(mappedHeadersOnly(row.headers, row.column_mapping), id);
      }
      const result = { orders: purge.length, batches: batches.size, held, inSync };
      appendAudit(
        db,
        {
          actor: options.actor,
          action: 'retention.purged',
          details: { days: options.days, cutoff, orders: result.orders, batches: result.batches, held, in_sync: inSync },
        },
        now,
      );
      return result;
    })
    .immediate();
  return { ...counts, walTruncated: truncateWal(db) };
}

/**
 * Copies the WAL into the file and empties it, so the old page versions it holds (with the purged values)
 * are gone. Waits for readers through the busy timeout; retried a few times, then reported.
 */
function truncateWal(db: Db): boolean {
  if (db.name === ':memory:') return true;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    if (result && result.busy === 0) return true;
  }
  return false;
}

export function setLegalHold(db: Db, batchId: number, hold: boolean, actor: string): void {
  db.transaction(() => {
    const changed = db.prepare('UPDATE batches SET legal_hold = ? WHERE id = ?').run(hold ? 1 : 0, batchId).changes;
    if (changed === 0) throw new AppError('BATCH_NOT_FOUND', { batchId });
    appendAudit(db, { actor, action: hold ? 'legal_hold.set' : 'legal_hold.released', batchId });
  })();
}
