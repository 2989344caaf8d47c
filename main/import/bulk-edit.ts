import { appendAudit } from '../audit/log';
import { AppError } from '../shared/errors';
import { assertBatch } from '../store/batches';
import type { Db } from '../store/database';
import { applyEdit } from './edit';

/** Why staff changed many cells at once; the audit entry says which, never the values. */
export type BulkKind = 'set' | 'fill' | 'replace' | 'paste' | 'undo' | 'redo';

export interface BulkEditRequest {
  batchId: number;
  kind: BulkKind;
  edits: readonly { orderRef: string; row?: number; field: string; value: string }[];
  actor: string;
  now?: Date;
}

export interface BulkEditResult {
  /** Edits applied, and of those how many changed a value. */
  applied: number;
  changed: number;
  /** Orders touched, and how many of them are valid after the change. */
  orders: number;
  valid: number;
  /** Edits refused (locked order, unknown order, a field that cannot change), by error code. */
  refused: { orderRef: string; row: number | null; code: string }[];
}

/**
 * Many edits as ONE change: one transaction (all or nothing on a store error), one `orders.bulk_edited`
 * audit entry with counts and the fields touched, never a value. An edit the order refuses (locked, gone)
 * is reported back and the others still apply: staff see which cells did not take.
 */
export function editOrdersInBulk(db: Db, request: BulkEditRequest): BulkEditResult {
  const now = request.now ?? new Date();
  return db
    .transaction(() => {
      assertBatch(db, request.batchId);
      const validity = new Map<number, boolean>();
      const refused: BulkEditResult['refused'] = [];
      const fields = new Set<string>();
      let applied = 0;
      let changed = 0;
      for (const edit of request.edits) {
        try {
          const done = applyEdit(db, { ...edit, batchId: request.batchId, actor: request.actor, now });
          validity.set(done.orderId, done.result.issues.length === 0);
          fields.add(edit.field);
          applied += 1;
          if (done.changed) changed += 1;
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          refused.push({ orderRef: edit.orderRef, row: edit.row ?? null, code: error.code });
        }
      }
      const valid = [...validity.values()].filter(Boolean).length;
      const result = { applied, changed, orders: validity.size, valid, refused };
      appendAudit(db, {
        actor: request.actor,
        action: 'orders.bulk_edited',
        batchId: request.batchId,
        details: {
          kind: request.kind,
          fields: [...fields].sort().join(','),
          applied,
          changed,
          orders: validity.size,
          valid,
          refused: refused.length,
        },
      });
      return result;
    })
    .immediate();
}
