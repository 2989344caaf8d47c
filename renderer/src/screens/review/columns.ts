import type { Input, LineRow, LineStatus } from '@shared/contract';
import type { TFunction } from 'i18next';
import { UNPAID_FIXABLE_FIELDS } from '@shared/fields';
import { formatYen } from '../../i18n';
import type { SortColumn } from '../../state/review';

/** The review grid's columns: what each shows, whether staff may edit or sort it, and its width. */

export type EditableField = Input<'editField'>['field'];

export interface Column {
  key: string;
  /** The field edited in this column, if staff may edit it. */
  field?: EditableField;
  sort?: SortColumn;
  width: number;
  numeric?: boolean;
  /** Frozen columns stay at the left edge while the grid scrolls sideways (position: sticky). */
  frozen?: boolean;
}

export const COLUMNS: readonly Column[] = [
  // Six digits: the staff's link back to the spreadsheet row, even in a 100,000-line batch.
  { key: 'row', sort: 'row', width: 76, numeric: true, frozen: true },
  { key: 'order_ref', sort: 'order_ref', width: 150, frozen: true },
  { key: 'status', sort: 'status', width: 100, frozen: true },
  // Always in view right after the frozen columns: why the row is not valid, without hovering.
  { key: 'errors', width: 300 },
  { key: 'customer_id', field: 'customer_id', sort: 'customer_id', width: 110 },
  { key: 'customer_name', field: 'customer_name', sort: 'customer_name', width: 180 },
  { key: 'email', field: 'email', width: 210 },
  { key: 'sku', field: 'sku', sort: 'sku', width: 110 },
  { key: 'quantity', field: 'quantity', sort: 'quantity', width: 80, numeric: true },
  { key: 'unit_price', field: 'unit_price', sort: 'unit_price', width: 100, numeric: true },
  { key: 'total_amount', sort: 'total_amount', width: 120, numeric: true },
  { key: 'card_token', field: 'card_token', width: 140 },
  { key: 'shipping_address', field: 'shipping_address', width: 260 },
  { key: 'delivery_date', field: 'delivery_date', width: 120 },
  { key: 'notes', field: 'notes', width: 160 },
  { key: 'actions', width: 90 },
];
export const TEMPLATE = COLUMNS.map((c) => `${c.width}px`).join(' ');
/** A row's full width: rows are size-contained, so they do not work it out from their cells. */
export const ROW_WIDTH = COLUMNS.reduce((sum, c) => sum + c.width, 0);
/** Each column's left edge in the row, and the width the frozen columns cover. */
export const COLUMN_LEFT: readonly number[] = COLUMNS.map((_, i) => COLUMNS.slice(0, i).reduce((sum, c) => sum + c.width, 0));
export const FROZEN_WIDTH = COLUMNS.filter((c) => c.frozen).reduce((sum, c) => sum + c.width, 0);
export const ERRORS_COL = COLUMNS.findIndex((c) => c.key === 'errors');
export const ROW_HEIGHT = 34;
export const STATUSES: readonly LineStatus[] = [
  'valid',
  'invalid',
  'excluded',
  'syncing',
  'paid_unnotified',
  'synced',
  'failed',
  'needs_review',
  'purged',
];
export const EXCLUDABLE = new Set<LineStatus>(['valid', 'invalid', 'pending']);
const UNPAID_FIXABLE: ReadonlySet<string> = new Set(UNPAID_FIXABLE_FIELDS);

/**
 * Whether staff may edit this field of this line: any field of an order not yet sent; of an order created at
 * the backend whose payment failed, only the payment token and fields the created order never carried.
 */
export function canEdit(line: LineRow, field: string | undefined): boolean {
  if (!field) return false;
  return EXCLUDABLE.has(line.status) || (line.createdUnpaid === true && UNPAID_FIXABLE.has(field));
}

const TITLES: Record<string, string> = {
  row: 'review.rowCol',
  status: 'review.status',
  errors: 'review.errorsCol',
  actions: 'review.actions',
};

export function columnTitle(column: Column, t: TFunction): string {
  return t(TITLES[column.key] ?? `fields.${column.key}`);
}

export function cellText(line: LineRow, column: Column, locale: string): string {
  if (column.key === 'row') return String(line.row);
  if (column.key === 'order_ref') return line.lineCount > 1 ? `${line.orderRef} (${line.lineNo}/${line.lineCount})` : line.orderRef;
  if (column.key === 'total_amount') return line.lineNo === 1 && line.totalAmount !== null ? formatYen(line.totalAmount, locale) : '';
  const raw = line.fields[column.key] ?? '';
  if (column.key === 'unit_price') return displayYen(raw, locale);
  if (column.key === 'delivery_date') return displayDate(raw, locale);
  return raw;
}

const FULL_WIDTH_DIGIT = /[０-９]/g;

/** "50", "¥1,600", "\\500", "￥１６００" all show as one yen format; text that is not an amount shows as typed. */
export function displayYen(raw: string, locale: string): string {
  const digits = raw
    .trim()
    .replace(FULL_WIDTH_DIGIT, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/^[¥￥\\]|円$/g, '')
    .replace(/[,，]/g, '');
  return /^\d+$/.test(digits) ? formatYen(Number(digits), locale) : raw;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** 2026-12-08 shows as 2026/12/08 in Japanese and as the locale's date in English; anything else as typed. */
export function displayDate(raw: string, locale: string): string {
  const match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(raw.trim());
  if (!match) return raw;
  const [, y, m, d] = match;
  if (locale !== 'en') return `${y}/${m?.padStart(2, '0')}/${d?.padStart(2, '0')}`;
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
    dateFormats.set(locale, format);
  }
  return format.format(new Date(Date.UTC(Number(y), Number(m) - 1, Number(d))));
}
