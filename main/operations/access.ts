import { recordAccess } from '../audit/access';
import type { AppContext } from '../app/context';
import { countOrders, orderLines, queryLines } from '../review/lines';
import type { Input, LinePage, LineRow } from '../shared/contract';
import { assertBatch } from '../store/batches';
import { listOrders } from '../store/orders';

/**
 * Looking at personal data is recorded as `access` entries (who, when, batch, what, how many orders; never a
 * value nor the search text), here so the desktop app and the command line record alike.
 */

/**
 * A page of the review grid. The first page of a screen visit records a `grid` entry with the orders its filter
 * shows; each new search text run in the visit a `search` entry with the orders it found. Scrolling records nothing.
 */
export function viewLines(ctx: AppContext, query: Input<'queryLines'>): LinePage {
  const { db } = ctx.store;
  const page = queryLines(db, query);
  // A caller that names no visit: every query it starts (first page, counted) is a visit of its own.
  const starts = query.visit !== undefined || (query.offset === 0 && query.withTotal !== false);
  if (!starts) return page;
  const { batchId, status, code } = query;
  if (ctx.access.gridVisit(batchId, query.visit))
    recordAccess(db, { actor: ctx.actor, batchId, what: 'grid', orders: countOrders(db, { batchId, status, code }) });
  const search = query.search?.normalize('NFKC').trim();
  if (search && ctx.access.search(batchId, query.visit, search))
    recordAccess(db, { actor: ctx.actor, batchId, what: 'search', orders: countOrders(db, { batchId, status, code, search }) });
  return page;
}

/** One order's lines for the side panel, recorded once per order and screen visit as a `detail` entry. */
export function viewOrder(ctx: AppContext, { batchId, orderRef, visit }: Input<'orderDetail'>): LineRow[] {
  const lines = orderLines(ctx.store.db, batchId, orderRef);
  if (ctx.access.detail(batchId, visit, orderRef))
    recordAccess(ctx.store.db, { actor: ctx.actor, batchId, what: 'detail', orders: 1, lines: lines.length, orderRef });
  return lines;
}

/** Every staged order of a batch, as `orders BATCH` prints it, recorded as a `cli` entry. */
export function batchOrders(ctx: AppContext, batchId: number): ReturnType<typeof listOrders> {
  const orders = listOrders(ctx.store.db, batchId);
  if (orders.length === 0) assertBatch(ctx.store.db, batchId);
  recordAccess(ctx.store.db, { actor: ctx.actor, batchId, what: 'cli', orders: orders.length });
  return orders;
}
