import { appendAudit } from '../audit/log';
import { packFields } from '../import/fields';
import { AppError } from '../shared/errors';
import type { Db } from './database';

/**
 * Removes the personal data (customer, email, token, address, notes, the line cells) of orders synced more
 * than `days` ago, keeping the non-personal facts needed for the audit log and totals: order number,
 * amounts, SKUs and quantities, backend ids. Batches on legal hold are skipped. Logged in the audit log.
 */
export function purgeSynced(
  db: Db,
  options: { days: number; actor: string; now?: Date },
): { orders: number; batches: number; held: number } {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.days * 86_400_000).toISOString();
  return db
    .transaction(() => {
      const candidates = db
        .prepare(
          `SELECT o.id, o.batch_id, b.legal_hold FROM orders o JOIN sync_state s ON s.order_id = o.id JOIN batches b ON b.id = o.batch_id
           WHERE s.state = 'done' AND s.updated_at < ?
             AND (o.customer_name IS NOT NULL OR o.email IS NOT NULL OR o.shipping_address IS NOT NULL OR o.card_token IS NOT NULL)`,
        )
        .all(cutoff) as { id: number; batch_id: number; legal_hold: number }[];
      const purge = candidates.filter((c) => c.legal_hold === 0);
      const clearOrder = db.prepare(
        'UPDATE orders SET customer_id = NULL, customer_name = NULL, email = NULL, card_token = NULL, shipping_address = NULL, notes = NULL, errors = ?, updated_at = ? WHERE id = ?',
      );
      const lines = db.prepare('SELECT id, sku, quantity, unit_price FROM order_lines WHERE order_id = ?');
      const clearLine = db.prepare("UPDATE order_lines SET raw_cells = '{}', fields = ? WHERE id = ?");
      for (const { id } of purge) {
        clearOrder.run('[]', now.toISOString(), id);
        for (const line of lines.all(id) as { id: number; sku: string | null; quantity: number | null; unit_price: number | null }[]) {
          // Only the item facts stay; the order number is kept on the order row.
          const item = { sku: line.sku ?? undefined, quantity: line.quantity?.toString(), unit_price: line.unit_price?.toString() };
          clearLine.run(packFields(item), line.id);
        }
      }
      const result = { orders: purge.length, batches: new Set(purge.map((p) => p.batch_id)).size, held: candidates.length - purge.length };
      appendAudit(db, { actor: options.actor, action: 'retention.purged', details: { days: options.days, ...result } });
      return result;
    })
    .immediate();
}

export function setLegalHold(db: Db, batchId: number, hold: boolean, actor: string): void {
  db.transaction(() => {
    const changed = db.prepare('UPDATE batches SET legal_hold = ? WHERE id = ?').run(hold ? 1 : 0, batchId).changes;
    if (changed === 0) throw new AppError('BATCH_NOT_FOUND', { batchId });
    appendAudit(db, { actor, action: hold ? 'legal_hold.set' : 'legal_hold.released', batchId });
  })();
}
