import { type Cell, isNumberCell } from './types';
import { normaliseText } from './values';

/**
 * Yen amounts and counts as sheets write them: "1,500", "¥1,500", "￥1,500", "\\1,500" (a Shift_JIS yen
 * sign arrives as a backslash), "1500円", full-width digits; negatives in accounting notation ("¥1,234-",
 * "△1,234", "▲1,234", "(1,234)", "-1,234", "−1,234"); counts with a counter word ("2個", "10 個", "2 pcs").
 */

const PLAIN_INTEGER = /^\d{1,15}$/;
const NUMBER = /^\d+(?:\.\d+)?$/;
const THOUSANDS = /,(?=\d{3}(?:\D|$))/g;
const CURRENCY_BEFORE = /^(?:[¥\\$]|JPY)\s*/i;
const CURRENCY_AFTER = /\s*(?:円|JPY)$/i;
const COUNTER = /\s*(?:個|点|本|枚|箱|台|pcs|pc|ea)\.?$/i;

const MINUS = new Set(['-', '\u2212', '\u2010', '\u2013', '△', '▲']);

/** A number from text, sign included; null for anything that is not a finite number. */
function readSigned(raw: string, counter: boolean): number | null {
  let text = normaliseText(raw);
  if (counter) text = text.replace(COUNTER, '');
  let negative = false;
  if (text.startsWith('(') && text.endsWith(')')) {
    negative = true;
    text = text.slice(1, -1).trim();
  }
  if (MINUS.has(text.charAt(0))) {
    negative = true;
    text = text.slice(1).trim();
  }
  text = text.replace(CURRENCY_BEFORE, '').replace(CURRENCY_AFTER, '');
  // The sign may also stand after the yen sign ("¥-1,234") or after the number, as ledgers print it.
  if (MINUS.has(text.charAt(0))) {
    negative = true;
    text = text.slice(1).trim();
  }
  if (text.length > 1 && MINUS.has(text.charAt(text.length - 1))) {
    negative = true;
    text = text.slice(0, -1).trim();
  }
  text = text.replace(THOUSANDS, '');
  if (!NUMBER.test(text)) return null;
  const value = Number(text);
  return negative ? -value : value;
}

/** A yen amount (negatives included, for validation to say so), or null. */
export function parseAmount(cell: Cell): number | null {
  if (cell === null) return null;
  if (isNumberCell(cell)) return Number.isFinite(cell.v) ? cell.v : null;
  if (typeof cell !== 'string') return null;
  // Plain digits (most cells of a well-formed sheet): no normalising or pattern work needed.
  if (PLAIN_INTEGER.test(cell)) return Number(cell);
  return readSigned(cell, false);
}

/** A count, with or without a counter word (個, 点, 本, 枚, 箱, 台, pcs, pc, ea), or null. */
export function parseQuantity(cell: Cell): number | null {
  if (typeof cell === 'string') return PLAIN_INTEGER.test(cell) ? Number(cell) : readSigned(cell, true);
  return parseAmount(cell);
}
