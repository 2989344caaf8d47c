import { createHash, randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/log';
import type { DelimiterName, TextEncoding } from '../shared/encodings';
import { AppError } from '../shared/errors';
import type { Db } from '../store/database';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { existingOrderRefs, orderColumnValues } from '../store/orders';
import { findTemplateByName, findTemplateBySignature, saveTemplate } from '../store/templates';
import { FIELDS, type Field, type FieldValues, ORDER_FIELDS, packFields } from './fields';
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
import { parseAmount, parseQuantity } from './amounts';
import { fieldText } from './cells';
import { cellToText, maskCardNumbers, normaliseText, scanCardNumbers } from './normalize';
import { type EncodingOption, readSpreadsheet } from './reader';
import { groupRows, MISSING_REF_PREFIX, type SlipSheet } from './slips';
import { type Cell, cellText, type ImportLimits, type ReadResult, type SheetRows, type SourceKind } from './types';
import { type LineInput, type OrderValidation, storedLineFields, type ValidationIssue, validateOrder } from './validate';

export interface ImportOptions {
  fileName: string;
  bytes: Uint8Array;
  sheet?: string;
  encoding?: EncodingOption;
  /** The header's row number (1-based, as Excel shows it) when staff set it; otherwise it is detected. */
  headerRow?: number;
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
  /** The sheet is hidden in the workbook: staff named it, nothing picked it automatically. */
  sheetHidden: boolean;
  encoding: TextEncoding | null;
  delimiter: DelimiterName | null;
  headerRow: number;
  mapping: Partial<Record<Field, string>>;
  template: string | null;
  lines: number;
  orders: { total: number; valid: number; invalid: number };
  errors: ImportIssue[];
  notes: ImportNotes;
}

/** What staff should know about how values were read (shown in the import summary, kept with the batch). */
export interface ImportNotes {
  /** Lines without an order number that took the one of the line above (order slips). */
  continuedLines: number;
  /** Dates without a year, read as the next such date on or after the import's day. */
  datesWithoutYear: number;
}

const TOTAL_WORDS = new Set(
  ['合計', '総計', '小計', '計', '総合計', '伝票計', '伝票合計', 'total', 'grandtotal', 'subtotal', 'sum'].map(normaliseHeader),
);

/**
 * A client reference for the backend: unique across installations (random part) yet increasing in time
 * (timestamp and sequence first), so inserts land at the end of the unique index instead of all over it.
 * One import draws its random part once: the sequence already tells its orders apart.
 */
export function newClientReference(now: number, sequence: number, random: string = randomUUID().slice(0, 18)): string {
  return `os-${now.toString(36).padStart(9, '0')}-${sequence.toString(36).padStart(5, '0')}-${random}`;
}

export { MISSING_REF_PREFIX };

export interface PreparedSheet {
  sheet: SheetRows;
  headerIndex: number;
  headers: string[];
}

function prepare(sheet: SheetRows, headerIndex: number): PreparedSheet {
  // Headers are stored with the batch: a card number in one is masked like one in a cell.
  const headers = (sheet.rows[headerIndex] ?? []).map((cell) => maskCardNumbers(normaliseText(cellText(cell))));
  return { sheet, headerIndex, headers };
}

/** The index of the row staff named as the header; a row outside the sheet or a blank one is refused. */
function headerIndexAt(sheet: SheetRows, fileName: string, headerRow: number): number {
  const index = sheet.rowNumbers.indexOf(headerRow);
  if (index < 0 || isBlank(sheet.rows[index] ?? [])) throw new AppError('IMPORT_HEADER_ROW_INVALID', { file: fileName, row: headerRow });
  return index;
}

/**
 * The sheet and header row to import. Named sheets are used even when hidden; otherwise only visible sheets
 * are considered (a hidden sheet is often last month's data), the first whose header row is found. With a
 * header row given, that row is the header, of the named sheet or the sheet detection would pick (else the
 * first visible sheet holding rows), so staff can map columns whose header names nothing known.
 */
export function pickSheet(read: ReadResult, fileName: string, wanted: string | undefined, headerRow?: number): PreparedSheet {
  if (wanted !== undefined) {
    const sheet = read.sheets.find((s) => s.name === wanted);
    if (!sheet) throw new AppError('IMPORT_SHEET_NOT_FOUND', { sheet: wanted });
    const index = headerRow === undefined ? detectHeaderRow(sheet.rows) : headerIndexAt(sheet, fileName, headerRow);
    if (index === null) throw new AppError('IMPORT_NO_HEADER', { file: fileName });
    return prepare(sheet, index);
  }
  const visible = read.sheets.filter((s) => !s.hidden);
  for (const sheet of visible) {
    const index = detectHeaderRow(sheet.rows);
    if (index !== null) return prepare(sheet, headerRow === undefined ? index : headerIndexAt(sheet, fileName, headerRow));
  }
  const sheet = visible.find((s) => s.rows.length > 0);
  if (headerRow === undefined || !sheet) throw new AppError('IMPORT_NO_HEADER', { file: fileName });
  return prepare(sheet, headerIndexAt(sheet, fileName, headerRow));
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

/** What a line names an item by (a row with only an amount is a subtotal, not a line). */
const ITEM_FIELDS: readonly Field[] = ['sku', 'quantity'];

/** Reads the lines of a sheet under a mapping: which rows are order lines, and each line's fields. */
class LineReader implements SlipSheet {
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

/** An order ready to store: its row values and its lines' row values. */
interface StagedOrder {
  ref: string;
  /** customer_id .. errors, as orderColumnValues gives them. */
  values: (string | number | null)[];
  /** Per line: line_no, source_row, sku, quantity, unit_price, raw_cells, fields. */
  lines: (string | number | null)[][];
  issues: ValidationIssue[];
}

/**
 * An order_lines row (after order_id): typed quantity and price from validation, the line's own field
 * values (order fields only where they differ from the order's), unmapped cells.
 */
function lineValues(line: ParsedLine, index: number, result: OrderValidation, fields: FieldValues): (string | number | null)[] {
  const typed = result.lines[index];
  return [
    index + 1,
    line.row,
    line.fields.sku ?? null,
    typed?.quantity ?? null,
    typed?.unitPrice ?? null,
    line.extra ? JSON.stringify(line.extra) : '{}',
    packFields(fields),
  ];
}

function stageOrder(ref: string, lines: readonly ParsedLine[], result: OrderValidation): StagedOrder {
  return {
    ref,
    values: orderColumnValues(result),
    lines: lines.map((line, index) => lineValues(line, index, result, storedLineFields(line, result.order))),
    issues: result.issues,
  };
}

/** A multi-row INSERT for `rows` rows of `columns`, prepared once per row count. */
class ChunkedInsert {
  private readonly statements = new Map<number, Statement>();
  private pending: (string | number | bigint | null)[] = [];
  private rows = 0;

  constructor(
    private readonly db: Db,
    private readonly table: string,
    private readonly columns: readonly string[],
    /** Rows per statement; rows x columns stays well under SQLite's 32,766 parameters. */
    readonly chunk: number,
  ) {}

  /** Queues one row (its values in `columns` order); true once a chunk is full and should be flushed. */
  add(values: readonly (string | number | bigint | null)[]): boolean {
    for (const value of values) this.pending.push(value);
    this.rows += 1;
    return this.rows >= this.chunk;
  }

  flush(): void {
    if (this.rows === 0) return;
    let statement = this.statements.get(this.rows);
    if (!statement) {
      const row = `(${this.columns.map(() => '?').join(', ')})`;
      statement = this.db.prepare(
        `INSERT INTO ${this.table} (${this.columns.join(', ')}) VALUES ${Array.from({ length: this.rows }, () => row).join(', ')}`,
      );
      this.statements.set(this.rows, statement);
    }
    statement.run(this.pending);
    this.pending = [];
    this.rows = 0;
  }
}

/** orders columns in the order BatchWriter gives them: the order's fields as orderColumnValues lists them. */
const ORDER_COLUMNS = [
  'id',
  'batch_id',
  'order_ref',
  'client_reference',
  ...ORDER_FIELDS,
  'total_amount',
  'validation_status',
  'errors',
  'created_at',
  'updated_at',
];
const LINE_COLUMNS = ['order_id', 'line_no', 'source_row', 'sku', 'quantity', 'unit_price', 'raw_cells', 'fields'] as const;

/**
 * Writes staged orders of a new batch (inside the caller's write transaction); counts what it wrote. Orders
 * and lines go 100 and 200 to an INSERT (a statement per row costs more than the row). An order's id is
 * assigned here, after the highest one in the table, as SQLite would: the write lock is held, so no other
 * writer can take it, and the lines can name their order before it is written.
 */
class BatchWriter {
  private readonly orderRows: ChunkedInsert;
  private readonly lineRows: ChunkedInsert;
  private nextId: number;
  private sequence = 0;
  private readonly nowMs: number;
  private readonly random = randomUUID().slice(0, 18);
  readonly errors: ImportIssue[] = [];
  orders = 0;
  valid = 0;
  lines = 0;

  constructor(
    db: Db,
    private readonly batchId: number,
    private readonly now: string,
  ) {
    this.nowMs = Date.parse(now);
    this.nextId = ((db.prepare('SELECT max(id) AS id FROM orders').get() as { id: number | null }).id ?? 0) + 1;
    this.orderRows = new ChunkedInsert(db, 'orders', ORDER_COLUMNS, 100);
    this.lineRows = new ChunkedInsert(db, 'order_lines', LINE_COLUMNS, 200);
  }

  write(order: StagedOrder): void {
    this.sequence += 1;
    const orderId = this.nextId;
    this.nextId += 1;
    const clientReference = newClientReference(this.nowMs, this.sequence, this.random);
    const full = this.orderRows.add([orderId, this.batchId, order.ref, clientReference, ...order.values, this.now, this.now]);
    for (const line of order.lines) {
      line.unshift(orderId);
      // An order of thousands of lines (a long slip) fills several chunks: each is written when full.
      if (this.lineRows.add(line)) this.flush();
    }
    if (full) this.flush();
    this.orders += 1;
    this.lines += order.lines.length;
    if (order.issues.length === 0) this.valid += 1;
    for (const issue of order.issues) this.errors.push({ order_ref: order.ref, ...issue });
  }

  /** Writes what is queued (orders before their lines); call once more after the last order. */
  flush(): void {
    this.orderRows.flush();
    this.lineRows.flush();
  }
}

/** Prepares the insert of a line into an existing order (re-import); returns the new line's id and its stored fields. */
export function prepareLineInsert(
  db: Db,
): (orderId: number, index: number, line: ParsedLine, result: OrderValidation) => { id: number; fields: FieldValues } {
  const statement = db.prepare(
    'INSERT INTO order_lines (order_id, line_no, source_row, sku, quantity, unit_price, raw_cells, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  return (orderId, index, line, result) => {
    const fields = storedLineFields(line, result.order);
    const info = statement.run(orderId, ...lineValues(line, index, result, fields));
    return { id: Number(info.lastInsertRowid), fields };
  };
}

/** What is known of a file once its sheet, header row and mapping are settled. */
interface SheetFacts {
  sheet: string | null;
  sheetHidden: boolean;
  kind: SourceKind;
  encoding: TextEncoding | null;
  delimiter: DelimiterName | null;
  headers: string[];
  headerRow: number;
}

/**
 * Imports one file as a new batch: read, find the header row, map columns, normalise, validate and stage
 * every order in one transaction (nothing is left behind if anything fails). Invalid orders are staged
 * too, with their errors, so staff can fix them; card numbers are masked before anything is stored.
 */
export function importFile(db: Db, given: ImportOptions): ImportResult {
  // The file's name is stored with the batch and shown in messages: a card number in it is masked like one in a cell.
  const options = { ...given, fileName: maskCardNumbers(given.fileName) };
  const read = options.read ?? readSpreadsheet(options.fileName, options.bytes, { encoding: options.encoding, limits: options.limits });
  const prepared = pickSheet(read, options.fileName, options.sheet, options.headerRow);
  const choice = chooseMapping(db, prepared.headers, options);
  const reader = new LineReader(prepared, choice.mapping, options.now ?? new Date());
  const { orders, continued } = groupRows(reader);
  // A header and nothing under it is a mistake (wrong file, wrong sheet), not an empty batch to sync.
  if (orders.size === 0) throw new AppError('IMPORT_NO_ORDERS', { file: options.fileName });
  const facts: SheetFacts = {
    sheet: prepared.sheet.name,
    sheetHidden: prepared.sheet.hidden === true,
    kind: read.kind,
    encoding: read.encoding,
    delimiter: read.delimiter,
    headers: prepared.headers,
    headerRow: prepared.sheet.rowNumbers[prepared.headerIndex] ?? prepared.headerIndex + 1,
  };
  return stageBatch(db, options, facts, choice, (writer, batchId) => {
    const refs = [...orders.keys()].filter((ref) => !ref.startsWith(MISSING_REF_PREFIX));
    const duplicates = existingOrderRefs(db, refs, batchId);
    for (const [ref, rows] of orders) {
      const lines = reader.lines(rows, ref);
      writer.write(stageOrder(ref, lines, validateOrder(lines, { duplicate: duplicates.has(ref) })));
    }
    return { continuedLines: continued, datesWithoutYear: reader.datesWithoutYear };
  });
}

/**
 * The one transaction of an import: the batch row, its orders (written by `fill`), the template if asked,
 * the audit entry. `fill` gets the new batch id to look up duplicates under the write lock.
 */
function stageBatch(
  db: Db,
  options: ImportOptions,
  facts: SheetFacts,
  choice: { mapping: ColumnMapping; template: string | null },
  fill: (writer: BatchWriter, batchId: number) => ImportNotes,
): ImportResult {
  const now = (options.now ?? new Date()).toISOString();
  const sha256 = createHash('sha256').update(options.bytes).digest('hex');
  const mappingByHeader = mappingToHeaders(choice.mapping, facts.headers);
  const template = choice.template ?? options.saveTemplateAs ?? null;
  const stage = db.transaction(() => {
    const batchId = Number(
      db
        .prepare(
          `INSERT INTO batches (source_file_name, source_sha256, sheet_name, encoding, header_row, column_mapping, imported_by, imported_at,
             source_kind, headers, row_count)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
        )
        .run(
          options.fileName,
          sha256,
          facts.sheet,
          facts.encoding,
          facts.headerRow,
          JSON.stringify(mappingByHeader),
          options.actor,
          now,
          facts.kind,
          JSON.stringify(facts.headers),
        ).lastInsertRowid,
    );
    const writer = new BatchWriter(db, batchId, now);
    const notes = fill(writer, batchId);
    writer.flush();
    db.prepare('UPDATE batches SET row_count = ?, import_notes = ? WHERE id = ?').run(
      writer.lines,
      JSON.stringify({ continued_lines: notes.continuedLines, dates_without_year: notes.datesWithoutYear }),
      batchId,
    );
    if (options.saveTemplateAs) {
      saveTemplate(
        db,
        { name: options.saveTemplateAs, headerSignature: headerSignature(facts.headers), mapping: mappingByHeader },
        options.actor,
        now,
      );
      appendAudit(db, { actor: options.actor, action: 'mapping.saved', batchId, details: { template: options.saveTemplateAs } });
    }
    const counts = { total: writer.orders, valid: writer.valid, invalid: writer.orders - writer.valid };
    appendAudit(db, {
      actor: options.actor,
      action: 'batch.imported',
      batchId,
      details: { file_sha256: sha256, orders: counts.total, valid: counts.valid, invalid: counts.invalid, template },
    });
    return { batchId, counts, errors: writer.errors, lines: writer.lines, notes };
  });
  const { batchId, counts, errors, lines, notes } = stage.immediate();
  return {
    batchId,
    file: options.fileName,
    sheet: facts.sheet,
    sheetHidden: facts.sheetHidden,
    encoding: facts.encoding,
    delimiter: facts.delimiter,
    headerRow: facts.headerRow,
    mapping: mappingByHeader,
    template,
    lines,
    orders: counts,
    errors,
    notes,
  };
}
