import * as XLSX from '@e965/xlsx';
import { appendAudit } from '../audit/log';
import type { TFunction } from 'i18next';
import { type FieldValues, isField } from '../shared/fields';
import { AppError } from '../shared/errors';
import type { Db } from '../store/database';
import { issuesOnRow, lineFieldValues, type OrderFieldColumns } from '../store/orders';
import { type ExportCell, neutralise } from './cells';
import { issueText } from '../shared/issue-text';
import { encodeShiftJis } from './shiftjis';

export interface ExportTable {
  header: string[];
  rows: ExportCell[][];
  /** The original file's row of each row (named when a row cannot be encoded), and of the header. */
  sourceRows?: number[];
  headerRow?: number;
  /** Orders in the table, when a row is a line (the access entry's count); else one row per order. */
  orders?: number;
}

/** The only fields exported as numbers (when the stored value is one); every other field is text as staged. */
const NUMERIC_FIELDS = new Set<string>(['quantity', 'unit_price']);
const DECIMAL = /^-?\d{1,15}(\.\d+)?$/;

/** A decimal text that reads back the same as a number ("-1", "2.5"; not "007" or "2.50"). */
function exactNumber(text: string): number | null {
  return DECIMAL.test(text) && String(Number(text)) === text ? Number(text) : null;
}

interface BatchMeta {
  headers: string[];
  mapping: Record<string, string>;
  headerRow: number | null;
}

function batchMeta(db: Db, batchId: number): BatchMeta {
  const row = db.prepare('SELECT headers, column_mapping, header_row FROM batches WHERE id = ?').get(batchId) as
    | { headers: string; column_mapping: string; header_row: number | null }
    | undefined;
  if (!row) throw new AppError('BATCH_NOT_FOUND', { batchId });
  return { headers: JSON.parse(row.headers), mapping: JSON.parse(row.column_mapping), headerRow: row.header_row };
}

interface LineRow extends OrderFieldColumns {
  order_id: number;
  order_ref: string;
  source_row: number;
  quantity: number | null;
  unit_price: number | null;
  fields: string;
  raw_cells: string;
  errors: string;
  validation_status: string;
  state: string | null;
  error_class: string | null;
  error_code: string | null;
}

/**
 * The failed and invalid orders of a batch as the staff sent them: the original columns (as imported,
 * normalised, card numbers masked), then error code, error message and source row, one row per line,
 * so the file can be fixed and imported again into the same batch.
 */
export function errorTable(db: Db, batchId: number, t: TFunction): ExportTable {
  const { headers, mapping, headerRow } = batchMeta(db, batchId);
  const fieldAt = new Map<number, string>();
  for (const [field, header] of Object.entries(mapping)) {
    const index = headers.indexOf(header);
    if (index >= 0 && isField(field)) fieldAt.set(index, field);
  }
  const lines = db
    .prepare(
      `SELECT l.order_id, o.order_ref, l.source_row, l.quantity, l.unit_price, l.fields, l.raw_cells, o.customer_id, o.customer_name, o.email,
         o.card_token, o.shipping_address, o.delivery_date, o.notes, o.errors, o.validation_status, s.state, s.error_class, s.error_code
       FROM order_lines l JOIN orders o ON o.id = l.order_id LEFT JOIN sync_state s ON s.order_id = o.id
       WHERE o.batch_id = ? AND (o.validation_status = 'invalid' OR s.state IN ('failed', 'needs_review') OR (o.errors LIKE '%"severity":"warning"%' AND (s.state IS NULL OR s.state = 'queued')))
       ORDER BY l.order_id, l.line_no`,
    )
    .all(batchId) as LineRow[];
  const rows: ExportCell[][] = [];
  const sourceRows: number[] = [];
  let previousOrder = -1;
  let withMasters = false;
  for (const line of lines) {
    const fields = lineFieldValues(line.fields, line);
    const extra = JSON.parse(line.raw_cells) as Record<string, string>;
    const cells: ExportCell[] = headers.map((_, index) => {
      const field = fieldAt.get(index);
      if (!field) return extra[String(index)] ?? '';
      const text = fields[field as keyof FieldValues] ?? '';
      if (NUMERIC_FIELDS.has(field)) {
        // An invalid amount (-1, 2.5) is not stored as a number, yet it is still one: staff fix it as a number.
        const value = field === 'quantity' ? line.quantity : line.unit_price;
        if (value !== null) return value;
        const number = exactNumber(text);
        if (number !== null) return number;
      }
      return text;
    });
    const issues = issuesOnRow(line.errors, line.source_row);
    const codes = issues.map((issue) => issue.code as string);
    const messages = issues.map((issue) => issueText(t, issue));
    const masters = issues.flatMap((issue) =>
      issue.master === undefined ? [] : [issue.master === 'inactive' ? t('masters.inactive') : issue.master],
    );
    const suggested = issues.flatMap((issue) => issue.suggestions ?? []);
    if (masters.length || suggested.length) withMasters = true;
    if (line.order_id !== previousOrder && (line.state === 'failed' || line.state === 'needs_review')) {
      codes.push(line.error_code ?? line.state.toUpperCase());
      messages.push(
        t(`syncErrors.${line.state === 'needs_review' ? 'needs_review' : (line.error_class ?? 'rejected')}`, {
          code: line.error_code ?? '',
        }),
      );
    }
    previousOrder = line.order_id;
    rows.push([...cells, codes.join('; '), messages.join(' / '), line.source_row, masters.join('; '), suggested.join('; ')]);
    sourceRows.push(line.source_row);
  }
  const orders = new Set(lines.map((line) => line.order_id)).size;
  const header = [...headers, t('export.errorCode'), t('export.errorMessage'), t('export.sourceRow')];
  // The master's value beside the file's, only when a master check said something (else the file is as before).
  if (withMasters) header.push(t('export.masterValue'), t('export.suggestions'));
  else for (const row of rows) row.length -= 2;
  return {
    header,
    rows,
    sourceRows,
    headerRow: headerRow ?? undefined,
    orders,
  };
}

