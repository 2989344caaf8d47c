import type { Input, LineRow, LineStatus } from '@shared/contract';
import type { TFunction } from 'i18next';
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
}

export const COLUMNS: readonly Column[] = [
  { key: 'row', sort: 'row', width: 64, numeric: true },
  { key: 'order_ref', sort: 'order_ref', width: 160 },
  { key: 'status', sort: 'status', width: 110 },
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
export const ROW_HEIGHT = 34;
export const STATUSES: readonly LineStatus[] = ['valid', 'invalid', 'excluded', 'syncing', 'synced', 'failed', 'needs_review'];
export const EXCLUDABLE = new Set<LineStatus>(['valid', 'invalid', 'pending']);

const TITLES: Record<string, string> = { row: 'review.rowCol', status: 'review.status', actions: 'review.actions' };

export function columnTitle(column: Column, t: TFunction): string {
  return t(TITLES[column.key] ?? `fields.${column.key}`);
}

export function cellText(line: LineRow, column: Column, locale: string): string {
  if (column.key === 'row') return String(line.row);
  if (column.key === 'order_ref') return line.lineCount > 1 ? `${line.orderRef} (${line.lineNo}/${line.lineCount})` : line.orderRef;
  if (column.key === 'total_amount') return line.lineNo === 1 && line.totalAmount !== null ? formatYen(line.totalAmount, locale) : '';
  return line.fields[column.key] ?? '';
}
