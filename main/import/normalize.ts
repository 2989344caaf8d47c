import { formatDate } from './dates';
import { type Cell, isNumberCell } from './types';
import { foldWidth, normaliseText, numberDisplay } from './values';

export { parseAmount as parseNumber } from './amounts';
export { type CardScan, maskCardNumbers, scanCardNumbers } from './cards';
export { parseDate } from './dates';
export { normaliseText } from './values';

/**
 * A cell's text, NFKC-normalised (codes, numbers, emails, dates), or only width-folded with `words` (names,
 * addresses, notes, unmapped columns: `㈱`, `①`, `Ⅱ` stay as written).
 */
export function cellToText(cell: Cell, words = false): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return words ? foldWidth(cell) : normaliseText(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (cell instanceof Date) return formatDate(cell);
  if (isNumberCell(cell)) return normaliseText(numberDisplay(cell));
  return '';
}

export const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
