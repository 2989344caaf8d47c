import type { BatchOverview, LinePage, LineQuery, LineRow, LineStatus, MatchInput, MatchOutcome } from '../shared/contract';
import { AppError } from '../shared/errors';
import { assertBatch } from '../store/batches';
import type { Db } from '../store/database';
import { issuesOnRow, lineFieldValues, type OrderFieldColumns } from '../store/orders';

/**
 * What staff see for an order: its sync outcome once it has one, otherwise its validation status.
 * `syncing` covers every state between queued and done but one: an order paid whose notification is not
 * sent (what a cancel leaves) is `paid_unnotified`, so staff see the run did not finish it.
 */
const STATUS_SQL = `CASE
  WHEN s.state = 'done' THEN 'synced'
  WHEN s.state IN ('failed', 'needs_review') THEN s.state
  WHEN s.state = 'paid' THEN 'paid_unnotified'
  WHEN s.state IS NOT NULL AND s.state <> 'queued' THEN 'syncing'
  ELSE o.validation_status END`;

/** The join every grid query reads lines through. */
const FROM = 'FROM order_lines l JOIN orders o ON o.id = l.order_id LEFT JOIN sync_state s ON s.order_id = o.id';

/** Sortable columns, each mapped to a fixed SQL expression (nothing from the request reaches the SQL text). */
const SORT_SQL: Record<LineQuery['sort']['column'], string> = {
  row: 'l.source_row',
  order_ref: 'o.order_ref',
  status: 'status',
  customer_name: 'o.customer_name',
  customer_id: 'o.customer_id',
  sku: 'l.sku',
  quantity: 'l.quantity',
  unit_price: 'l.unit_price',
  total_amount: 'o.total_amount',
};

function whereClause(query: Pick<LineQuery, 'batchId' | 'status' | 'code' | 'search'>): { sql: string; params: (string | number)[] } {
  const parts = ['o.batch_id = ?'];
  const params: (string | number)[] = [query.batchId];
  if (query.status) {
    parts.push(`(${STATUS_SQL}) = ?`);
    params.push(query.status);
  }
  if (query.code) {
    parts.push("EXISTS (SELECT 1 FROM json_each(o.errors) e WHERE json_extract(e.value, '$.code') = ?)");
    params.push(query.code);
  }
  const search = query.search?.normalize('NFKC').trim();
  if (search) {
    parts.push('(instr(o.order_ref, ?) > 0 OR instr(o.customer_id, ?) > 0 OR instr(o.customer_name, ?) > 0 OR instr(l.sku, ?) > 0)');
    params.push(search, search, search, search);
  }
  return { sql: parts.join(' AND '), params };
}

interface RawLine extends OrderFieldColumns {
  id: number;
  line_no: number;
  source_row: number;
  fields: string;
  order_id: number;
  order_ref: string;
  total_amount: number | null;
  errors: string;
  status: LineStatus;
  sync_error: string | null;
  sync_class: string | null;
  created_unpaid: number;
  line_count: number;
}

function toRow(raw: RawLine): LineRow {
  const fields: Record<string, string> = { ...lineFieldValues(raw.fields, raw), order_ref: raw.order_ref };
  const issues = issuesOnRow(raw.errors, raw.source_row);
  return {
    lineId: raw.id,
    orderRef: raw.order_ref,
    row: raw.source_row,
    lineNo: raw.line_no,
    lineCount: raw.line_count,
    status: raw.status,
    syncError: raw.sync_class ? { kind: raw.sync_class, code: raw.sync_error ?? '' } : null,
    ...(raw.created_unpaid ? { createdUnpaid: true } : {}),
    totalAmount: raw.total_amount,
    fields,
    issues: issues.map(({ field, code, value, severity, master, suggestions }) => ({
      field,
      code,
      value,
      ...(severity ? { severity } : {}),
      ...(master !== undefined ? { master } : {}),
      ...(suggestions ? { suggestions } : {}),
    })),
  };
}

/**
 * One page of a batch's lines for the review grid, filtered and sorted in SQL so the renderer only ever
 * holds what is on screen (a 100,000-line batch never crosses IPC whole).
 */
export function queryLines(db: Db, query: LineQuery): LinePage {
  assertBatch(db, query.batchId);
  const where = whereClause(query);
  const total =
    query.withTotal === false
      ? null
      : (db.prepare(`SELECT count(*) AS n ${FROM} WHERE ${where.sql}`).get(...where.params) as { n: number }).n;
  const direction = query.sort.direction === 'desc' ? 'DESC' : 'ASC';
  // Deferred join: sort and skip narrow rows (ids only), then read the page's 200 lines in full. Deep pages
  // of a 100,000-line batch cost a fraction of sorting every column of every line.
  const ids = db
    .prepare(
      `SELECT l.id, ${STATUS_SQL} AS status ${FROM} WHERE ${where.sql}
       ORDER BY ${SORT_SQL[query.sort.column]} ${direction} NULLS LAST, l.source_row, l.id LIMIT ? OFFSET ?`,
    )
    .pluck()
    .all(...where.params, query.limit, query.offset) as number[];
  return { total, offset: query.offset, rows: readLines(db, ids) };
}