/** Per synced order: the backend's order id, payment id and transaction id, with the source rows. */
export function successTable(db: Db, batchId: number, t: TFunction): ExportTable {
  batchMeta(db, batchId);
  const rows = db
    .prepare(
      `SELECT o.order_ref, s.backend_order_id, s.payment_id, s.transaction_id, o.total_amount,
         (SELECT group_concat(source_row, ',') FROM order_lines WHERE order_id = o.id) AS source_rows, s.updated_at
       FROM orders o JOIN sync_state s ON s.order_id = o.id WHERE o.batch_id = ? AND s.state IN ('done', 'paid', 'notification_in_flight') ORDER BY o.id`,
    )
    .all(batchId) as Record<string, string | number | null>[];
  return {
    header: ['order_ref', 'backend_order_id', 'payment_id', 'transaction_id', 'total_amount', 'source_rows', 'synced_at'].map((key) =>
      t(`export.success.${key}`),
    ),
    rows: rows.map(
      (r) => [r.order_ref, r.backend_order_id, r.payment_id, r.transaction_id, r.total_amount, r.source_rows, r.updated_at] as ExportCell[],
    ),
    sourceRows: rows.map((r) => Number.parseInt(String(r.source_rows), 10)),
  };
}

/** Text is always quoted and numbers never (as R's write.csv and Python's QUOTE_NONNUMERIC do). */
function csvCell(cell: ExportCell): string {
  if (cell === null || cell === '') return '';
  if (typeof cell === 'number') return String(cell);
  return `"${cell.replaceAll('"', '""')}"`;
}

function xlsxSheet(rows: ExportCell[][]): XLSX.WorkSheet {
  // Text cells carry the Text format (@), so a code staff retype in Excel stays text with its leading zeros.
  const cells = rows.map((row) => row.map((cell) => (typeof cell === 'string' ? { t: 's' as const, v: cell, z: '@' } : cell)));
  return XLSX.utils.aoa_to_sheet(cells);
}

/**
 * CSV as Excel opens it correctly in Japan: UTF-8 with BOM and CRLF (or Shift_JIS, CP932, on request); xlsx
 * with text as text cells and numbers as numeric cells. Every text cell is neutralised against formula
 * injection. Shift_JIS maps characters to their CP932 forms and refuses a character it cannot hold
 * (`EXPORT_UNREPRESENTABLE`) rather than writing `?`.
 */
export function renderTable(table: ExportTable, format: 'csv' | 'xlsx', encoding: 'utf-8' | 'shift_jis' = 'utf-8'): Buffer {
  const rows = [table.header, ...table.rows].map((row) => row.map(neutralise));
  if (format === 'xlsx') {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, xlsxSheet(rows), 'export');
    return XLSX.write(book, { type: 'buffer', bookType: 'xlsx', bookSST: true, compression: true }) as Buffer;
  }
  const lines = rows.map((row) => `${row.map(csvCell).join(',')}\r\n`);
  if (encoding === 'shift_jis') {
    // Line 0 is the header; a table without source rows names the line of the file.
    return encodeShiftJis(lines, (i) => (i === 0 ? (table.headerRow ?? 1) : (table.sourceRows?.[i - 1] ?? i + 1)));
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join(''), 'utf8')]);
}

export interface BatchExport {
  bytes: Buffer;
  rows: number;
  /** Orders written (an error file has a row per line). */
  orders: number;
  /** A file name for the save dialog: batch, kind and date, no personal data. */
  suggestedName: string;
}

export interface ExportRequest {
  batchId: number;
  kind: 'errors' | 'success';
  format: 'csv' | 'xlsx';
  encoding?: 'utf-8' | 'shift_jis';
}

/** Renders a batch's error or success export. Used by the `export` command and the app's export buttons. */
export function renderBatchExport(db: Db, request: ExportRequest & { t: TFunction; now?: Date }): BatchExport {
  const table = request.kind === 'success' ? successTable(db, request.batchId, request.t) : errorTable(db, request.batchId, request.t);
  const bytes = renderTable(table, request.format, request.encoding ?? 'utf-8');
  return {
    bytes,
    rows: table.rows.length,
    orders: table.orders ?? table.rows.length,
    suggestedName: exportFileName(request.t, request.batchId, request.kind, request.format, request.now ?? new Date()),
  };
}

/**
 * The save dialog's default name in the staff's language ("エラー_バッチ1_2026-11-30.xlsx", "batch-1-errors-…")
 * with the local date: an export made at 08:00 in Tokyo is named for that day, not for the day before in UTC.
 */
export function exportFileName(
  t: TFunction,
  batchId: number,
  kind: ExportRequest['kind'],
  format: ExportRequest['format'],
  now: Date,
): string {
  const date = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  return `${t(`history.fileName.${kind}`, { batch: batchId, date })}.${format}`;
}

/** Records a written export in the audit log: kind, format and row count, never its contents. */
export function recordExport(db: Db, request: ExportRequest & { rows: number; actor: string }): void {
  appendAudit(db, {
    actor: request.actor,
    action: 'batch.exported',
    batchId: request.batchId,
    details: { kind: request.kind, format: request.format, rows: request.rows },
  });
}
