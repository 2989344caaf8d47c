import { createHash, randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/log';
import { AppError } from '../shared/errors';
import type { Db } from '../store/database';
import { existingOrderRefs, orderColumnValues } from '../store/orders';
import { findTemplateByName, findTemplateBySignature, saveTemplate } from '../store/templates';
import { FIELDS, type Field, type FieldValues, packFields } from './fields';
import {
  applyOverrides,
  type ColumnMapping,
  autoMapping,
  detectHeaderRow,
  headerSignature,
  mappingFromHeaders,
  mappingToHeaders,
  missingRequired,
  normaliseHeader,
} from './mapping';
import { cellToText, normaliseText, parseDate, scanCardNumbers } from './normalize';
import { type EncodingOption, readSpreadsheet } from './reader';
import { type Cell, cellText, type ImportLimits, isNumberCell, type ReadResult, type SheetRows } from './types';
import { type LineInput, type OrderValidation, storedLineFields, type ValidationIssue, validateOrder } from './validate';

export interface ImportOptions {
  fileName: string;
  bytes: Uint8Array;
  sheet?: string;
  encoding?: EncodingOption;
  /** A saved mapping template to use; otherwise one saved for the same header set, otherwise automatic. */
  template?: string;
  /** field -> header text or 1-based column number; '' unmaps a field. */
  overrides?: Record<string, string>;
  /** Save the mapping used under this name. */
  saveTemplateAs?: string;
  actor: string;
  limits?: ImportLimits;
  now?: Date;
  /** The file already read (the import wizard's preview did it): reused instead of parsing the bytes again. */
  read?: ReadResult;
}

export interface ImportIssue extends ValidationIssue {
  order_ref: string;
}

export interface ImportResult {
  batchId: number;
  file: string;
  sheet: string | null;
  encoding: string | null;
  headerRow: number;
  mapping: Partial<Record<Field, string>>;
  template: string | null;
  lines: number;
  orders: { total: number; valid: number; invalid: number };
  errors: ImportIssue[];
}

const TOTAL_WORDS = new Set(['合計', '総計', '小計', '計', '総合計', 'total', 'grandtotal', 'subtotal', 'sum'].map(normaliseHeader));

/**
 * A client reference for the backend: unique across installations (random part) yet increasing in time
 * (timestamp and sequence first), so inserts land at the end of the unique index instead of all over it.
 */
export function newClientReference(now: number, sequence: number): string {
  return `os-${now.toString(36).padStart(9, '0')}-${sequence.toString(36).padStart(5, '0')}-${randomUUID().slice(0, 18)}`;
}

/** Prefix of the stand-in order_ref for a line without one; such lines are kept, flagged REQUIRED, never matched as duplicates. */
export const MISSING_REF_PREFIX = '?';

export interface PreparedSheet {
  sheet: SheetRows;
  headerIndex: number;
  headers: string[];
}

export function pickSheet(read: ReadResult, fileName: string, wanted: string | undefined): PreparedSheet {
  const candidates = wanted === undefined ? read.sheets : read.sheets.filter((s) => s.name === wanted);
  if (wanted !== undefined && candidates.length === 0) throw new AppError('IMPORT_SHEET_NOT_FOUND', { sheet: wanted });
  for (const sheet of candidates) {
    const headerIndex = detectHeaderRow(sheet.rows);
    if (headerIndex !== null) {
      const headers = (sheet.rows[headerIndex] ?? []).map((cell) => normaliseText(cellText(cell)));
      return { sheet, headerIndex, headers };
    }
  }
  throw new AppError('IMPORT_NO_HEADER', { file: fileName });
}

/** The mapping to use: a named template, else one saved for this header set, else automatic; then staff overrides. */
export function proposeMapping(
  db: Db,
  headers: string[],
  options: Pick<ImportOptions, 'template' | 'overrides'>,
): { mapping: ColumnMapping; template: string | null } {
  let mapping: ColumnMapping;
  let template: string | null = null;
  if (options.template) {
    const saved = findTemplateByName(db, options.template);
    if (!saved) throw new AppError('TEMPLATE_NOT_FOUND', { name: options.template });
    mapping = mappingFromHeaders(saved.mapping, headers);
    template = saved.name;
  } else {
    const saved = findTemplateBySignature(db, headerSignature(headers));
    mapping = saved ? mappingFromHeaders(saved.mapping, headers) : autoMapping(headers);
    template = saved?.name ?? null;
  }
  if (options.overrides) mapping = applyOverrides(mapping, headers, options.overrides);
  return { mapping, template };
}

function chooseMapping(db: Db, headers: string[], options: ImportOptions): { mapping: ColumnMapping; template: string | null } {
  const { mapping, template } = proposeMapping(db, headers, options);
  const missing = missingRequired(mapping);
  if (missing.length) throw new AppError('IMPORT_MAPPING_INCOMPLETE', { fields: missing.join(', ') });
  return { mapping, template };
}

/** A field's text from a cell: numbers by value (not by display rounding), dates as ISO. */
function fieldText(field: Field, cell: Cell): string {
  if (cell === null) return '';
  if ((field === 'quantity' || field === 'unit_price') && isNumberCell(cell)) return String(cell.value);
  if (field === 'delivery_date' && (cell instanceof Date || isNumberCell(cell))) return parseDate(cell) ?? cellToText(cell);
  return cellToText(cell);
}

const BLANK = /^[\s\u3000\uFEFF]*$/;

function isBlank(row: readonly Cell[]): boolean {
  return row.every((cell) => cell === null || (typeof cell === 'string' && (BLANK.test(cell) || normaliseText(cell) === '')));
}

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

export function parseLines(prepared: PreparedSheet, mapping: ColumnMapping): Map<string, ParsedLine[]> {
  const { sheet, headerIndex, headers } = prepared;
  const mapped = new Set(Object.values(mapping));
  const entries = FIELDS.flatMap((field) => (mapping[field] === undefined ? [] : [[field, mapping[field] as number] as const]));
  const orders = new Map<string, ParsedLine[]>();
  for (let i = headerIndex + 1; i < sheet.rows.length; i += 1) {
    const row = sheet.rows[i] ?? [];
    if (isBlank(row)) continue;
    const refIndex = mapping.order_ref as number;
    const refText = fieldText('order_ref', row[refIndex] ?? null);
    if (isTotalRow(row, refText)) continue;
    const rowNumber = sheet.rowNumbers[i] ?? i + 1;
    const fields: Partial<Record<Field, string>> = {};
    for (const [field, index] of entries) {
      const text = fieldText(field, row[index] ?? null);
      if (text !== '') fields[field] = scanCardNumbers(text, { skuColumn: field === 'sku' }).masked;
    }
    const cardColumns: string[] = [];
    let extra: Record<number, string> | null = null;
    for (let index = 0; index < row.length; index += 1) {
      if (mapped.has(index)) continue;
      // Normalised like mapped cells, so full-width digits cannot hide a card number.
      const text = cellToText(row[index] ?? null);
      if (text === '') continue;
      const scan = scanCardNumbers(text);
      if (scan.found) cardColumns.push(headers[index] || `#${index + 1}`);
      extra ??= {};
      extra[index] = scan.masked;
    }
    const orderRef = fields.order_ref ?? `${MISSING_REF_PREFIX}${rowNumber}`;
    const line: ParsedLine = { row: rowNumber, fields, extra, ...(cardColumns.length ? { cardColumns } : {}) };
    const list = orders.get(orderRef);
    if (list) list.push(line);
    else orders.set(orderRef, [line]);
  }
  return orders;
}

/**
 * Prepares the insert of an order's lines: typed quantity and price from validation, the line's own
 * field values (order fields only where they differ), unmapped cells. Returns the new line's id.
 */
export function prepareLineInsert(
  db: Db,
): (orderId: number, index: number, line: ParsedLine, result: OrderValidation) => { id: number; fields: FieldValues } {
  const statement = db.prepare(
    'INSERT INTO order_lines (order_id, line_no, source_row, sku, quantity, unit_price, raw_cells, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  return (orderId, index, line, result) => {
    const typed = result.lines[index];
    const fields = storedLineFields(line, result.order, index === 0);
    const info = statement.run(
      orderId,
      index + 1,
      line.row,
      line.fields.sku ?? null,
      typed?.quantity ?? null,
      typed?.unitPrice ?? null,
      line.extra ? JSON.stringify(line.extra) : '{}',
      packFields(fields),
    );
    return { id: Number(info.lastInsertRowid), fields };
  };
}

/**
 * Imports one file as a new batch: read, find the header row, map columns, normalise, validate and stage
 * every order in one transaction (nothing is left behind if anything fails). Invalid orders are staged
 * too, with their errors, so staff can fix them; card numbers are masked before anything is stored.
 */
export function importFile(db: Db, options: ImportOptions): ImportResult {
  const now = (options.now ?? new Date()).toISOString();
  const read = options.read ?? readSpreadsheet(options.fileName, options.bytes, { encoding: options.encoding, limits: options.limits });
  const prepared = pickSheet(read, options.fileName, options.sheet);
  const { mapping, template } = chooseMapping(db, prepared.headers, options);
  const orders = parseLines(prepared, mapping);
  const sha256 = createHash('sha256').update(options.bytes).digest('hex');
  const mappingByHeader = mappingToHeaders(mapping, prepared.headers);
  const headerRow = prepared.sheet.rowNumbers[prepared.headerIndex] ?? prepared.headerIndex + 1;

  const stage = db.transaction(() => {
    const batchId = Number(
      db
        .prepare(
          `INSERT INTO batches (source_file_name, source_sha256, sheet_name, encoding, header_row, column_mapping, imported_by, imported_at,
             source_kind, headers, row_count)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          options.fileName,
          sha256,
          prepared.sheet.name,
          read.encoding,
          headerRow,
          JSON.stringify(mappingByHeader),
          options.actor,
          now,
          read.kind,
          JSON.stringify(prepared.headers),
          [...orders.values()].reduce((n, lines) => n + lines.length, 0),
        ).lastInsertRowid,
    );
    const refs = [...orders.keys()].filter((ref) => !ref.startsWith(MISSING_REF_PREFIX));
    const duplicates = existingOrderRefs(db, refs, batchId);
    const insertOrder = db.prepare(
      `INSERT INTO orders (batch_id, order_ref, client_reference, customer_id, customer_name, email, card_token, shipping_address,
         delivery_date, notes, total_amount, validation_status, errors, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertLine = prepareLineInsert(db);
    const errors: ImportIssue[] = [];
    let valid = 0;
    let sequence = 0;
    const nowMs = Date.parse(now);
    for (const [orderRef, lines] of orders) {
      sequence += 1;
      const result = validateOrder(lines, { duplicate: duplicates.has(orderRef) });
      const orderId = Number(
        insertOrder.run(batchId, orderRef, newClientReference(nowMs, sequence), ...orderColumnValues(result), now, now).lastInsertRowid,
      );
      lines.forEach((line, i) => {
        insertLine(orderId, i, line, result);
      });
      if (result.issues.length === 0) valid += 1;
      for (const issue of result.issues) errors.push({ order_ref: orderRef, ...issue });
    }
    if (options.saveTemplateAs) {
      saveTemplate(
        db,
        { name: options.saveTemplateAs, headerSignature: headerSignature(prepared.headers), mapping: mappingByHeader },
        options.actor,
        now,
      );
      appendAudit(db, { actor: options.actor, action: 'mapping.saved', batchId, details: { template: options.saveTemplateAs } });
    }
    const counts = { total: orders.size, valid, invalid: orders.size - valid };
    appendAudit(db, {
      actor: options.actor,
      action: 'batch.imported',
      batchId,
      details: {
        file_sha256: sha256,
        orders: counts.total,
        valid: counts.valid,
        invalid: counts.invalid,
        template: template ?? options.saveTemplateAs ?? null,
      },
    });
    return { batchId, counts, errors };
  });
  const { batchId, counts, errors } = stage.immediate();
  return {
    batchId,
    file: options.fileName,
    sheet: prepared.sheet.name,
    encoding: read.encoding,
    headerRow,
    mapping: mappingByHeader,
    template: template ?? options.saveTemplateAs ?? null,
    lines: [...orders.values()].reduce((n, lines) => n + lines.length, 0),
    orders: counts,
    errors,
  };
}
