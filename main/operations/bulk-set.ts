import type { AppContext } from '../app/context';
import { type BulkEditResult, editOrdersInBulk } from '../import/bulk-edit';
import { matchField } from '../review/lines';
import type { LineStatus } from '../shared/contract';
import { type Field, ORDER_FIELDS } from '../shared/fields';

/** Which lines of a batch a bulk "set" changes: the given orders, and/or the lines under a review filter. */
export interface BulkSetRequest {
  batchId: number;
  field: Field;
  value: string;
  orderRefs?: readonly string[];
  status?: LineStatus;
  code?: string;
  search?: string;
}

export interface BulkSetResult extends BulkEditResult {
  /** Lines the selection found (before dropping those that already hold the value). */
  matched: number;
}

const EVERY_LINE = Number.MAX_SAFE_INTEGER;

/**
 * Bulk set: one field set to one value on every selected line, as the review grid's "set for the filter" does,
 * through the same bulk edit (one transaction, one `orders.bulk_edited` audit entry with counts). An order field
 * is set once per order; a line field on each line (by source row when the order has several). Lines already
 * holding the value are left alone; an order number with no selected line comes back refused (ORDER_NOT_FOUND).
 */
export function setFieldInBulk(ctx: AppContext, request: BulkSetRequest): BulkSetResult {
  const { batchId, field, value } = request;
  const found = matchField(
    ctx.store.db,
    { batchId, field, find: '', status: request.status, code: request.code, search: request.search },
    EVERY_LINE,
  );
  const wanted = request.orderRefs ? new Set(request.orderRefs) : null;
  const lines = wanted ? found.lines.filter((line) => wanted.has(line.orderRef)) : found.lines;
  const orderField = ORDER_FIELDS.includes(field);
  const seen = new Set<string>();
  const edits: { orderRef: string; row?: number; field: Field; value: string }[] = [];
  for (const line of lines) {
    if (orderField && seen.has(line.orderRef)) continue;
    seen.add(line.orderRef);
    if (line.value === value) continue;
    const row = !orderField && line.lineCount > 1 ? { row: line.row } : {};
    edits.push({ orderRef: line.orderRef, ...row, field, value });
  }
  // An order number with no selected line (not in the batch, or outside the filter) is reported, never skipped silently.
  const missing = [...new Set(request.orderRefs ?? [])]
    .filter((orderRef) => !seen.has(orderRef))
    .map((orderRef) => ({ orderRef, row: null, code: 'ORDER_NOT_FOUND' }));
  const done = edits.length
    ? editOrdersInBulk(ctx.store.db, { batchId, kind: 'set', edits, actor: ctx.actor })
    : { applied: 0, changed: 0, orders: 0, valid: 0, refused: [] };
  return { ...done, matched: lines.length, refused: [...missing, ...done.refused] };
}
