import { createHash } from 'node:crypto';
import { appendAudit } from '../audit/log';
import type { DelimiterName, TextEncoding } from '../shared/encodings';
import { AppError } from '../shared/errors';
import type { Field } from '../shared/fields';
import type { ImportIssue } from '../shared/validation';
import { finishBatch, insertBatch } from '../store/batches';
import { BatchWriter, stageOrder } from '../store/batch-writer';
import type { Db } from '../store/database';
import { existingOrderRefs } from '../store/orders';
import { saveTemplate } from '../store/templates';
import { type ColumnMapping, headerSignature, mappingToHeaders } from './mapping';
import { LineReader, type ParsedLine } from './lines';
import type { EncodingOption } from './reader';
import { readSpreadsheet } from './reader';
import { chooseMapping, pickSheet } from './sheet';
import { groupRows, MISSING_REF_PREFIX } from './slips';
import type { ImportLimits, ReadResult, SourceKind } from './types';
import { maskCardNumbers } from './cards';
import type { MasterIndex } from '../masters/checks';
import { codesOf, loadMasterIndex } from '../masters/load';
import { hasMasterRows } from '../store/masters';
import { validateOrder } from './validate';
import { type ImportHooks, ImportSteps } from './progress';

export type { ImportIssue };

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
  /** Progress and cancel (main's import worker); a cancel rolls the whole import back (IMPORT_CANCELLED). */
  hooks?: ImportHooks;
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
    let rowCount = 0;
    for (const rows of orders.values()) rowCount += rows.length;
    const steps = new ImportSteps(options.hooks, rowCount);
    const stage = (ref: string, rows: number, lines: ParsedLine[], masters: MasterIndex | null) => {
      writer.write(stageOrder(ref, lines, validateOrder(lines, { duplicate: duplicates.has(ref), masters })));
      steps.done(rows);
    };
    if (!hasMasterRows(db)) {
      for (const [ref, rows] of orders) stage(ref, rows.length, reader.lines(rows, ref), null);
    } else {
      // With masters, every line is read first: the master rows its codes need are loaded in one go.
      const parsed = [...orders].map(([ref, rows]) => [ref, rows.length, reader.lines(rows, ref)] as const);
      const masters = loadMasterIndex(db, codesOf(parsed.flatMap(([, , lines]) => lines)), options.now ?? new Date());
      for (const [ref, rows, lines] of parsed) stage(ref, rows, lines, masters);
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
    const batchId = insertBatch(db, {
      sourceFileName: options.fileName,
      sourceSha256: sha256,
      sheetName: facts.sheet,
      encoding: facts.encoding,
      headerRow: facts.headerRow,
      columnMapping: mappingByHeader,
      importedBy: options.actor,
      importedAt: now,
      sourceKind: facts.kind,
      headers: facts.headers,
    });
    const writer = new BatchWriter(db, batchId, now);
    const notes = fill(writer, batchId);
    writer.flush();
    finishBatch(db, batchId, writer.lines, { continued_lines: notes.continuedLines, dates_without_year: notes.datesWithoutYear });
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
