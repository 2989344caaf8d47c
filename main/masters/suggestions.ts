import { editOrderField } from '../import/edit';
import type { OrderValidation } from '../import/validate';
import { AppError } from '../shared/errors';
import type { ValidationIssue } from '../shared/validation';
import type { Db } from '../store/database';

export interface ApplySuggestionRequest {
  batchId: number;
  orderRef: string;
  /** The source row of the issue. */
  row: number;
  code: 'UNKNOWN_SKU' | 'PRICE_MISMATCH';
  /** For UNKNOWN_SKU: the chosen suggestion (one of the issue's). PRICE_MISMATCH takes the master price. */
  value?: string;
  actor: string;
  now?: Date;
}

/**
 * Fix in place: an UNKNOWN_SKU line takes one of its suggested SKUs, a PRICE_MISMATCH line the master price.
 * Only what the stored issue offers can be applied. One transaction: the edit, the revalidation and its
 * `order.edited` audit entry (marked with the check applied).
 */
export function applySuggestion(db: Db, request: ApplySuggestionRequest): OrderValidation {
  return db
    .transaction(() => {
      const stored = db
        .prepare('SELECT errors FROM orders WHERE batch_id = ? AND order_ref = ?')
        .pluck()
        .get(request.batchId, request.orderRef) as string | undefined;
      if (stored === undefined) throw new AppError('ORDER_NOT_FOUND', { batchId: request.batchId, orderRef: request.orderRef });
      const issue = (JSON.parse(stored) as ValidationIssue[]).find((i) => i.row === request.row && i.code === request.code);
      const value =
        request.code === 'UNKNOWN_SKU'
          ? issue?.suggestions?.find((suggestion) => suggestion === request.value)
          : issue?.master !== undefined && /^\d+$/.test(issue.master)
            ? issue.master
            : undefined;
      if (value === undefined) throw new AppError('SUGGESTION_NOT_APPLICABLE', { row: request.row });
      return editOrderField(db, {
        batchId: request.batchId,
        orderRef: request.orderRef,
        field: request.code === 'UNKNOWN_SKU' ? 'sku' : 'unit_price',
        value,
        row: request.row,
        actor: request.actor,
        now: request.now,
        applied: request.code,
      });
    })
    .immediate();
}
