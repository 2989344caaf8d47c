import { type Field, FIELDS } from '../shared/fields';
import type { LineInput } from '../shared/validation';
import { fieldText } from './cells';
import { type ColumnMapping, normaliseHeader } from './mapping';
import { cellToText, maskCardNumbers, scanCardNumbers } from './normalize';
import { isBlank, type PreparedSheet } from './sheet';
import { groupRows, MISSING_REF_PREFIX, type SlipSheet } from './slips';
import { type Cell, cellText } from './types';
import { parseAmount, parseQuantity } from './amounts';

const TOTAL_WORDS = new Set(
  ['合計', '総計', '小計', '計', '総合計', '伝票計', '伝票合計', 'total', 'grandtotal', 'subtotal', 'sum'].map(normaliseHeader),
);

const LONGEST_TOTAL_WORD = Math.max(...[...TOTAL_WORDS].map((word) => word.length));

function isTotalRow(row: readonly Cell[], orderRefText: string): boolean {
  // An order number is never a total word: most rows stop here without normalising anything.
  if (orderRefText && (orderRefText.length > LONGEST_TOTAL_WORD + 4 || !TOTAL_WORDS.has(normaliseHeader(orderRefText)))) return false;
  return row.some((cell) => typeof cell === 'string' && TOTAL_WORDS.has(normaliseHeader(cell)));
}

export interface ParsedLine extends LineInput {
  /** Cells of unmapped columns, by column index (mapped ones are in fields). */
  extra: Record<number, string> | null;
}

/** What a line names an item by (a row with only an amount is a subtotal, not a line). */
const ITEM_FIELDS: readonly Field[] = ['sku', 'quantity'];

/** Reads the lines of a sheet under a mapping: which rows are order lines, and each line's fields. */
export class LineReader implements SlipSheet {
  private readonly mapped: Set<number>;
  private readonly entries: (readonly [Field, number])[];
  /** Dates without a year read so far (each line is read once). */
  datesWithoutYear = 0;
  private readonly countDate = (reading: { yearless: boolean }) => {
    if (reading.yearless) this.datesWithoutYear += 1;
  };

  constructor(
    private readonly prepared: PreparedSheet,
    private readonly mapping: ColumnMapping,
    /** The import's day: a date without a year is the next such date on or after it. */
    private readonly today: Date,
  ) {
    this.mapped = new Set(Object.values(mapping));
    this.entries = FIELDS.flatMap((field) => (mapping[field] === undefined ? [] : [[field, mapping[field] as number] as const]));
  }

  get first(): number {
    return this.prepared.headerIndex + 1;
  }

  get end(): number {
    return this.prepared.sheet.rows.length;
  }

  /** The order a row belongs to (its order_ref, masked), or null for blank and total rows. */
  orderRef(i: number): string | null {
    const { sheet } = this.prepared;
    const row = sheet.rows[i] ?? [];
    if (isBlank(row)) return null;
    const refText = fieldText('order_ref', row[this.mapping.order_ref as number] ?? null, this.today);
    if (isTotalRow(row, refText)) return null;
    if (refText === '') return `${MISSING_REF_PREFIX}${sheet.rowNumbers[i] ?? i + 1}`;
    return maskCardNumbers(refText);
  }

  hasItem(i: number): boolean {
    return ITEM_FIELDS.some((field) => this.text(i, field) !== '');
  }

  amount(i: number): number | null {
    const row = this.prepared.sheet.rows[i] ?? [];
    const cell = (field: Field) => (this.mapping[field] === undefined ? null : (row[this.mapping[field] as number] ?? null));
    const lineAmount = parseAmount(cell('line_amount'));
    if (lineAmount !== null) return lineAmount;
    const price = parseAmount(cell('unit_price'));
    const quantityCell = cell('quantity');
    // A row with an amount in the price column and no quantity (a subtotal written there) adds up to that amount.
    if (quantityCell === null || cellText(quantityCell).trim() === '') return price;
    const quantity = parseQuantity(quantityCell);
    return quantity === null || price === null ? null : quantity * price;
  }

  text(i: number, field: Field): string {
    const index = this.mapping[field];
    return index === undefined ? '' : fieldText(field, this.prepared.sheet.rows[i]?.[index] ?? null, this.today);
  }

  /** The lines of an order; a line that took its order number from the line above gets it written in. */
  lines(rows: readonly number[], ref: string): ParsedLine[] {
    const real = !ref.startsWith(MISSING_REF_PREFIX);
    return rows.map((i) => {
      const line = this.line(i);
      if (real && line.fields.order_ref === undefined) line.fields.order_ref = ref;
      return line;
    });
  }

  line(i: number): ParsedLine {
    const { sheet, headers } = this.prepared;
    const row = sheet.rows[i] ?? [];
    const rowNumber = sheet.rowNumbers[i] ?? i + 1;
    const fields: Partial<Record<Field, string>> = {};
    for (const [field, index] of this.entries) {
      const text = fieldText(field, row[index] ?? null, this.today, this.countDate);
      if (text !== '') fields[field] = maskCardNumbers(text);
    }
    const line: ParsedLine = { row: rowNumber, fields, extra: null };
    for (let index = 0; index < row.length; index += 1) {
      if (this.mapped.has(index)) continue;
      // Normalised like mapped cells, so full-width digits cannot hide a card number.
      // Unmapped columns are free text: width-folded, never NFKC (㈱ stays ㈱).
      const text = cellToText(row[index] ?? null, true);
      if (text === '') continue;
      const scan = scanCardNumbers(text);
      if (scan.found) {
        line.cardColumns ??= [];
        line.cardColumns.push(headers[index] || `#${index + 1}`);
      }
      line.extra ??= {};
      line.extra[index] = scan.masked;
    }
    return line;
  }
}

/** Every order of a sheet with its lines, in the order orders first appear. */
export function parseLines(prepared: PreparedSheet, mapping: ColumnMapping, today: Date = new Date()): Map<string, ParsedLine[]> {
  const reader = new LineReader(prepared, mapping, today);
  const orders = new Map<string, ParsedLine[]>();
  for (const [ref, rows] of groupRows(reader).orders) orders.set(ref, reader.lines(rows, ref));
  return orders;
}
