import { AGREEING_FIELDS, type Field, type FieldValues, ORDER_FIELDS, REQUIRED_FIELDS } from './fields';
import { EMAIL, parseDate, parseNumber } from './normalize';

export const VALIDATION_CODES = [
  'REQUIRED',
  'INVALID_EMAIL',
  'INVALID_QUANTITY',
  'INVALID_PRICE',
  'AMOUNT_BELOW_MIN',
  'AMOUNT_ABOVE_MAX',
  'CARD_NUMBER',
  'DUPLICATE_ORDER',
  'CONFLICTING_LINES',
  'INVALID_DATE',
] as const;
export type ValidationCode = (typeof VALIDATION_CODES)[number];

export interface ValidationIssue {
  /** The source row the problem is on (file row number as Excel shows it). */
  row: number;
  /** A canonical field, `total_amount`, or the header of an unmapped column. */
  field: string;
  code: ValidationCode;
  /** The cell value as imported (card numbers masked). */
  value: string;
}

export interface LineInput {
  row: number;
  fields: Partial<Record<Field, string>>;
  /** Card numbers found in unmapped columns at import, by header. */
  cardColumns?: string[];
}

export interface ValidatedLine {
  quantity: number | null;
  unitPrice: number | null;
}

export interface Rules {
  minAmount: number;
  maxAmount: number;
}

export const BACKEND_RULES: Rules = { minAmount: 100, maxAmount: 1_000_000 };

/** A masked card number as left by the importer: staff must replace the value. */
const MASKED_CARD = /\*{9,15}\d{4}/;

const LINE_REQUIRED: readonly Field[] = REQUIRED_FIELDS.filter((field) => !ORDER_FIELDS.includes(field));
const IS_ORDER_FIELD: ReadonlySet<Field> = new Set(ORDER_FIELDS);
const ORDER_REQUIRED: readonly Field[] = REQUIRED_FIELDS.filter((field) => ORDER_FIELDS.includes(field));

/** Line-level checks: the item fields, and card numbers anywhere on the line. */
export function validateLine(line: LineInput, issues: ValidationIssue[]): ValidatedLine {
  const { fields, row } = line;
  for (const field of LINE_REQUIRED) if (!fields[field]) issues.push({ row, field, code: 'REQUIRED', value: '' });
  // Values reach validation with card numbers already masked (import and edit both mask first).
  for (const field in fields) {
    const value = fields[field as Field];
    if (value?.includes('****') && MASKED_CARD.test(value)) issues.push({ row, field, code: 'CARD_NUMBER', value });
  }
  if (line.cardColumns) for (const column of line.cardColumns) issues.push({ row, field: column, code: 'CARD_NUMBER', value: '****' });

  let quantity: number | null = null;
  if (fields.quantity) {
    const n = parseNumber(fields.quantity);
    if (n !== null && Number.isInteger(n) && n > 0 && n <= 1_000_000) quantity = n;
    else issues.push({ row, field: 'quantity', code: 'INVALID_QUANTITY', value: fields.quantity });
  }
  let unitPrice: number | null = null;
  if (fields.unit_price) {
    const n = parseNumber(fields.unit_price);
    if (n !== null && Number.isInteger(n) && n >= 0 && n <= 100_000_000) unitPrice = n;
    else issues.push({ row, field: 'unit_price', code: 'INVALID_PRICE', value: fields.unit_price });
  }
  return { quantity, unitPrice };
}

export interface OrderValidation {
  issues: ValidationIssue[];
  lines: ValidatedLine[];
  /** The order's own fields: on each, the first non-empty value of its lines (blank continuation cells mean "same"). */
  order: FieldValues;
  deliveryDate: string | null;
  /** Sum of quantity x unit_price; null while any line's quantity or price is unusable. */
  total: number | null;
}

/**
 * Validates one order (all lines sharing an order_ref) against the backend's rules. Order fields
 * (customer, email, token, address, ...) belong to the order: a line may leave them blank, but a line
 * with a different value is CONFLICTING_LINES.
 */
export function validateOrder(lines: readonly LineInput[], options: { duplicate: boolean; rules?: Rules }): OrderValidation {
  const rules = options.rules ?? BACKEND_RULES;
  const issues: ValidationIssue[] = [];
  const first = lines[0];
  const order: FieldValues = {};
  /** The row each order field was taken from, for the issues about it. */
  const takenFrom: Partial<Record<Field, number>> = {};
  for (const field of ORDER_FIELDS) {
    for (const line of lines) {
      const value = line.fields[field];
      if (value) {
        order[field] = value;
        takenFrom[field] = line.row;
        break;
      }
    }
  }
  const validated: ValidatedLine[] = [];
  for (const line of lines) validated.push(validateLine(line, issues));
  let deliveryDate: string | null = null;
  if (first) {
    const at = (field: Field) => takenFrom[field] ?? first.row;
    for (const field of ORDER_REQUIRED) if (!order[field]) issues.push({ row: first.row, field, code: 'REQUIRED', value: '' });
    if (order.email && !EMAIL.test(order.email))
      issues.push({ row: at('email'), field: 'email', code: 'INVALID_EMAIL', value: order.email });
    if (order.delivery_date) {
      deliveryDate = parseDate(order.delivery_date);
      if (deliveryDate === null)
        issues.push({ row: at('delivery_date'), field: 'delivery_date', code: 'INVALID_DATE', value: order.delivery_date });
    }
    for (const field of AGREEING_FIELDS) {
      for (const line of lines) {
        const value = line.fields[field];
        if (value && value !== order[field]) issues.push({ row: line.row, field, code: 'CONFLICTING_LINES', value });
      }
    }
    if (options.duplicate)
      issues.push({ row: first.row, field: 'order_ref', code: 'DUPLICATE_ORDER', value: first.fields.order_ref ?? '' });
  }
  let total: number | null = 0;
  for (const line of validated) {
    if (total === null || line.quantity === null || line.unitPrice === null) total = null;
    else total += line.quantity * line.unitPrice;
  }
  if (total !== null && first) {
    if (total < rules.minAmount) issues.push({ row: first.row, field: 'total_amount', code: 'AMOUNT_BELOW_MIN', value: String(total) });
    if (total > rules.maxAmount) issues.push({ row: first.row, field: 'total_amount', code: 'AMOUNT_ABOVE_MAX', value: String(total) });
  }
  if (issues.length > 1) issues.sort((a, b) => a.row - b.row);
  return { issues, lines: validated, order, deliveryDate, total };
}

/**
 * What a line keeps in the store: its item fields, and order fields only where they differ from the order's
 * (a conflict to show). Order fields equal to the order's are stored once, on the orders row, for every
 * line, the first included; reading a line puts them back (lineFieldValues). Blank ones were the order's.
 */
export function storedLineFields(line: LineInput, order: FieldValues): FieldValues {
  const kept: FieldValues = {};
  for (const key in line.fields) {
    const field = key as Field;
    const value = line.fields[field];
    if (value !== undefined && (!IS_ORDER_FIELD.has(field) || value !== order[field])) kept[field] = value;
  }
  return kept;
}
