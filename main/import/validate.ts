import { AGREEING_FIELDS, type Field, type FieldValues, ORDER_FIELDS, REQUIRED_FIELDS } from '../shared/fields';
import { checkMasters, type MasterIndex } from '../masters/checks';
import type { LineInput, OrderValidation, ValidatedLine, ValidationIssue } from '../shared/validation';
import { parseAmount, parseQuantity } from './amounts';
import { EMAIL, parseDate } from './normalize';
import { CODE_FIELD_LIST, isInexactCode } from './values';

export {
  type LineInput,
  type OrderValidation,
  VALIDATION_CODES,
  type ValidatedLine,
  type ValidationCode,
  type ValidationIssue,
} from '../shared/validation';

export interface Rules {
  minAmount: number;
  maxAmount: number;
}

export const BACKEND_RULES: Rules = { minAmount: 100, maxAmount: 1_000_000 };

/** A masked card number as left by the importer: staff must replace the value. */
const MASKED_CARD = /\*{9,15}\d{4}/;

const LINE_REQUIRED: readonly Field[] = REQUIRED_FIELDS.filter((field) => !ORDER_FIELDS.includes(field));
const ORDER_REQUIRED: readonly Field[] = REQUIRED_FIELDS.filter((field) => ORDER_FIELDS.includes(field));

const MAX_PRICE = 100_000_000;

/** A yen field's value: an integer >= 0, or an issue (negatives are said to be negative). */
function yen(row: number, field: 'unit_price' | 'line_amount', text: string, limit: number, issues: ValidationIssue[]): number | null {
  const n = parseAmount(text);
  if (n !== null && n < 0) issues.push({ row, field, code: 'NEGATIVE_AMOUNT', value: text });
  else if (n !== null && Number.isInteger(n) && n <= limit) return n;
  else issues.push({ row, field, code: 'INVALID_PRICE', value: text });
  return null;
}

/** Line-level checks: the item fields, codes, and card numbers anywhere on the line. */
export function validateLine(line: LineInput, issues: ValidationIssue[]): ValidatedLine {
  const { fields, row } = line;
  for (const field of LINE_REQUIRED)
    if (!fields[field] && !(field === 'unit_price' && fields.line_amount)) issues.push({ row, field, code: 'REQUIRED', value: '' });
  // Values reach validation with card numbers already masked (import and edit both mask first).
  for (const field in fields) {
    const value = fields[field as Field];
    if (value?.includes('****') && MASKED_CARD.test(value)) issues.push({ row, field, code: 'CARD_NUMBER', value });
  }
  for (const field of CODE_FIELD_LIST) {
    const value = fields[field];
    if (value && isInexactCode(value)) issues.push({ row, field, code: 'INVALID_CODE', value });
  }
  if (line.cardColumns) for (const column of line.cardColumns) issues.push({ row, field: column, code: 'CARD_NUMBER', value: '****' });

  let quantity: number | null = null;
  if (fields.quantity) {
    const n = parseQuantity(fields.quantity);
    if (n !== null && Number.isInteger(n) && n > 0 && n <= 1_000_000) quantity = n;
    else issues.push({ row, field: 'quantity', code: 'INVALID_QUANTITY', value: fields.quantity });
  }
  let unitPrice = fields.unit_price ? yen(row, 'unit_price', fields.unit_price, MAX_PRICE, issues) : null;
  if (fields.line_amount) {
    const amount = yen(row, 'line_amount', fields.line_amount, MAX_PRICE * 1_000_000, issues);
    if (amount !== null && quantity !== null) {
      if (!fields.unit_price) {
        // No unit price: derived from the line amount when it divides exactly, never rounded.
        if (amount % quantity === 0 && amount / quantity <= MAX_PRICE) unitPrice = amount / quantity;
        else issues.push({ row, field: 'line_amount', code: 'AMOUNT_NOT_DIVISIBLE', value: fields.line_amount });
      } else if (unitPrice !== null && unitPrice * quantity !== amount) {
        issues.push({ row, field: 'line_amount', code: 'AMOUNT_MISMATCH', value: fields.line_amount });
      }
    }
  }
  return { quantity, unitPrice };
}

/**
 * Validates one order (all lines sharing an order_ref) against the backend's rules. Order fields
 * (customer, email, token, address, ...) belong to the order: a line may leave them blank, but a line
 * with a different value is CONFLICTING_LINES.
 */
export function validateOrder(
  lines: readonly LineInput[],
  // The master rows loaded for this import (none loaded: no master check, exactly as before masters existed).
  options: { duplicate: boolean; rules?: Rules; masters?: MasterIndex | null },
): OrderValidation {
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
  if (options.masters && first)
    checkMasters(options.masters, lines, validated, order, deliveryDate, (field) => takenFrom[field] ?? first.row, issues);
  if (issues.length > 1) issues.sort((a, b) => a.row - b.row);
  return { issues, lines: validated, order, deliveryDate, total };
}
