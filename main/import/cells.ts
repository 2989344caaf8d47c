import { type DateReading, readDate } from './dates';
import type { Field } from '../shared/fields';
import { cellToText } from './normalize';
import { type Cell, isNumberCell } from './types';
import { CODE_FIELDS, codeFromNumber, isWordField, normaliseFor } from './values';

const AMOUNTS: ReadonlySet<Field> = new Set(['quantity', 'unit_price', 'line_amount']);

/**
 * A field's text from a cell, as it is stored and validated: numbers by value (not by display rounding),
 * codes exact (a number cell's integer, never `4.90123E+12`), dates as ISO yyyy-mm-dd when they can be read
 * (`onDate` hears how), names, addresses and notes width-folded only, everything else NFKC.
 */
export function fieldText(field: Field, cell: Cell, reference: Date, onDate?: (reading: DateReading) => void): string {
  if (cell === null) return '';
  if (isNumberCell(cell)) {
    if (AMOUNTS.has(field)) return String(cell.v);
    if (CODE_FIELDS.has(field)) return codeFromNumber(cell);
  }
  if (field === 'delivery_date') {
    const reading = readDate(cell, reference);
    if (reading) {
      onDate?.(reading);
      return reading.date;
    }
  }
  return cellToText(cell, isWordField(field));
}

/** A value staff typed for a field (an edit), normalised as an imported cell of that field would be. */
export function editedText(field: Field, value: string, reference: Date): string {
  const text = normaliseFor(field, value);
  return field === 'delivery_date' && text ? (readDate(text, reference)?.date ?? text) : text;
}
