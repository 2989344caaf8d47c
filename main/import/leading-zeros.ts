import type { Db } from '../store/database';
import { loadOrder, type StoredLine } from '../store/orders';
import type { ParsedLine } from './lines';
import { CODE_FIELD_LIST } from './values';

/**
 * Excel opens a code typed into a General cell as a number: "00123" comes back from a corrected error file as
 * 123. A re-import must not change a code that way. Where a file's value is the stored value with its leading
 * zeros dropped, the stored value is kept (order numbers, customer codes, SKUs and unmapped cells such as
 * phone numbers or postal codes); how many values were put back is reported to staff.
 */

const DIGITS = /^\d+$/;
const LEADING_ZEROS = /^0+(?=\d)/;

/** Whether `value` is `stored` (digits with a leading zero) as Excel shows it after dropping its leading zeros. */
export function lostLeadingZeros(value: string, stored: string): boolean {
  return (
    stored !== value && stored.startsWith('0') && DIGITS.test(stored) && DIGITS.test(value) && stored.replace(LEADING_ZEROS, '') === value
  );
}

/** The batch's one order number that is `ref` with leading zeros, if `ref` lost them (none, or two candidates: null). */
function storedRefFor(db: Db, batchId: number, ref: string): string | null {
  if (!DIGITS.test(ref)) return null;
  const candidates = db
    .prepare("SELECT order_ref FROM orders WHERE batch_id = ? AND order_ref LIKE '0%' AND ltrim(order_ref, '0') = ltrim(?, '0')")
    .pluck()
    .all(batchId, ref) as string[];
  const matching = candidates.filter((stored) => lostLeadingZeros(ref, stored));
  return matching.length === 1 ? (matching[0] ?? null) : null;
}

/** The stored lines of an order with their unmapped cells, by source row. */
function storedRows(
  db: Db,
  orderId: number,
  lines: readonly StoredLine[],
): Map<number, { fields: StoredLine['fields']; extra: Record<string, string> }> {
  const raw = new Map(
    (
      db.prepare('SELECT source_row, raw_cells FROM order_lines WHERE order_id = ?').all(orderId) as {
        source_row: number;
        raw_cells: string;
      }[]
    ).map((row) => [row.source_row, JSON.parse(row.raw_cells) as Record<string, string>]),
  );
  return new Map(lines.map((line) => [line.row, { fields: line.fields, extra: raw.get(line.row) ?? {} }]));
}

/**
 * The file's orders with values that lost their leading zeros put back to the stored ones, and how many
 * values that was. An order number is matched first (its lines then find their order); each line is compared
 * with the stored line of the same source row (the error file's source-row column), or of the same place in
 * the order when the file has no such row.
 */
export function restoreLeadingZeros(
  db: Db,
  batchId: number,
  orders: ReadonlyMap<string, ParsedLine[]>,
): { orders: Map<string, ParsedLine[]>; restored: number } {
  const result = new Map<string, ParsedLine[]>();
  let restored = 0;
  for (const [fileRef, lines] of orders) {
    let ref = fileRef;
    let order = loadOrder(db, batchId, ref);
    if (!order) {
      const stored = storedRefFor(db, batchId, fileRef);
      if (stored !== null && !orders.has(stored)) {
        ref = stored;
        order = loadOrder(db, batchId, ref);
        for (const line of lines) line.fields.order_ref = stored;
        restored += lines.length;
      }
    }
    result.set(ref, [...(result.get(ref) ?? []), ...lines]);
    if (!order) continue;
    const byRow = storedRows(db, order.id, order.lines);
    lines.forEach((line, index) => {
      const at = order.lines[index];
      const stored = byRow.get(line.row) ?? (at ? byRow.get(at.row) : undefined);
      if (!stored) return;
      for (const field of CODE_FIELD_LIST) {
        const value = line.fields[field];
        const before = stored.fields[field];
        if (value !== undefined && before !== undefined && lostLeadingZeros(value, before)) {
          line.fields[field] = before;
          restored += 1;
        }
      }
      for (const [column, value] of Object.entries(line.extra ?? {})) {
        const before = stored.extra[column];
        if (line.extra && before !== undefined && lostLeadingZeros(value, before)) {
          line.extra[Number(column)] = before;
          restored += 1;
        }
      }
    });
  }
  return { orders: result, restored };
}
