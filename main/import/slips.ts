import { AGREEING_FIELDS, type Field } from '../shared/fields';

/** Prefix of the stand-in order_ref for a line without one; such lines are kept, flagged REQUIRED, never matched as duplicates. */
export const MISSING_REF_PREFIX = '?';

/** What grouping needs to know of a sheet's rows (LineReader in stage.ts). */
export interface SlipSheet {
  readonly first: number;
  readonly end: number;
  /** The order a row belongs to (its order_ref, masked), a stand-in (MISSING_REF_PREFIX) when blank, null for blank and total rows. */
  orderRef(i: number): string | null;
  /** The row names an item: a SKU or a quantity. */
  hasItem(i: number): boolean;
  /** The yen a row adds up to: its line amount, else quantity x unit price; null when it cannot be read. */
  amount(i: number): number | null;
  /** A mapped field's text on a row, as the line would hold it ('' when blank or unmapped). */
  text(i: number, field: Field): string;
}

export interface GroupedRows {
  /** Row indexes per order_ref, in the order orders first appear (blank and total rows left out). */
  orders: Map<string, number[]>;
  /** Lines without an order number that took the one of the line above (an order slip's later lines). */
  continued: number;
}

/** An order's first value of each order field, over the first `scanned` of its rows. */
interface OrderValues {
  values: Partial<Record<Field, string>>;
  scanned: number;
}

/**
 * A line with a blank order number directly below a line of an order (an order slip: 伝票番号 written once,
 * the next lines left blank) belongs to that order unless it gives a customer, email, token or address that
 * differs from the order's (then it is another order, missing its number). A per-line note or delivery date
 * is normal on a slip and does not break it. A row that names no item (no SKU, no quantity) is a subtotal
 * when its amount is what the order's lines above add up to, and is left out; any other such row (a discount,
 * a shipping fee) joins the order too, so the order cannot pass validation without staff looking at it.
 * Each row of an order is read for its order fields once, however many lines continue it.
 */
function continues(sheet: SlipSheet, i: number, rows: readonly number[], known: OrderValues): 'line' | 'subtotal' | false {
  for (; known.scanned < rows.length; known.scanned += 1) {
    const row = rows[known.scanned] as number;
    for (const field of AGREEING_FIELDS) {
      if (known.values[field] !== undefined) continue;
      const value = sheet.text(row, field);
      if (value !== '') known.values[field] = value;
    }
  }
  for (const field of AGREEING_FIELDS) {
    const value = sheet.text(i, field);
    const theirs = known.values[field];
    if (value !== '' && theirs !== undefined && value !== theirs) return false;
  }
  if (sheet.hasItem(i)) return 'line';
  return isSubtotal(sheet, i, rows) ? 'subtotal' : 'line';
}

function isSubtotal(sheet: SlipSheet, i: number, rows: readonly number[]): boolean {
  const amount = sheet.amount(i);
  if (amount === null) return false;
  let sum = 0;
  for (const row of rows) {
    const line = sheet.amount(row);
    if (line === null) return false;
    sum += line;
  }
  return amount === sum;
}

/**
 * Groups a sheet's rows by order. Only row indexes are kept: a line's fields are read when its order is
 * validated, so they die young instead of living through the whole import (V8's scavenges copy every
 * survivor, twice).
 */
export function groupRows(sheet: SlipSheet): GroupedRows {
  const orders = new Map<string, number[]>();
  let continued = 0;
  const known = new Map<number[], OrderValues>();
  /** The order of the row just above, when it is a line with an order number. */
  let above: number[] | null = null;
  for (let i = sheet.first; i < sheet.end; i += 1) {
    const ref = sheet.orderRef(i);
    if (ref === null) {
      above = null;
      continue;
    }
    if (ref.startsWith(MISSING_REF_PREFIX)) {
      if (above) {
        let values = known.get(above);
        if (!values) {
          values = { values: {}, scanned: 0 };
          known.set(above, values);
        }
        const joined = continues(sheet, i, above, values);
        if (joined === 'subtotal') continue;
        if (joined === 'line') {
          above.push(i);
          continued += 1;
          continue;
        }
      }
      above = null;
    }
    let rows = orders.get(ref);
    if (rows) rows.push(i);
    else {
      rows = [i];
      orders.set(ref, rows);
    }
    if (!ref.startsWith(MISSING_REF_PREFIX)) above = rows;
  }
  return { orders, continued };
}
