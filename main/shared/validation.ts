import type { FieldValues } from './fields';

/** The codes of the master-data checks (main/masters). */
export const MASTER_CODES = [
  'UNKNOWN_SKU',
  'INACTIVE_SKU',
  'UNKNOWN_CUSTOMER',
  'INACTIVE_CUSTOMER',
  'PRICE_MISMATCH',
  'CUSTOMER_NAME_MISMATCH',
] as const;

/** What validation says about an order, as the store keeps it (the rules themselves are in main/import/validate). */
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
  'INVALID_CODE',
  'NEGATIVE_AMOUNT',
  'AMOUNT_NOT_DIVISIBLE',
  'AMOUNT_MISMATCH',
  // Master-data checks (main/masters): only when a master list is loaded.
  ...MASTER_CODES,
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
  /** 'warning' is shown and exported but does not make the order invalid; absent means 'error'. */
  severity?: IssueSeverity;
  /** The master list's value the cell was checked against (price, name, or the code's state), when there is one. */
  master?: string;
  /** Near master codes for an unknown one (at most 3), best first. */
  suggestions?: string[];
}

export type IssueSeverity = 'error' | 'warning';

/** An issue that makes its order invalid (every issue but a warning). */
export function isBlocking(issue: Pick<ValidationIssue, 'severity'>): boolean {
  return issue.severity !== 'warning';
}

/** Whether issues leave an order valid: none of them blocks. */
export function hasBlocking(issues: readonly Pick<ValidationIssue, 'severity'>[]): boolean {
  for (const issue of issues) if (issue.severity !== 'warning') return true;
  return false;
}

export interface LineInput {
  row: number;
  fields: FieldValues;
  /** Card numbers found in unmapped columns at import, by header. */
  cardColumns?: string[];
}

export interface ValidatedLine {
  quantity: number | null;
  unitPrice: number | null;
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

/** A validation issue of an imported order, naming the order. */
export interface ImportIssue extends ValidationIssue {
  order_ref: string;
}