/** The lines with these ids, in this order, as the grid shows them. */
function readLines(db: Db, ids: readonly number[]): LineRow[] {
  const details = db
    .prepare(
      `SELECT l.id, l.line_no, l.source_row, l.fields, o.id AS order_id, o.order_ref, o.customer_id, o.customer_name, o.email,
         o.card_token, o.shipping_address, o.delivery_date, o.notes, o.total_amount, o.errors, ${STATUS_SQL} AS status,
         s.error_code AS sync_error, s.error_class AS sync_class,
         (s.state = 'failed' AND s.backend_order_id IS NOT NULL AND s.payment_id IS NULL AND o.purged_at IS NULL) AS created_unpaid, (SELECT count(*) FROM order_lines x WHERE x.order_id = o.id) AS line_count
       ${FROM} WHERE l.id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids)) as RawLine[];
  const byId = new Map(details.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []).map(toRow);
}

/** Every line of one order (the side panel), in line order. */
export function orderLines(db: Db, batchId: number, orderRef: string): LineRow[] {
  assertBatch(db, batchId);
  const ids = db
    .prepare(
      'SELECT l.id FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.batch_id = ? AND o.order_ref = ? ORDER BY l.line_no',
    )
    .pluck()
    .all(batchId, orderRef) as number[];
  if (ids.length === 0) throw new AppError('ORDER_NOT_FOUND', { batchId, orderRef });
  return readLines(db, ids);
}

/** How many orders a grid query matches (what a visit or a search can show): the access entry's count. */
export function countOrders(db: Db, query: Pick<LineQuery, 'batchId' | 'status' | 'code' | 'search'>): number {
  const where = whereClause(query);
  return db
    .prepare(`SELECT count(DISTINCT o.id) ${FROM} WHERE ${where.sql}`)
    .pluck()
    .get(...where.params) as number;
}

/** Counts and yen totals by status, and how many orders carry each error code: the review screen's summary. */
export function batchOverview(db: Db, batchId: number): BatchOverview {
  assertBatch(db, batchId);
  const byStatus = db
    .prepare(
      `SELECT ${STATUS_SQL} AS status, count(*) AS orders, coalesce(sum(o.total_amount), 0) AS yen,
         coalesce(sum((SELECT count(*) FROM order_lines x WHERE x.order_id = o.id)), 0) AS lines
       FROM orders o LEFT JOIN sync_state s ON s.order_id = o.id WHERE o.batch_id = ? GROUP BY 1`,
    )
    .all(batchId) as { status: LineStatus; orders: number; yen: number; lines: number }[];
  const codes = db
    .prepare(
      `SELECT json_extract(e.value, '$.code') AS code, count(DISTINCT o.id) AS orders
       FROM orders o, json_each(o.errors) e WHERE o.batch_id = ? AND o.validation_status = 'invalid' GROUP BY 1 ORDER BY 2 DESC, 1`,
    )
    .all(batchId) as { code: string; orders: number }[];
  return {
    batchId,
    statuses: byStatus.map((s) => ({ status: s.status, orders: s.orders, lines: s.lines, yen: s.yen })),
    codes,
  };
}

/** Lines read per step while matching: bounded memory for a 100,000-line batch. */
const MATCH_STEP = 1000;
const MATCH_LIMIT = 10_000;

/**
 * The lines of a batch, under the grid's filter, whose field contains `find` ('' matches every line):
 * find & replace counts them before anything changes, "set for the filter" edits them.
 */
export function matchField(db: Db, input: MatchInput): MatchOutcome {
  const lines: MatchOutcome['lines'] = [];
  let total = 0;
  for (let offset = 0; ; offset += MATCH_STEP) {
    const page = queryLines(db, { ...input, sort: { column: 'row', direction: 'asc' }, offset, limit: MATCH_STEP, withTotal: false });
    for (const line of page.rows) {
      const value = line.fields[input.field] ?? '';
      if (!value.includes(input.find)) continue;
      total += 1;
      if (lines.length < MATCH_LIMIT) lines.push({ orderRef: line.orderRef, row: line.row, lineCount: line.lineCount, value });
    }
    if (page.rows.length < MATCH_STEP) return { total, lines };
  }
}
