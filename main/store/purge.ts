import { type Field, FIELDS } from '../shared/fields';
import type { Db } from './database';

/**
 * The tables side of a retention purge: which orders are old enough, and the set-based writes that blank
 * what the policy (main/retention/purge.ts) says is personal. A statement per table, not per order (50,000
 * orders, 100,000 lines: 0.84 s with the checkpoint, instead of 2.3-3.2 s).
 */

export interface PurgeCandidate {
  id: number;
  batch_id: number;
  has_errors: number;
  legal_hold: number;
  state: string | null;
}

const IN_IDS = 'IN (SELECT value FROM json_each(?))';

/** Orders of batches imported before `cutoff` whose data is still there, with their hold and sync state. */
export function purgeCandidates(db: Db, cutoff: string): PurgeCandidate[] {
  return db
    .prepare(
      `SELECT o.id, o.batch_id, o.errors <> '[]' AS has_errors, b.legal_hold, s.state FROM batches b
       JOIN orders o ON o.batch_id = b.id LEFT JOIN sync_state s ON s.order_id = o.id
       WHERE b.imported_at < ? AND o.purged_at IS NULL`,
    )
    .all(cutoff) as PurgeCandidate[];
}

/** Rewrites the error lists of these orders (`rewrite` gets each stored list as JSON text). */
export function rewriteOrderErrors(db: Db, orderIds: readonly number[], rewrite: (errors: string) => string): void {
  const rows = db.prepare(`SELECT id, errors FROM orders WHERE id ${IN_IDS}`).all(JSON.stringify(orderIds)) as {
    id: number;
    errors: string;
  }[];
  const setErrors = db.prepare('UPDATE orders SET errors = ? WHERE id = ?');
  for (const row of rows) setErrors.run(rewrite(row.errors), row.id);
}

/**
 * Blanks the orders' `blank` columns and marks them purged; keeps only the `keep` fields of their lines'
 * packed fields (packFields: a JSON array in FIELDS order) and empties their unmapped cells.
 */
export function blankOrders(db: Db, orderIds: readonly number[], blank: readonly Field[], keep: readonly Field[], at: string): void {
  const ids = JSON.stringify(orderIds);
  const columns = blank.map((field) => `${field} = NULL`).join(', ');
  db.prepare(`UPDATE orders SET ${columns}, purged_at = ?, updated_at = ? WHERE id ${IN_IDS}`).run(at, at, ids);
  const kept = `json_array(${FIELDS.map((field, i) => (keep.includes(field) ? `json_extract(fields, '$[${i}]')` : 'NULL')).join(', ')})`;
  db.prepare(`UPDATE order_lines SET raw_cells = '{}', fields = ${kept} WHERE order_id ${IN_IDS}`).run(ids);
}

/**
 * Sync states of these orders go to needs review with `code` (error class retention_purged: staff read why),
 * remembering the state they were in.
 */
export function parkForReview(db: Db, orderIds: readonly number[], code: string, at: string): void {
  db.prepare(
    `UPDATE sync_state SET state = 'needs_review', error_code = ?, error_class = 'retention_purged', in_flight_since = NULL, next_attempt_at = NULL,
       detail = json_object('purged_from', state), updated_at = ? WHERE order_id ${IN_IDS}`,
  ).run(code, at, JSON.stringify(orderIds));
}

/** Orders of these batches whose data was purged but whose sync state still says there is work to do. */
export function purgedUnfinished(db: Db, batchIds: readonly number[]): number[] {
  return db
    .prepare(
      `SELECT s.order_id FROM sync_state s JOIN orders o ON o.id = s.order_id
       WHERE o.batch_id ${IN_IDS} AND o.purged_at IS NOT NULL AND s.state NOT IN ('done', 'failed', 'needs_review')`,
    )
    .pluck()
    .all(JSON.stringify(batchIds)) as number[];
}

/** Rewrites the stored header rows of these batches (`rewrite` gets headers and column mapping as JSON text). */
export function rewriteBatchHeaders(db: Db, batchIds: Iterable<number>, rewrite: (headers: string, mapping: string) => string): void {
  const read = db.prepare('SELECT headers, column_mapping FROM batches WHERE id = ?');
  const write = db.prepare('UPDATE batches SET headers = ? WHERE id = ?');
  for (const id of batchIds) {
    const row = read.get(id) as { headers: string; column_mapping: string };
    write.run(rewrite(row.headers, row.column_mapping), id);
  }
}

/**
 * Deletes the customer master's rows (code, name, email, address) when the list was loaded before `cutoff`,
 * except customers an order still holding its personal data names (imported since, or on legal hold): those
 * go once their last such order is purged. A list loaded since `cutoff` is current: nothing goes.
 */
export function purgeIdleCustomers(db: Db, cutoff: string): number {
  const loaded = db.prepare("SELECT imported_at FROM master_imports WHERE list = 'customers'").pluck().get() as string | undefined;
  if (loaded !== undefined && loaded >= cutoff) return 0;
  return db
    .prepare(
      `DELETE FROM master_customers
       WHERE customer_id NOT IN (SELECT customer_id FROM orders WHERE purged_at IS NULL AND customer_id IS NOT NULL)`,
    )
    .run().changes;
}

/** Who holds the store's sync lock, if anyone. */
export function syncLockHolder(db: Db): { pid: number; host: string; heartbeat: number } | undefined {
  return db.prepare('SELECT pid, host, heartbeat FROM sync_lock WHERE id = 1').get() as
    | { pid: number; host: string; heartbeat: number }
    | undefined;
}

export function setLegalHoldFlag(db: Db, batchId: number, hold: boolean): boolean {
  return db.prepare('UPDATE batches SET legal_hold = ? WHERE id = ?').run(hold ? 1 : 0, batchId).changes > 0;
}

/**
 * Copies the WAL into the file and empties it, so the old page versions it holds are gone. Waits for readers
 * through the busy timeout; retried a few times, then reported (false).
 */
export function truncateWal(db: Db): boolean {
  if (db.name === ':memory:') return true;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    if (result && result.busy === 0) return true;
  }
  return false;
}
