import { recordAccess } from '../audit/access';
import type { AppContext } from '../app/context';
import { countOrders, matchField, orderLines, queryCountedLines } from '../review/lines';
import type { Input, LinePage, LineRow, MatchOutcome } from '../shared/contract';
import { assertBatch } from '../store/batches';
import { listOrders } from '../store/orders';

/**
 * Looking at personal data is recorded as `access` entries (who, when, batch, what, how many orders; never a
 * value nor the search text), here so the desktop app and the command line record alike.
 */

/**
 * A page of the review grid. The first page of a screen visit records a `grid` entry with the orders its filter
 * shows; each new search text run in the visit a `search` entry with the orders it found. Scrolling within a
 * visit records nothing. A caller naming no visit is recorded on every page it asks for: whether a page
 * continues an earlier one is the caller's word, and a renderer could otherwise read a batch page by page
 * (offset past 0, or withTotal false) without a single entry.
 */
export function viewLines(ctx: AppContext, query: Input<'queryLines'>): LinePage {
  const { db } = ctx.store;
  const { batchId, status, code, visit } = query;
  const search = query.search?.normalize('NFKC').trim();
  const grid = ctx.access.gridVisit(batchId, visit);
  const searched = Boolean(search) && ctx.access.search(batchId, visit, search ?? '');
  // A filtered query counts its orders in the same pass as its lines; a whole batch's are counted from the orders.
  const { orders: matched, ...page } = queryCountedLines(db, query, (grid || searched) && Boolean(status || code || search));
  if (grid) {
    const orders = search ? countOrders(db, { batchId, status, code }) : (matched ?? countOrders(db, { batchId, status, code }));
    if (orders > 0) recordAccess(db, { actor: ctx.actor, batchId, what: 'grid', orders });
    else ctx.access.showedNothing(batchId, visit);
  }
  if (searched) {
    const orders = matched ?? countOrders(db, { batchId, status, code, search });
    recordAccess(db, { actor: ctx.actor, batchId, what: 'search', orders });
  }
  return page;
}

/** One order's lines for the side panel, recorded once per order and screen visit as a `detail` entry. */
export function viewOrder(ctx: AppContext, { batchId, orderRef, visit }: Input<'orderDetail'>): LineRow[] {
  const lines = orderLines(ctx.store.db, batchId, orderRef);
  if (ctx.access.detail(batchId, visit, orderRef))
    recordAccess(ctx.store.db, { actor: ctx.actor, batchId, what: 'detail', orders: 1, lines: lines.length, orderRef });
  return lines;
}

/**
 * The lines find & replace and "set for the filter" work on, each with its value (an empty find matches every
 * line): recorded as a `match` entry with the orders and lines whose values were read, never the find text.
 * The same query run again (counting as staff type) is recorded once.
 */
export function matchLines(ctx: AppContext, input: Input<'matchField'>): MatchOutcome {
  const outcome = matchField(ctx.store.db, input);
  const { batchId, field, find, status, code, search } = input;
  if (ctx.access.match(batchId, JSON.stringify([field, find, status ?? null, code ?? null, search ?? null]))) {
    const orders = new Set(outcome.lines.map((line) => line.orderRef)).size;
    recordAccess(ctx.store.db, { actor: ctx.actor, batchId, what: 'match', orders, lines: outcome.lines.length });
  }
  return outcome;
}

/** Every staged order of a batch, as `orders BATCH` prints it, recorded as a `cli` entry. */
export function batchOrders(ctx: AppContext, batchId: number): ReturnType<typeof listOrders> {
  const orders = listOrders(ctx.store.db, batchId);
  if (orders.length === 0) assertBatch(ctx.store.db, batchId);
  recordAccess(ctx.store.db, { actor: ctx.actor, batchId, what: 'cli', orders: orders.length });
  return orders;
}
